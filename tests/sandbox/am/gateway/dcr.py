"""Dynamic Client Registration (RFC 7591) and client management (RFC 7592) of the sandbox AM gateway.

Facts from AM 4.12.4 (``DynamicClientRegistrationHandler``, ``DynamicClientRegistrationServiceImpl``,
``ClientServiceImpl``, ``ApplicationServiceImpl``, ``GrantTypeUtils``) and its DCR Postman suite:
- open DCR (both flags on): no token; DCR off: 403 ``registration_forbidden``; DCR on but not open:
  a client token with scope ``dcr_admin``;
- checks, in order: ``redirect_uris`` present; grant and response types known; then the application
  rules: grant/response type correspondence, ``refresh_token`` needs a user grant, redirect URIs
  against the domain flags, scopes must be domain scopes (the request's ``scope`` is split on single
  spaces, so a leading space yields an empty scope), ``none`` cannot go with ``client_credentials``;
- the new client gets a generated id and secret (a secret even for ``none``), "Unknown Client" as
  name, type web/native/browser/service from its grants, and the domain's first identity provider;
- the answer is 201 with the client metadata, ``registration_access_token`` (scope ``dcr``) and
  ``registration_client_uri``; ``GET`` omits both, ``DELETE`` answers 204.
"""

import json

from starlette.responses import Response

from tests.sandbox.am import validation
from tests.sandbox.am.store import default_oauth_settings, new_id, now_ms

from .bearer import authorize_bearer, presented_token
from .clients import find_client
from .common import OAuthError, media_type, no_store_json, random_token
from .discovery import GRANT_TYPES, RESPONSE_TYPES
from .sync import APPLICATION, forget, learn
from .tokens import issue_registration_token

DEFAULT_CLIENT_NAME = "Unknown Client"
USER_GRANTS_FOR_REFRESH = ("authorization_code", "password", "urn:ietf:params:oauth:grant-type:jwt-bearer")
CODE_RESPONSES = ("code", "code token", "code id_token", "code id_token token")
IMPLICIT_RESPONSES = ("token", "id_token", "id_token token")
# DCR metadata kept on the client: JSON name -> ApplicationOAuthSettings name.
EXTRA_METADATA = {"contacts": "contacts", "logo_uri": "logoUri", "client_uri": "clientUri", "policy_uri": "policyUri",
                  "tos_uri": "tosUri", "jwks_uri": "jwksUri", "subject_type": "subjectType",
                  "request_uris": "requestUris", "software_id": "softwareId", "software_version": "softwareVersion",
                  "post_logout_redirect_uris": "postLogoutRedirectUris"}


def _invalid(message):
    return OAuthError("invalid_client_metadata", message)


def _request_scopes(ctx, body):
    """The registration's scopes after AM's allowed/default scope handling (Java ``split(" ")``)."""
    settings = ctx.registration_settings
    raw = body.get("scope")
    scopes = None
    if isinstance(raw, str) and raw.strip():
        scopes = raw.split(" ")
        while scopes and scopes[-1] == "":
            scopes.pop()  # Java drops trailing empty strings, not leading ones
        if settings.get("isAllowedScopesEnabled") and settings.get("allowedScopes") is not None:
            scopes = [s for s in dict.fromkeys(scopes) if s in settings["allowedScopes"]]
    if not scopes and settings.get("defaultScopes"):
        scopes = list(settings["defaultScopes"])
    return scopes or []


def _complete_grant_types(grants, responses):
    """GrantTypeUtils.completeGrantTypeCorrespondance."""
    grants, responses = list(grants or []), list(responses or [])
    if any(r in CODE_RESPONSES for r in responses) and "authorization_code" not in grants:
        grants.append("authorization_code")
    if any(r in IMPLICIT_RESPONSES for r in responses) and "implicit" not in grants:
        grants.append("implicit")
    if "authorization_code" in grants and not any(r in CODE_RESPONSES for r in responses):
        grants.remove("authorization_code")
    if "implicit" in grants and not any(r in IMPLICIT_RESPONSES for r in responses):
        grants.remove("implicit")
    if not grants and not responses:
        return ["authorization_code"], ["code"]
    return grants, responses


