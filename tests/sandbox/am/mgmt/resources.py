"""Protected resources, i.e. MCP servers (ProtectedResourcesResource.java,
ProtectedResourceServiceImpl.java), AM 4.10+.

Checks run in AM's order: body binding, bean validation, the REST layer's checks
(duplicate feature keys on create, empty PATCH), the domain, then the service rules
(client id unique among applications and resources, identifiers unique among the
domain's resources, tool scopes, certificate).

The plain client secret leaves the sandbox once, in the create response.
"""

import copy
import re

from tests.sandbox.am.store import SECRET_SETTINGS, default_oauth_settings, new_id, now_ms, random_secret
from tests.sandbox.am.validation import normalise_identifier

from .common import (
    INTERNAL_ERROR,
    NOTHING_TO_UPDATE,
    MgmtError,
    bad_request,
    json_response,
    location,
    no_content,
    page_params,
    paginate,
    read_json,
    render,
)
from .resource_model import (
    bind_new,
    bind_patch,
    bind_update,
    has_any_field,
    validate_new,
    validate_patch,
    validate_update,
)

SINCE = "4.10.0"
RENDERED_410 = ("id", "clientId", "name", "description", "type", "resourceIdentifiers", "features", "updatedAt")
RENDERED_411 = ("id", "clientId", "name", "description", "type", "resourceIdentifiers", "settings",
                "secretSettings", "features", "updatedAt", "certificate")
FEATURE_FIELDS = ("key", "description", "type", "createdAt", "updatedAt", "scopes")
# ApplicationOAuthSettings primitives: JSON null leaves java's zero value.
PRIMITIVE_OAUTH = {
    **{flag: False for flag in (
        "forcePKCE", "forceS256CodeChallengeMethod", "enhanceScopesWithUserPermissions",
        "tlsClientCertificateBoundAccessTokens", "singleSignOut", "silentReAuthentication", "requireParRequest",
        "backchannelUserCodeParameter", "disableRefreshTokenRotation")},
    "accessTokenValiditySeconds": 0, "refreshTokenValiditySeconds": 0, "idTokenValiditySeconds": 0,
}


def representation(ctx, resource):
    """ProtectedResourcePrimaryData: no secret, ``settings.oauth.clientSecret`` blanked."""
    fields = RENDERED_411 if ctx.at_least("4.11.0") else RENDERED_410
    document = {key: resource.get(key) for key in fields}
    document["features"] = [{k: f.get(k) for k in FEATURE_FIELDS} for f in resource.get("features") or []]
    return render(document)


def not_found(resource_id):
    return MgmtError(404, f"ProtectedResource [{resource_id}] can not be found.")


def resource_type(ctx):
    """``ProtectedResource.Type.fromString`` on the ``type`` query parameter (required).

    A missing or unknown type makes ``fromString`` throw ``Invalid protected resource type: null``,
    which AM does not map: measured on AM 4.10.8 and 4.11.1, ``GET .../protected-resources`` and
    ``GET .../protected-resources/{id}`` without ``type`` answer 500 ``Internal error`` (not 400).
    """
    value = ctx.request.query_params.get("type")
    if value is None or value.upper() != "MCP_SERVER":
        raise MgmtError(500, INTERNAL_ERROR)
    return "mcp_server"


def find_in_domain(ctx, domain):
    resource = ctx.store.protected_resources.get(ctx.params["resource"])
    if resource is None or resource["_domain"] != domain["id"]:
        raise not_found(ctx.params["resource"])
    return resource


def _trim_to_none(text):
    text = text.strip() if isinstance(text, str) else text
    return text or None


def _features(requested, created):
    features = []
    for item in requested or []:
        feature = {"key": _trim_to_none(item.get("key")), "description": _trim_to_none(item.get("description")),
                   "type": "mcp_tool", "createdAt": created}
        if item.get("scopes") is not None:
            feature["scopes"] = list(item["scopes"])
        features.append(feature)
    return features


