# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""Walk every page of a list endpoint and yield the items.

APIM (mAPI v2): ``page`` is 1-based, ``perPage`` sets the size, the answer is
``{"data": [...], "pagination": {"page", "perPage", "pageCount", "totalCount", ...}}``;
stop when ``page >= pageCount`` or a page has no data. Asking past the end can give
400 ``pagination.invalid``, so the loop never does.

AM: ``page`` is 0-based, ``size`` sets the size, the answer is
``{"data": [...], "currentPage": n, "totalCount": n}``; stop when the items seen reach
``totalCount`` or a page is empty. Some AM lists (e.g. a resource's secrets) answer a
bare JSON array: that is one complete page.
"""

from __future__ import annotations

from .errors import usage_error

# A guard against a server that never says "last page" (e.g. a buggy proxy).
MAX_PAGES = 1000


def _too_many_pages(client, path):
    return usage_error(
        "%s kept returning pages for %s after %d pages; stopping." % (client.product, client.url_for(path), MAX_PAGES),
        product=client.product, url=client.url_for(path))


def iter_apim_items(client, path, *, params=None, method="GET", json=None, per_page=100):
    """Yield every item of an APIM list. POST searches (``apis/_search``) are read-only."""
    page = 1
    while True:
        query = dict(params or {}, page=page, perPage=per_page)
        if method.upper() == "GET":
            response = client.request("GET", path, params=query)
        else:
            response = client.request(method, path, params=query, json=json if json is not None else {},
                                      read_only=True)
        body = response.body if isinstance(response.body, dict) else {}
        items = body.get("data") or []
        yield from items
        page_count = (body.get("pagination") or {}).get("pageCount") or 0
        if not items or page >= page_count:
            return
        page += 1
        if page > MAX_PAGES:
            raise _too_many_pages(client, path)


def iter_am_items(client, path, *, params=None, size=50):
    """Yield every item of an AM list."""
    page = 0
    seen = 0
    while True:
        response = client.request("GET", path, params=dict(params or {}, page=page, size=size))
        body = response.body
        if isinstance(body, list):
            yield from body
            return
        body = body if isinstance(body, dict) else {}
        items = body.get("data") or []
        yield from items
        seen += len(items)
        total = body.get("totalCount")
        if not items or total is None or seen >= int(total):
            return
        page += 1
        if page >= MAX_PAGES:
            raise _too_many_pages(client, path)