def _application_type(grants, application_type):
    """ClientServiceImpl.getType."""
    if not grants or grants == ["client_credentials"]:
        return "service"
    if grants == ["implicit"]:
        return "browser"
    return {None: "web", "web": "web", "native": "native", "browser": "browser"}.get(application_type, "service")


def _check_list(body, key):
    value = body.get(key)
    if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise _invalid("One of the Client Metadata value is invalid.")
    return value


def build_client(ctx, body):
    """Validate a registration request and build the application document (or raise OAuthError)."""
    if "redirect_uris" not in body:
        raise OAuthError("invalid_redirect_uri", "Missing or invalid redirect_uris.")
    redirect_uris = _check_list(body, "redirect_uris")
    scopes = _request_scopes(ctx, body)
    grants = _check_list(body, "grant_types") if "grant_types" in body else ["authorization_code"]
    if "grant_types" in body and (not grants or any(g not in GRANT_TYPES for g in grants)):
        raise _invalid("Missing or invalid grant type.")
    responses = _check_list(body, "response_types") if "response_types" in body else ["code"]
    if any(r not in RESPONSE_TYPES for r in responses or []):
        raise _invalid("Invalid response type.")
    grants, responses = _complete_grant_types(grants, responses)
    if not grants or any(g not in GRANT_TYPES for g in grants):
        raise _invalid("Missing or invalid grant type.")
    if "refresh_token" in grants and not any(g in USER_GRANTS_FOR_REFRESH for g in grants):
        raise _invalid("refresh_token grant type must be associated with one of " + ", ".join(USER_GRANTS_FOR_REFRESH))
    app_type = _application_type(grants, body.get("application_type", "web"))
    if "implicit" in grants and not redirect_uris:
        raise OAuthError("invalid_redirect_uri", "Missing or invalid redirect_uris.")
    for uri in redirect_uris or []:
        message = validation.application_redirect_uri_error(ctx.registration_settings, uri)
        if message:
            raise OAuthError("invalid_redirect_uri", message)
    if not redirect_uris and app_type != "service":
        raise OAuthError("invalid_redirect_uri", "At least one redirect_uri is required")
    domain_scopes = ctx.store.scopes.get(ctx.domain_id, {})
    for scope in scopes:
        if scope not in domain_scopes:
            raise _invalid(f"scope {scope} is not valid.")
    auth_method = body.get("token_endpoint_auth_method", "client_secret_basic")
    if auth_method == "none" and (app_type == "service" or "client_credentials" in grants):
        raise _invalid("Invalid token_endpoint_auth_method for service application (client_credentials grant type)")
    return _application(ctx, body, redirect_uris, grants, responses, app_type, scopes, auth_method)


def _application(ctx, body, redirect_uris, grants, responses, app_type, scopes, auth_method):
    client_id = random_token(24)
    name = body.get("client_name")
    name = name if isinstance(name, str) and name.strip() else DEFAULT_CLIENT_NAME
    oauth = default_oauth_settings(
        clientId=client_id, clientName=name, clientType="public" if auth_method == "none" else "confidential",
        applicationType=body.get("application_type", "web"), redirectUris=redirect_uris, grantTypes=grants,
        responseTypes=responses, tokenEndpointAuthMethod=auth_method,
        scopeSettings=[{"scope": s, "defaultScope": False} for s in scopes])
    for json_name, field in EXTRA_METADATA.items():
        if body.get(json_name) is not None:
            oauth[field] = body[json_name]
    idps = ctx.store.identity_providers.get(ctx.domain_id) or [{"id": ctx.default_idp}]
    created = now_ms()
    return {
        "id": new_id(), "name": name, "type": app_type, "domain": ctx.domain_id, "enabled": True,
        "template": False, "certificate": ctx.store.default_certificate_id(ctx.domain_id),
        "identityProviders": [{"identity": idps[0]["id"], "priority": -1}],
        "createdAt": created, "updatedAt": created, "settings": {"oauth": oauth},
        "clientId": client_id, "_domain": ctx.domain_id, "_secrets": [],
    }


