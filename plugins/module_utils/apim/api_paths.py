# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""Context paths of APIM V4 APIs: APIM's normal form, overlaps, and which API holds a path.

APIM stores HTTP listener paths with a leading and a trailing ``/`` and refuses (400
"Path [...] already exists", no technical code, the other API not named) a path that is a
prefix of another API's path on the same host, or prefixed by one (``VerifyApiPathDomainService``
of APIM).
"""

from __future__ import annotations

import re

from ..core.errors import KIND_LOOKUP, GraviteeError
from ..core.pagination import iter_apim_items
from .client import api_path

_DUPLICATE_SLASHES = re.compile(r"/+")
_PATH_EXISTS = re.compile(r"Path \[(?P<path>[^\]]*)\] already exists")


def sanitise_context_path(path) -> str:
    """The listener path as APIM stores it: leading and trailing ``/``, no duplicate slashes."""
    path = "/%s/" % str(path or "").strip("/")
    return _DUPLICATE_SLASHES.sub("/", path)


def http_paths(api) -> list:
    """Every ``{path, host?}`` of the API's HTTP listeners."""
    paths = []
    for listener in (api or {}).get("listeners") or []:
        if listener.get("type") == "HTTP":
            paths.extend(p for p in listener.get("paths") or [] if isinstance(p, dict))
    return paths


def paths_overlap(first, second) -> bool:
    """APIM refuses a path that is a prefix of another API's path on the same host, or the reverse."""
    first, second = sanitise_context_path(first), sanitise_context_path(second)
    return first.startswith(second) or second.startswith(first)


def apis_using_path(client, path, exclude_id=None, host=None, every_api=None) -> list:
    """``(api, existing_path)`` for every other API whose HTTP path overlaps ``path`` on ``host``."""
    owners = []
    for api in every_api() if every_api else iter_apim_items(client, api_path()):
        if api.get("id") == exclude_id:
            continue
        for entry in http_paths(api):
            if (entry.get("host") or None) == (host or None) and paths_overlap(entry.get("path"), path):
                owners.append((api, sanitise_context_path(entry.get("path"))))
                break
    return owners


def path_conflict_error(client, path, exclude_id=None, cause=None, every_api=None):
    """A readable error naming the API(s) that already use ``path``, or None if none does."""
    owners = apis_using_path(client, path, exclude_id, every_api=every_api)
    if not owners:
        return None
    described = ", ".join("'%s' (id %s, path %s)" % (api.get("name"), api.get("id"), used) for api, used in owners)
    message = ("context_path %s is already used by another API: %s. APIM needs a context path that is neither a "
               "prefix of another API's path nor prefixed by one; choose another context_path, or manage that API "
               "instead (api_id)." % (sanitise_context_path(path), described))
    if cause is None:
        return GraviteeError(message, product="APIM", kind=KIND_LOOKUP)
    return cause.replace(message=message, product="APIM", kind=KIND_LOOKUP)


def explain_path_conflict(client, err, path, exclude_id=None):
    """Turn APIM's 400 "Path [...] already exists" into :func:`path_conflict_error`; other errors pass."""
    if err.status == 400 and _PATH_EXISTS.search(err.gravitee_message or ""):
        better = path_conflict_error(client, path, exclude_id, cause=err)
        if better is not None:
            return better
    return err