def _oauth_settings(settings, client_id):
    """AM's ``applyDefaultOAuthSettings`` on the resource's settings (kept without the secret)."""
    oauth = default_oauth_settings()
    for key, value in ((settings or {}).get("oauth") or {}).items():
        if value is None:
            oauth.pop(key, None)
            if key in PRIMITIVE_OAUTH:
                oauth[key] = PRIMITIVE_OAUTH[key]
        elif key != "clientSecret":
            oauth[key] = copy.deepcopy(value)
    oauth.setdefault("clientId", client_id)
    if not oauth.get("grantTypes"):
        oauth["grantTypes"] = ["client_credentials"]
    if not oauth.get("responseTypes"):
        oauth["responseTypes"] = ["code"]
    oauth.setdefault("tokenEndpointAuthMethod", "client_secret_basic")
    return {"oauth": oauth}


def client_id_taken(store, domain_id, client_id):
    kind, _ = store.find_client(domain_id, client_id)
    return kind is not None


def _identifiers_taken(store, domain_id, identifiers, exclude_id=None):
    wanted = set(identifiers)
    return any(set(r.get("resourceIdentifiers") or []) & wanted for r in store.protected_resources.values()
               if r["_domain"] == domain_id and r["id"] != exclude_id)


async def create_resource(ctx):
    store = ctx.store
    body = await read_json(ctx.request, param="newProtectedResource")
    new = bind_new(ctx, body)
    validate_new(new)
    keys = [f["key"].strip() for f in new.get("features") or [] if f is not None]
    if len(set(keys)) < len(keys):
        raise bad_request("Feature key names must be unique")
    domain = ctx.domain()
    created = now_ms()
    raw_secret = new.get("clientSecret") or random_secret()
    client_id = new.get("clientId") or random_secret()
    identifiers = [normalise_identifier(i) for i in new["resourceIdentifiers"]]
    if client_id_taken(store, domain["id"], client_id):
        raise bad_request(f"A client [{client_id}] already exists for domain [{domain['id']}]")
    if _identifiers_taken(store, domain["id"], identifiers):
        raise bad_request("Resource identifier already exists")
    resource = {
        "id": new_id(), "clientId": client_id, "name": _trim_to_none(new["name"]),
        "description": _trim_to_none(new.get("description")), "type": "mcp_server",
        "resourceIdentifiers": identifiers, "features": _features(new.get("features"), created),
        "secretSettings": [dict(SECRET_SETTINGS)], "updatedAt": created,
        "_createdAt": created, "_domain": domain["id"], "_secrets": [store.new_secret_record(raw_secret)],
    }
    if ctx.at_least("4.11.0"):
        resource["settings"] = _oauth_settings(new.get("settings"), client_id)
        resource["certificate"] = store.default_certificate_id(domain["id"])
    store.protected_resources[resource["id"]] = resource
    path = (f"/organizations/{ctx.params['org']}/environments/{ctx.params['env']}/domains/{domain['id']}"
            f"/protected-resources/{resource['id']}")
    answer = {"id": resource["id"], "name": resource["name"], "clientId": client_id, "clientSecret": raw_secret}
    return json_response(render(answer), status=201, headers=location(ctx.request, path))


def _sort_key(sort):
    field, _, direction = (sort or "updatedAt.desc").rpartition(".")
    field = field or "updatedAt"
    descending = direction.lower() != "asc"

    def key(resource):
        value = resource.get("_createdAt" if field == "createdAt" else field)
        return (value is None, value if value is not None else 0)

    return key, descending


def _matches(resource, query):
    """4.11+ search: exact clientId or name (case-insensitive); ``*`` makes a prefix pattern."""
    if "*" not in query:
        return query.lower() in ((resource.get("clientId") or "").lower(), (resource.get("name") or "").lower())
    pattern = re.compile("^" + ".*".join(re.escape(part) for part in re.split(r"\*+", query)), re.IGNORECASE)
    return any(pattern.match(resource.get(k) or "") for k in ("clientId", "name"))


async def list_resources(ctx):
    page, size = page_params(ctx.request)
    kind = resource_type(ctx)
    domain = ctx.domain()
    resources = [r for r in ctx.store.protected_resources.values() if r["_domain"] == domain["id"]]
    query = ctx.request.query_params.get("q") if ctx.at_least("4.11.0") else None
    if query:
        resources = [r for r in resources if _matches(r, query)]
        key, descending = _sort_key("updatedAt.desc")  # the search ignores ``sort``
    else:
        resources = [r for r in resources if r["type"] == kind]
        key, descending = _sort_key(ctx.request.query_params.get("sort"))
    resources.sort(key=key, reverse=descending)
    return json_response(paginate([representation(ctx, r) for r in resources], page, size))


