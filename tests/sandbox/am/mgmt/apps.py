"""Applications of a domain (ApplicationsResource.java): create, list/search, get, PATCH, delete.

The create response is the only one carrying the plain client secret
(``settings.oauth.clientSecret``); afterwards the secret exists only hashed in ``_secrets``.
Lists return AM's ``FilteredApplication`` entries (``clientId`` only with ``expand=clientId``).

PATCH models ``name``, ``description``, ``enabled``, ``template``, ``identityProviders`` and these
``settings.oauth`` keys: redirectUris, grantTypes, responseTypes, tokenEndpointAuthMethod,
forcePKCE, forceS256CodeChallengeMethod, scopeSettings, clientName and the token
validities. Other PatchApplication keys are refused as unknown properties.
"""

import copy
import re

from tests.sandbox.am.store import SECRET_SETTINGS, default_oauth_settings, new_id, now_ms

from .app_model import apply_agent_defaults, apply_template, validate_oauth
from .binding import BOOLEAN, INT, STRING, Enum, FreeMap, ListOf, Obj, bind, present
from .common import (
    NOTHING_TO_UPDATE,
    ROUTE_NOT_FOUND,
    MgmtError,
    bad_request,
    json_response,
    location,
    no_content,
    page_params,
    paginate,
    read_json,
    render,
    violations,
)

TYPES = ("WEB", "NATIVE", "BROWSER", "SERVICE", "RESOURCE_SERVER")
SCOPE_SETTING = Obj({"scope": STRING, "defaultScope": BOOLEAN, "scopeApproval": INT})
PATCH_OAUTH = Obj({
    "redirectUris": ListOf(STRING), "grantTypes": ListOf(STRING), "responseTypes": ListOf(STRING),
    "tokenEndpointAuthMethod": STRING, "forcePKCE": BOOLEAN, "forceS256CodeChallengeMethod": BOOLEAN,
    "scopeSettings": ListOf(SCOPE_SETTING), "clientName": STRING, "accessTokenValiditySeconds": INT,
    "refreshTokenValiditySeconds": INT, "idTokenValiditySeconds": INT,
})
PATCH_APPLICATION = Obj({
    "name": STRING, "description": STRING, "enabled": BOOLEAN, "template": BOOLEAN,
    "identityProviders": ListOf(Obj({"identity": STRING, "selectionRule": STRING, "priority": INT})),
    "settings": Obj({"oauth": PATCH_OAUTH}),
})
# PatchApplicationOAuthSettings resets these primitives to java defaults when sent as null.
OAUTH_PRIMITIVES = {"forcePKCE": False, "forceS256CodeChallengeMethod": False, "accessTokenValiditySeconds": 0,
                    "refreshTokenValiditySeconds": 0, "idTokenValiditySeconds": 0}
DETAIL_FIELDS = ("id", "name", "type", "kind", "description", "domain", "enabled", "template", "createdAt",
                 "updatedAt", "factors", "identityProviders", "certificate", "metadata", "settings")
LIST_FIELDS = ("id", "name", "description", "type", "kind", "enabled", "template", "updatedAt")


def _types(ctx):
    names = TYPES + (("AGENT",) if ctx.at_least("4.12.0") else ())
    return {name: name.lower() for name in names}


def _new_application_spec(ctx):
    return Obj({"name": STRING, "type": Enum(_types(ctx)), "description": STRING, "clientId": STRING,
                "clientSecret": STRING, "redirectUris": ListOf(STRING), "metadata": FreeMap(), "kind": STRING})


def _safe_secrets(app):
    return [{k: r[k] for k in ("id", "settingsId", "name", "createdAt") if r.get(k) is not None}
            for r in app["_secrets"]]


def detail(app):
    """``filterApplicationInfos`` for an admin: no secretSettings, secrets without values."""
    document = render({k: app.get(k) for k in DETAIL_FIELDS})
    document["secrets"] = _safe_secrets(app)
    return document


def summary(app, with_client_id):
    document = render({k: app.get(k) for k in LIST_FIELDS})
    if with_client_id:
        document["clientId"] = app["clientId"]
    return document


def not_found(app_id):
    return MgmtError(404, f"Application [{app_id}] can not be found.")


def find_in_domain(ctx, domain):
    app = ctx.store.applications.get(ctx.params["app"])
    if app is None or app["_domain"] != domain["id"]:
        raise not_found(ctx.params["app"])
    return app


