"""mAPI v2 ``/environments/{envId}/apis``: create, read, full-replacement update, delete, list, search.

Facts modelled (gravitee-api-management 4.12.17, ``ApisResource``/``ApiResource``, v4 ``ApiServiceImpl``):

- create: 201 + ``Location``; the new API is STOPPED, lifecycle CREATED, visibility PRIVATE unless sent, no
  plans; HTTP listeners get ``requestValidation.rejectNullByte=true`` (ApiModelFactory); ``resources``,
  ``properties`` and ``services`` are not part of CreateApiV4 and are ignored. The body carries
  ``deploymentState`` (NEED_REDEPLOY: nothing deployed yet).
- GET/PUT one: always ``deploymentState``, ``ETag: "<updatedAt ms>"`` + ``Last-Modified``; PUT replaces the
  definition (``groups``, ``labels``, ``categories``, ``crossId``, ``lifecycleState``, ``visibility`` kept when
  omitted; ``state`` and plans never change) and honours ``If-Match`` (412).
- DELETE: 400 ``api.running`` while started; without ``closePlans=true`` 400 ``api.notDeletable`` while a plan is
  PUBLISHED; plans are then closed and deleted, an UNPUBLISH_API event is written; 204.
- list: sorted by name, ``expands=deploymentState``; repository pagination (a page past the end is empty).
- ``_search``: ``query`` matches any of its space-separated tokens inside name, description, paths, labels,
  categories, tags or owner (case-insensitive, exact name first); ``ids``, ``apiTypes`` (index values such as
  ``V4_HTTP_PROXY``, ``V4_MCP_PROXY``: LuceneTransformerUtils.generateApiType, a bare ``MCP_PROXY`` matches
  nothing), ``statuses``, ``visibilities``, ``tags``, ``categories``, ``published``, ``definitionVersions``,
  ``allowedInApiProducts`` are exact filters; ``sortBy`` must be one of ApiSortByParam's values.
"""

from tests.sandbox.apim.store import INTERNAL, internal, iso, public

from . import plans as apim_plans
from . import shapes, validation
from .errors import (
    api_invalid,
    api_not_deletable,
    api_not_found,
    api_running,
    bad_request,
    unexpected_enum,
    validation_error,
)
from .http import cache_headers, check_if_match, empty_response, json_response, paged, pagination

SORT_VALUES = ("name", "-name", "paths", "-paths", "api_type", "-api_type", "status", "-status", "access", "-access",
               "tags_asc", "-tags_desc", "categories_asc", "-categories_desc", "owner", "-owner", "portal_status",
               "-portal_status", "visibility", "-visibility")
SEARCH_FIELDS = {"query", "ids", "definitionVersion", "definitionVersions", "apiTypes", "statuses", "tags",
                 "categories", "published", "visibilities", "allowedInApiProducts", "hasOpenApiDocumentation"}
DEFINITION_LABELS = {"V2": "2.0.0", "V4": "4.0.0", "FEDERATED": "FEDERATED", "FEDERATED_AGENT": "FEDERATED_AGENT"}


def apis_url(call):
    path = call.request.url.path
    return str(call.request.url.replace(path=path[:path.index("/apis") + len("/apis")], query=""))


def render(call, api, deployment_state=None):
    body = public(api)
    ms = internal(api)["updated_ms"]
    base = f"{apis_url(call)}/{api['id']}"
    body["_links"] = {"pictureUrl": f"{base}/picture?hash={ms}", "backgroundUrl": f"{base}/background?hash={ms}"}
    if deployment_state:
        body["deploymentState"] = deployment_state
    return body


def api_response(call, api):
    """GET/PUT answer: always ``deploymentState``, with the ETag/Last-Modified of ``updatedAt``."""
    body = render(call, api, call.store.deployment_state(api["id"]))
    return json_response(body, headers=cache_headers(internal(api)["updated_ms"]))


def find_api(call):
    api_id = call.params["apiId"]
    api = call.store.api_in(call.env["id"], api_id)
    if api is None:
        raise api_not_found(api_id)
    return api


def touch(call, api):
    now = call.store.now_ms()
    api["updatedAt"] = iso(now)
    internal(api)["updated_ms"] = now
    return now