async def get_resource(ctx):
    kind = resource_type(ctx)
    domain = ctx.domain()
    resource = find_in_domain(ctx, domain)
    if resource["type"] != kind:
        raise not_found(resource["id"])
    return json_response(representation(ctx, resource))


async def patch_resource(ctx):
    body = await read_json(ctx.request, param="patchProtectedResource")
    patch = bind_patch(ctx, body)
    validate_patch(patch)
    if not has_any_field(ctx, patch):
        raise bad_request(NOTHING_TO_UPDATE)
    domain = ctx.domain()
    old = find_in_domain(ctx, domain)
    updated = copy.deepcopy(old)
    for key in ("name", "description", "certificate", "resourceIdentifiers", "secretSettings", "settings"):
        if key in patch:
            updated[key] = copy.deepcopy(patch[key])
    if patch.get("features") is not None:
        updated["features"] = _features(patch["features"], None)
    return _save_update(ctx, domain, old, updated)


async def update_resource(ctx):
    body = await read_json(ctx.request, param="updateProtectedResource")
    update = bind_update(ctx, body)
    validate_update(update)
    domain = ctx.domain()
    old = find_in_domain(ctx, domain)
    updated = copy.deepcopy(old)
    updated["name"] = _trim_to_none(update["name"])
    updated["description"] = _trim_to_none(update.get("description"))
    updated["resourceIdentifiers"] = list(update["resourceIdentifiers"])
    updated["features"] = _features(update.get("features"), None)
    if ctx.at_least("4.11.0"):
        updated["settings"] = copy.deepcopy(update.get("settings"))
    return _save_update(ctx, domain, old, updated)


def _save_update(ctx, domain, old, updated):
    """ProtectedResourceServiceImpl.innerUpdate + processUpdate."""
    store = ctx.store
    updated["updatedAt"] = now_ms()
    if updated.get("resourceIdentifiers") is not None:
        updated["resourceIdentifiers"] = [normalise_identifier(i) for i in updated["resourceIdentifiers"]]
    if ctx.at_least("4.11.0"):
        updated["settings"] = _oauth_settings(updated.get("settings"), updated["clientId"])
    created_at = {f["key"]: f.get("createdAt") for f in old.get("features") or []}
    for feature in updated.setdefault("features", []):
        feature["createdAt"] = created_at.get(feature["key"], updated["updatedAt"])
        feature["updatedAt"] = updated["updatedAt"]
    keys = [(f["key"] or "").strip() for f in updated["features"]]
    if len(set(keys)) < len(keys):
        raise bad_request("Feature key names must be unique")
    identifiers = updated.get("resourceIdentifiers")
    if not identifiers:
        raise bad_request("Field [resourceIdentifiers] must not be empty")
    if set(identifiers) != set(old.get("resourceIdentifiers") or []) and \
            _identifiers_taken(store, domain["id"], identifiers, exclude_id=old["id"]):
        raise bad_request("Resource identifier already exists")
    known_scopes = store.scopes.get(domain["id"], {})
    for scope in dict.fromkeys(s for f in updated["features"] for s in f.get("scopes") or []):
        if scope not in known_scopes:
            raise bad_request(f"scope {scope} is not valid.")
    certificate = updated.get("certificate")
    if ctx.at_least("4.11.0") and certificate and certificate.strip():
        if certificate not in {c["id"] for c in store.certificates.get(domain["id"], [])}:
            raise bad_request(f"Certificate {certificate} not found")
    updated = {k: v for k, v in updated.items() if v is not None}
    store.protected_resources[old["id"]] = updated
    return json_response(representation(ctx, updated))


async def delete_resource(ctx):
    kind = resource_type(ctx)
    domain = ctx.domain()
    resource = find_in_domain(ctx, domain)
    if resource["type"] != kind:
        raise not_found(resource["id"])
    del ctx.store.protected_resources[resource["id"]]
    return no_content()


ROUTES = [
    (r"{D}/protected-resources", {"GET": list_resources, "POST": create_resource}, SINCE),
    (r"{D}/protected-resources/(?P<resource>[^/]+)",
     {"GET": get_resource, "PATCH": patch_resource, "PUT": update_resource, "DELETE": delete_resource}, SINCE),
]