async def create_application(ctx):
    store = ctx.store
    body = await read_json(ctx.request, param="newApplication")
    new = bind(body, _new_application_spec(ctx))
    problems = [(field, "must not be null") for field in ("name", "type") if new.get(field) is None]
    if problems:
        raise violations(problems)
    domain = ctx.domain()
    oauth = default_oauth_settings(clientId=new.get("clientId") or None, clientSecret=new.get("clientSecret") or None,
                                   tokenEndpointAuthMethod="client_secret_basic", redirectUris=new.get("redirectUris"))
    app = {"id": new_id(), "name": new["name"], "type": new["type"], "description": new.get("description"),
           "domain": domain["id"], "enabled": True, "template": False, "metadata": new.get("metadata"),
           "settings": {"oauth": oauth}}
    if app["type"] == "agent":
        app["kind"] = new.get("kind")
        apply_agent_defaults(app["kind"], oauth)
    apply_template(app)
    raw_secret = oauth.pop("clientSecret")
    client_id = oauth["clientId"]
    if store.find_client(domain["id"], client_id)[0] is not None:
        raise bad_request(f"A client [{client_id}] already exists for domain [{domain['id']}]")
    validate_oauth(store, domain, app)
    created = now_ms()
    app.update(certificate=store.default_certificate_id(domain["id"]), createdAt=created, updatedAt=created,
               secretSettings=[dict(SECRET_SETTINGS)], clientId=client_id, _domain=domain["id"],
               _secrets=[store.new_secret_record(raw_secret)])
    app["settings"]["oauth"] = {k: v for k, v in oauth.items() if v is not None}
    store.applications[app["id"]] = app
    answer = render(app)
    answer.pop("clientId")
    answer["settings"]["oauth"]["clientSecret"] = raw_secret  # the only time it is shown
    answer["secrets"] = _safe_secrets(app)
    path = f"/organizations/{ctx.params['org']}/environments/{ctx.params['env']}/domains/{domain['id']}" \
           f"/applications/{app['id']}"
    return json_response(answer, status=201, headers=location(ctx.request, path))


def _matches(app, query):
    """Exact name or clientId, case-insensitive; ``*`` makes a case-insensitive prefix pattern."""
    values = (app.get("name") or "", app.get("clientId") or "")
    if "*" not in query:
        return query.lower() in (v.lower() for v in values)
    pattern = re.compile("^" + ".*".join(re.escape(p) for p in re.split(r"\*+", query)), re.IGNORECASE)
    return any(pattern.match(v) for v in values)


async def list_applications(ctx):
    page, size = page_params(ctx.request)
    wanted_types = set()
    for value in ctx.request.query_params.getlist("type"):
        if value not in _types(ctx):
            raise MgmtError(404, ROUTE_NOT_FOUND)  # Jersey cannot convert the enum parameter
        wanted_types.add(value.lower())
    with_client_id = "clientId" in ctx.request.query_params.getlist("expand")
    domain = ctx.domain()
    apps = [a for a in ctx.store.applications.values() if a["_domain"] == domain["id"]]
    if wanted_types:
        apps = [a for a in apps if a["type"] in wanted_types]
    query = ctx.request.query_params.get("q")
    if query is not None:
        apps = [a for a in apps if _matches(a, query)]
    apps.sort(key=lambda a: a.get("updatedAt") or 0, reverse=True)
    return json_response(paginate([summary(a, with_client_id) for a in apps], page, size))


async def get_application(ctx):
    return json_response(detail(find_in_domain(ctx, ctx.domain())))


def _changes_something(patch):
    settings = patch.get("settings")
    return (any(present(patch, k) for k in ("name", "description", "enabled", "template", "identityProviders"))
            or (settings is not None and present(settings, "oauth")))


def _identity_providers(store, domain_id, requested):
    """Sorted by priority (AM's TreeSet); identities the domain does not have are dropped."""
    known = {idp["id"] for idp in store.identity_providers.get(domain_id, [])}
    kept = []
    for item in requested:
        entry = {"identity": item.get("identity"), "selectionRule": item.get("selectionRule"),
                 "priority": item.get("priority") or 0}
        if entry["identity"] in known and entry not in kept:
            kept.append(entry)
    kept.sort(key=lambda e: (e["priority"] < 0, e["priority"]))
    return [render(e) for e in kept]


async def patch_application(ctx):
    store = ctx.store
    body = await read_json(ctx.request, param="patchApplication")
    patch = bind(body, PATCH_APPLICATION)
    if not _changes_something(patch):
        raise bad_request(NOTHING_TO_UPDATE)
    domain = ctx.domain()
    app = copy.deepcopy(find_in_domain(ctx, domain))
    for key in ("name", "description"):
        if key in patch:
            app[key] = patch[key]
    for key in ("enabled", "template"):
        if key in patch:
            app[key] = bool(patch[key])
    oauth = app.setdefault("settings", {}).setdefault("oauth", default_oauth_settings())
    for key, value in ((patch.get("settings") or {}).get("oauth") or {}).items():
        oauth[key] = OAUTH_PRIMITIVES.get(key) if value is None else copy.deepcopy(value)
    oauth["clientName"] = app.get("name")  # AM keeps the client name in step with the application name
    if patch.get("identityProviders") is not None:
        app["identityProviders"] = _identity_providers(store, domain["id"], patch["identityProviders"])
    apply_template(app)
    oauth.pop("clientSecret", None)  # the template would invent one; AM keeps only the hashed secret
    validate_oauth(store, domain, app)
    app["settings"]["oauth"] = {k: v for k, v in oauth.items() if v is not None}
    app["updatedAt"] = now_ms()
    store.applications[app["id"]] = app
    return json_response(detail(app))


async def delete_application(ctx):
    app = find_in_domain(ctx, ctx.domain())
    del ctx.store.applications[app["id"]]
    return no_content()


ROUTES = [
    (r"{D}/applications", {"GET": list_applications, "POST": create_application}),
    (r"{D}/applications/(?P<app>[^/]+)",
     # PUT takes the same partial PatchApplication body as PATCH in AM.
     {"GET": get_application, "PATCH": patch_application, "PUT": patch_application, "DELETE": delete_application}),
]