# -- create / read / update / delete ---------------------------------------------------------------
async def create_api(call):
    body = call.body()
    if body is None:
        raise validation_error([("createApi.api", "must not be null")])
    body = shapes.api_body(call.sandbox, body, update=False)
    validation.validate_create(call.sandbox, call.env["id"], body)
    store = call.store
    now = store.now_ms()
    api_id = store.new_id()
    for listener in body["listeners"]:
        if listener["type"] == "HTTP":
            listener.setdefault("requestValidation", {"rejectNullByte": True})
    api = {"id": api_id, "crossId": store.new_id(), "name": body["name"], "apiVersion": body["apiVersion"],
           "definitionVersion": "V4", "type": body["type"], "createdAt": iso(now), "updatedAt": iso(now),
           "disableMembershipNotifications": False, "groups": body.get("groups", []), "state": "STOPPED",
           "visibility": body.get("visibility", "PRIVATE"), "labels": [], "lifecycleState": "CREATED",
           "tags": body.get("tags", []), "primaryOwner": dict(store.primary_owner), "categories": [],
           "originContext": {"origin": "MANAGEMENT"},
           "definitionContext": {"origin": "MANAGEMENT", "mode": "FULLY_MANAGED", "syncFrom": "MANAGEMENT"},
           "responseTemplates": {}, "resources": [], "properties": [], "listeners": body["listeners"],
           "endpointGroups": body["endpointGroups"], "analytics": body["analytics"],
           "flowExecution": body["flowExecution"], "flows": body["flows"],
           "allowedInApiProducts": body.get("allowedInApiProducts", True), "allowMultiJwtOauth2Subscriptions": False,
           INTERNAL: {"env": call.env["id"], "updated_ms": now, "deployed_ms": None}}
    for optional in ("description", "failover"):
        if optional in body:
            api[optional] = body[optional]
    store.apis[api_id] = api
    # Response.created(...).entity(...): deploymentState, but no ETag on this answer.
    body = render(call, api, store.deployment_state(api_id))
    return json_response(body, 201, {"Location": f"{apis_url(call)}/{api_id}"})


async def get_api(call):
    return api_response(call, find_api(call))


KEPT_WHEN_OMITTED = ("groups", "labels", "categories", "crossId", "lifecycleState", "visibility")
RESET_WHEN_OMITTED = {"tags": list, "resources": list, "properties": list, "responseTemplates": dict,
                      "disableMembershipNotifications": lambda: False, "allowedInApiProducts": lambda: False,
                      "allowMultiJwtOauth2Subscriptions": lambda: False}
OPTIONAL_FIELDS = ("description", "failover", "services")


async def update_api(call):
    raw = call.body()
    if raw is None:
        raise validation_error([("updateApi.updateApi", "must not be null")])
    if isinstance(raw, dict) and raw.get("definitionVersion") in ("V2", "FEDERATED"):
        find_api(call)
        raise api_invalid(call.params["apiId"])
    body = shapes.api_body(call.sandbox, raw, update=True)
    api = find_api(call)
    check_if_match(call, internal(api)["updated_ms"])
    validation.validate_update(call.sandbox, api, body)
    for name in KEPT_WHEN_OMITTED:
        body.setdefault(name, api.get(name))
    for name, empty in RESET_WHEN_OMITTED.items():
        body.setdefault(name, empty())
    for name in ("name", "apiVersion", "type", "listeners", "endpointGroups", "analytics", "flowExecution", "flows",
                 *KEPT_WHEN_OMITTED, *RESET_WHEN_OMITTED):
        api[name] = body[name]
    for name in OPTIONAL_FIELDS:
        if name in body:
            api[name] = body[name]
        else:
            api.pop(name, None)
    touch(call, api)
    return api_response(call, api)


async def delete_api(call):
    api = find_api(call)
    store = call.store
    if api["state"] == "STARTED":
        raise api_running(api["id"])
    plans = store.plans_of(api["id"])
    if (call.query("closePlans") or "").lower() == "true":
        for plan in plans:
            if plan["status"] != "CLOSED":
                apim_plans.close(store, plan)
    else:
        published = sorted("null" if p.get("name") is None else p["name"] for p in plans
                           if p["status"] == "PUBLISHED")
        if published:
            raise api_not_deletable(published)
    for plan in plans:
        del store.plans[plan["id"]]
    store.record_deploy_event(api["id"], False, kind="UNPUBLISH_API", definition=public(api))
    del store.apis[api["id"]]
    return empty_response(204)


# -- list and search ---------------------------------------------------------------------------------
def _expanded(call):
    return "deploymentState" in call.query_list("expands")


