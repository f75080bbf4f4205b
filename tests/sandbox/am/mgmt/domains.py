"""Security domains (DomainsResource.java, DomainResource.java): list/search, get by id or hrid, create,
PATCH/PUT, delete.

PATCH and PUT are the same operation on AM's ``PatchDomain`` (a partial update):
only the keys sent change, a key sent as ``null`` resets that part (domain_patch.py).
"""

import re

from tests.sandbox.am.gateway.redeploy import domain_changed
from tests.sandbox.am.store import now_ms
from tests.sandbox.am.validation import hrid_from_name

from .binding import STRING, Obj, bind
from .common import (
    NOTHING_TO_UPDATE,
    bad_request,
    domain_not_found,
    json_response,
    location,
    no_content,
    page_params,
    paginate,
    read_json,
    render,
    violations,
)
from .domain_patch import (
    apply_domain_patch,
    changes_something,
    patch_domain_spec,
    render_domain,
    validate_domain,
)

NEW_DOMAIN = Obj({"name": STRING, "description": STRING, "dataPlaneId": STRING})
SUMMARY_FIELDS = ("id", "hrid", "name", "description", "enabled", "master", "vhostMode", "createdAt", "updatedAt")


def summary(domain):
    """A list entry: AM's ``filterDomainInfos`` keeps only the identity fields (and the primitives)."""
    return {k: domain[k] for k in SUMMARY_FIELDS if domain.get(k) is not None}


def _search(domains, query):
    """AM's domain search: exact name or hrid; with ``*`` a case-insensitive prefix regex."""
    if "*" not in query:
        return [d for d in domains if d["name"] == query or d["hrid"] == query]
    try:
        pattern = re.compile("^" + re.sub(r"\*+", ".*", query), re.IGNORECASE)
    except re.error:
        return []  # AM logs the failed search and returns nothing
    return [d for d in domains if pattern.match(d["name"]) or pattern.match(d["hrid"])]


async def list_domains(ctx):
    page, size = page_params(ctx.request)
    domains = [d for d in ctx.store.domains.values() if d["referenceId"] == ctx.params["env"]]
    query = ctx.request.query_params.get("q")
    if query is not None:
        domains = _search(domains, query)
    domains.sort(key=lambda d: d["name"].lower())
    result = paginate([summary(d) for d in domains], page, size)
    return json_response(result)


async def get_domain(ctx):
    return json_response(render(render_domain(ctx.sandbox, ctx.domain())))


async def get_by_hrid(ctx):
    hrid = ctx.params["hrid"]
    for domain in ctx.store.domains.values():
        if domain["referenceId"] == ctx.params["env"] and domain["hrid"] == hrid:
            return json_response(render(render_domain(ctx.sandbox, domain)))
    raise domain_not_found(hrid)


async def create_domain(ctx):
    store = ctx.store
    body = await read_json(ctx.request, param="newDomain")
    new = bind(body, NEW_DOMAIN)
    problems = []
    if new.get("name") is None:
        problems.append(("name", "must not be null"))
    data_plane_required = not ctx.at_least("4.13.0")
    if new.get("dataPlaneId") is None and data_plane_required:
        problems.append(("dataPlaneId", "must not be null"))
    if problems:
        raise violations(problems)
    name = new["name"]
    data_plane = new.get("dataPlaneId") or "default"
    if data_plane not in store.data_planes:
        raise bad_request("An error occurred while trying to create a domain. "
                          "Data Plane with provided Id doesn't exist.")
    hrid = hrid_from_name(name)
    if any(d["hrid"] == hrid and d["referenceId"] == ctx.params["env"] for d in store.domains.values()):
        raise bad_request(f"A domain [{name}] already exists.")
    candidate = {"id": None, "name": name, "path": "/" + hrid, "hrid": hrid}
    validate_domain(store, candidate)
    domain = store.add_domain(name, new.get("description"), data_plane, hrid)
    path = f"/organizations/{ctx.params['org']}/environments/{ctx.params['env']}/domains/{domain['id']}"
    return json_response(render(render_domain(ctx.sandbox, domain)), status=201,
                         headers=location(ctx.request, path))


async def patch_domain(ctx):
    """PATCH and PUT: AM's ``updateInternal`` for both."""
    store = ctx.store
    body = await read_json(ctx.request, param="domainToPatch")
    patch = bind(body, patch_domain_spec(ctx.sandbox))
    if not changes_something(patch):
        # AM derives the permissions to check from the keys sent; none means nothing to do.
        raise bad_request(NOTHING_TO_UPDATE)
    domain = ctx.domain()
    updated = apply_domain_patch(ctx.sandbox, domain, patch)
    updated["updatedAt"] = now_ms()
    store.domains[domain["id"]] = updated
    domain_changed(ctx.sandbox, domain["id"])
    return json_response(render(render_domain(ctx.sandbox, updated)))


async def delete_domain(ctx):
    store = ctx.store
    domain = ctx.domain()
    domain_id = domain["id"]
    del store.domains[domain_id]
    for table in (store.protected_resources, store.applications):
        for key in [k for k, v in table.items() if v["_domain"] == domain_id]:
            del table[key]
    for table in (store.scopes, store.certificates, store.identity_providers, store.users):
        table.pop(domain_id, None)
    return no_content()


ROUTES = [
    (r"{E}/domains", {"GET": list_domains, "POST": create_domain}),
    (r"{E}/domains/_hrid/(?P<hrid>[^/]+)", {"GET": get_by_hrid}),
    (r"{D}", {"GET": get_domain, "PATCH": patch_domain, "PUT": patch_domain, "DELETE": delete_domain}),
]
