"""Scopes of a domain (AM's ScopesResource.java): list/search and create.

List entries carry only ``id, key, name, description, system, discovery, parameterized``.
Without ``q`` a page is taken in creation order and then sorted by key; a search (exact
key, or ``*`` for a case-insensitive prefix) is sorted by key before paging. Pages hold
at most 50 scopes.
"""

import re

from tests.sandbox.am.store import new_id, now_ms

from .binding import BOOLEAN, INT, STRING, Obj, bind
from .common import bad_request, json_response, location, page_params, read_json, render, violations

MAX_PAGE = 50
NEW_SCOPE = Obj({"key": STRING, "name": STRING, "description": STRING, "iconUri": STRING, "expiresIn": INT,
                 "discovery": BOOLEAN, "parameterized": BOOLEAN})
LIST_FIELDS = ("id", "key", "name", "description", "system", "discovery", "parameterized")


def _search(scopes, query):
    if "*" not in query:
        return [s for s in scopes if s["key"] == query]
    try:
        pattern = re.compile("^" + re.sub(r"\*+", ".*", query), re.IGNORECASE)
    except re.error:
        return []
    return [s for s in scopes if pattern.match(s["key"])]


async def list_scopes(ctx):
    page, size = page_params(ctx.request, max_size=MAX_PAGE)
    domain = ctx.domain()
    scopes = list(ctx.store.scopes.get(domain["id"], {}).values())
    query = ctx.request.query_params.get("q")
    if query is not None:
        scopes = sorted(_search(scopes, query), key=lambda s: s["key"])
    result = _page_sorted(scopes, page, size)
    result["data"] = [render({k: s.get(k) for k in LIST_FIELDS}) for s in result["data"]]
    return json_response(result)


def _page_sorted(scopes, page, size):
    start = page * size
    data = scopes[start:start + size] if page >= 0 and size > 0 else []
    return {"data": sorted(data, key=lambda s: s["key"]), "currentPage": page, "totalCount": len(scopes)}


async def create_scope(ctx):
    body = await read_json(ctx.request, param="newScope")
    new = bind(body, NEW_SCOPE)
    problems = [(field, "must not be null") for field in ("key", "name", "description") if new.get(field) is None]
    if problems:
        raise violations(problems)
    domain = ctx.domain()
    scopes = ctx.store.scopes.setdefault(domain["id"], {})
    key = re.sub(r"\s+", "_", new["key"])  # whitespace separates scopes in OAuth, so AM replaces it
    if key in scopes:
        raise bad_request(f"A scope [{key}] already exists for domain [{domain['id']}]")
    created = now_ms()
    scope = {
        "id": new_id(), "key": key, "name": new["name"], "description": new["description"],
        "iconUri": new.get("iconUri"), "domain": domain["id"], "createdAt": created, "updatedAt": created,
        "system": False, "expiresIn": new.get("expiresIn"), "discovery": bool(new.get("discovery")),
        "parameterized": bool(new.get("parameterized")),
    }
    scopes[key] = scope
    path = f"/organizations/{ctx.params['org']}/environments/{ctx.params['env']}/domains/{domain['id']}/scopes/" \
           f"{scope['id']}"
    return json_response(render(scope), status=201, headers=location(ctx.request, path))


ROUTES = [
    (r"{D}/scopes", {"GET": list_scopes, "POST": create_scope}),
]