def registration_response(app, *, secret=None, registration_token=None, registration_uri=None):
    oauth = app["settings"]["oauth"]
    body = {
        "redirect_uris": oauth.get("redirectUris"), "response_types": oauth.get("responseTypes"),
        "grant_types": oauth.get("grantTypes"), "application_type": oauth.get("applicationType"),
        "client_name": oauth.get("clientName"), "token_endpoint_auth_method": oauth.get("tokenEndpointAuthMethod"),
        "scope": " ".join(s["scope"] for s in oauth.get("scopeSettings") or []) or None,
        "client_id": oauth["clientId"], "client_secret": secret,
        "registration_access_token": registration_token, "registration_client_uri": registration_uri,
        "domain": app["_domain"], "id": app["id"], "enabled": app.get("enabled", True),
        "created_at": app.get("createdAt"), "updated_at": app.get("updatedAt"),
    }
    for json_name, field in EXTRA_METADATA.items():
        body[json_name] = oauth.get(field)
    return {k: v for k, v in body.items() if v is not None}


async def _json_body(request):
    raw = await request.body()
    if not raw.strip():
        raise _invalid("no content")
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise _invalid(f"Failed to decode:{exc}") from exc
    if not isinstance(body, dict):
        raise _invalid("no content")
    return body


async def register_endpoint(ctx, request):
    if media_type(request) != "application/json":
        return Response(status_code=415)  # the route only consumes application/json
    settings = ctx.registration_settings
    dcr_on = settings.get("isDynamicClientRegistrationEnabled")
    if not (dcr_on and settings.get("isOpenDynamicClientRegistrationEnabled")):
        if not dcr_on:
            raise OAuthError("registration_forbidden", "Not allowed to access to this resource.", 403)
        authorize_bearer(ctx, presented_token(request), required_scope="dcr_admin", force_client=True)
    app = build_client(ctx, await _json_body(request))
    secret = random_token(32)
    app["_secrets"] = [ctx.store.new_secret_record(secret)]
    token = issue_registration_token(ctx, app["clientId"])
    uri = ctx.base + "/oidc/register/" + app["clientId"]
    # AM sets both on the client before storing it (applyRegistrationAccessToken), so the management API
    # shows them in settings.oauth: that is how a registered client differs from one made by hand.
    app["settings"]["oauth"].update(registrationAccessToken=token, registrationClientUri=uri)
    ctx.store.applications[app["id"]] = app
    learn(ctx.store, APPLICATION, app)
    ctx.store.gateway.setdefault("dcr", {})[app["clientId"]] = {"registration_access_token": token}
    return no_store_json(registration_response(app, secret=secret, registration_token=token,
                                               registration_uri=uri), status=201)


def _managed_client(ctx, request):
    """The DCR client addressed by ``/register/{client_id}``, after AM's access checks."""
    if not ctx.registration_settings.get("isDynamicClientRegistrationEnabled"):
        raise OAuthError("registration_forbidden", "Not allowed to access to this resource.", 403)
    client_id = request.path_params["client_id"]
    token = presented_token(request)
    record = authorize_bearer(ctx, token, required_scope="dcr_admin", force_client=True, self_client_id=client_id,
                              self_scope="dcr", kinds=("registration_tokens", "access_tokens"))
    if "dcr_admin" not in (record.get("scope") or "").split():
        registered = ctx.store.gateway.get("dcr", {}).get(record["client_id"], {})
        if token != registered.get("registration_access_token"):
            raise OAuthError("registration_forbidden", "Non matching registration_access_token", 403)
        if record.get("sub") != client_id:
            raise OAuthError("registration_forbidden", "Not allowed to access to : " + client_id, 403)
    client = find_client(ctx.store, ctx.domain_id, client_id)
    if client is None or client.kind != "application":
        raise OAuthError("not_found", "client not found", 404)
    return client


async def read_client_endpoint(ctx, request):
    client = _managed_client(ctx, request)
    return no_store_json(registration_response(client.obj))


async def delete_client_endpoint(ctx, request):
    client = _managed_client(ctx, request)
    ctx.store.applications.pop(client.obj["id"], None)
    forget(ctx.store, APPLICATION, client.obj["id"])
    registration_tokens = ctx.store.gateway.get("registration_tokens", {})
    for token in [t for t, r in registration_tokens.items() if r.get("client_id") == client.client_id]:
        del registration_tokens[token]  # the client is gone: its registration token no longer decodes
    ctx.store.gateway.get("dcr", {}).pop(client.client_id, None)
    return Response(status_code=204)