def _page_of(call, apis, page, per_page):
    with_state = _expanded(call)
    rendered = [render(call, a, call.store.deployment_state(a["id"]) if with_state else None) for a in apis]
    return json_response(paged(call, rendered, page, per_page))


async def list_apis(call):
    page, per_page = pagination(call)
    apis = sorted(call.store.apis_in(call.env["id"]), key=lambda a: a["name"])
    return _page_of(call, apis, page, per_page)


def index_api_type(api):
    if api["type"] == "PROXY":
        tcp = any(listener.get("type") == "TCP" for listener in api.get("listeners") or [])
        return "V4_TCP_PROXY" if tcp else "V4_HTTP_PROXY"
    return "V4_KAFKA" if api["type"] == "NATIVE" else "V4_" + api["type"]


def _haystacks(api):
    paths = [p.get("path", "") for p in validation.http_paths(api)]
    return ([api["name"]], paths, [api.get("description") or ""] + list(api.get("labels") or [])
            + list(api.get("categories") or []) + list(api.get("tags") or [])
            + [api["primaryOwner"].get("displayName", "")])


def _score(api, query):
    tokens = [t.lower() for t in query.split(" ") if t]
    names, paths, others = ([v.lower() for v in values] for values in _haystacks(api))
    score = 20 if names[0] == query.lower() else 0
    for token in tokens:
        score += 10 * any(token in v for v in names) + 8 * any(token in v for v in paths)
        score += any(token in v for v in others)
    return score


def _filters(api, query):
    portal = "PUBLISHED" if api["lifecycleState"] == "PUBLISHED" else "UNPUBLISHED"
    checks = (("ids", [api["id"]]), ("apiTypes", [index_api_type(api)]), ("statuses", [api["state"]]),
              ("visibilities", [api["visibility"]]), ("tags", api.get("tags") or []),
              ("categories", api.get("categories") or []), ("published", [portal]))
    for name, values in checks:
        wanted = query.get(name)
        if wanted and not set(wanted) & set(values):
            return False
    versions = [query.get("definitionVersion")] + list(query.get("definitionVersions") or [])
    if any(versions) and "4.0.0" not in {DEFINITION_LABELS[v] for v in versions if v}:
        return False
    wanted = query.get("allowedInApiProducts")
    return wanted is None or api.get("allowedInApiProducts") == wanted


def _search_query(body):
    if body is None:
        raise validation_error([("searchApis.apiSearchQuery", "must not be null")])
    query = shapes.prune(shapes._object(body, None, shapes.MODEL + "ApiSearchQuery"), SEARCH_FIELDS)
    for i, version in enumerate([query.get("definitionVersion")] + list(query.get("definitionVersions") or [])):
        if version is not None and version not in DEFINITION_LABELS:
            raise unexpected_enum(version, "definitionVersion" if i == 0 else f"definitionVersions[{i - 1}]")
    return query


SORT_KEYS = {"name": lambda a: a["name"], "paths": lambda a: [p["path"] for p in validation.http_paths(a)],
             "api_type": index_api_type, "status": lambda a: a["state"], "visibility": lambda a: a["visibility"],
             "owner": lambda a: a["primaryOwner"].get("displayName", ""),
             "portal_status": lambda a: a["lifecycleState"] == "PUBLISHED",
             "tags_asc": lambda a: sorted(a.get("tags") or []), "tags_desc": lambda a: sorted(a.get("tags") or []),
             "categories_asc": lambda a: sorted(a.get("categories") or []),
             "categories_desc": lambda a: sorted(a.get("categories") or []), "access": lambda a: a["visibility"]}


async def search_apis(call):
    page, per_page = pagination(call)
    sort_by = call.query("sortBy")
    query = _search_query(call.body())
    if sort_by is not None and sort_by not in SORT_VALUES:
        raise bad_request(f"Invalid sortBy parameter: {sort_by}")
    text = (query.get("query") or "").strip()
    matches = []
    for api in sorted(call.store.apis_in(call.env["id"]), key=lambda a: a["createdAt"]):
        score = _score(api, text) if text else 0
        if _filters(api, query) and (not text or score > 0):
            matches.append((score, api))
    matches.sort(key=lambda pair: -pair[0])
    apis = [api for _, api in matches]
    if sort_by:
        apis.sort(key=SORT_KEYS[sort_by.lstrip("-")], reverse=sort_by.startswith("-"))
    return _page_of(call, apis, page, per_page)
