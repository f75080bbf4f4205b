"""The authorization endpoint and the consent page of the sandbox AM gateway.

Order of checks, from AM 4.12.4 ``OAuth2Provider`` (authorize route) and its handlers:
repeated parameters, ``response_type``, ``client_id`` and the client; ``prompt=none``; PKCE
(required only when the client has ``forcePKCE``; ``plain`` or ``S256``); the client's grant and
response types; the redirect URI (``RedirectUriValidationHandler``: exact when the domain asks for
strict matching, else same scheme, host and port and a path that starts with a registered one);
then sign-in, scopes, RFC 8707 ``resource`` (``invalid_target``, checked after sign-in), consent,
and the code. Errors go to the client's ``redirect_uri`` with ``error``/``error_description``/``state``,
or to ``B/oauth/error`` when the client or the redirect URI cannot be trusted
(``AuthorizationRequestFailureHandler``). The success redirect carries ``code`` and ``state`` only:
AM 4.12.4 sends no ``iss`` and does not advertise RFC 9207.
"""

import re
import time
from urllib.parse import urlsplit

from . import pages
from .clients import find_client, resolve_scopes, validate_resources
from .common import OAuthError, Params, add_query, random_token, request_params
from .discovery import RESPONSE_TYPES
from .login import csrf_ok, flow_params, redirect, session_of, signed_in_user, with_session

CODE_VALIDITY = 60  # authorization.code.validity, in seconds
PKCE_VALUE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
DEFAULT_PORTS = {"http": 80, "https": 443}


def _pattern(text):
    return "^" + re.escape(text).replace(r"\*", ".*") + "$"


def redirect_matches(requested, registered, strict):
    """ParamUtils.redirectMatches."""
    if strict:
        return requested == registered
    req, reg = urlsplit(requested), urlsplit(registered)
    if req.scheme not in DEFAULT_PORTS or reg.scheme not in DEFAULT_PORTS:
        return requested == registered  # java.net.URL refuses custom schemes: exact match only
    try:
        req_port, reg_port = req.port or DEFAULT_PORTS[req.scheme], reg.port or DEFAULT_PORTS[reg.scheme]
    except ValueError:
        return requested == registered
    if req.scheme == reg.scheme and req_port == reg_port:
        if "*" not in registered and req.hostname == reg.hostname:
            return req.path.startswith(reg.path)
        if reg.hostname and re.match(_pattern(reg.hostname), req.hostname or ""):
            if not req.path and (not reg.path or reg.path.startswith(("*", "/*"))):
                return True
            return bool(re.match(_pattern(reg.path), req.path))
    return requested == registered


def _check_redirect_uri(ctx, client, requested):
    registered = client.redirect_uris
    if not requested:
        if not registered:
            raise OAuthError("invalid_request", "A redirect_uri must be supplied")
        if len(registered) > 1:
            raise OAuthError("invalid_request", "Unable to find suitable redirect_uri, a redirect_uri must be supplied")
        return registered[0]
    if urlsplit(requested).username is not None:
        raise OAuthError("redirect_uri_mismatch", f"The redirect_uri [ {requested} ] MUST NOT contain userInfo part")
    oidc = ctx.domain.get("oidc") or {}
    strict = bool(oidc.get("redirectUriStrictMatching")
                  or (oidc.get("securityProfileSettings") or {}).get("enablePlainFapi"))
    if registered and not any(redirect_matches(requested, uri, strict) for uri in registered):
        raise OAuthError("redirect_uri_mismatch", f"The redirect_uri [ {requested} ] MUST match the registered "
                                                  "callback URL for this application")
    return requested


def _check_pkce(client, params):
    challenge, method = params.get("code_challenge"), params.get("code_challenge_method")
    force_s256 = client.oauth.get("forceS256CodeChallengeMethod")
    if challenge is None:
        if method is not None or client.oauth.get("forcePKCE"):
            raise OAuthError("invalid_request", "Missing parameter: code_challenge")
        return None, None
    if method is not None:
        method = {"plain": "plain", "s256": "S256"}.get(method.lower())
        if method is None or (force_s256 and method != "S256"):
            raise OAuthError("invalid_request", "Invalid parameter: code_challenge_method")
    elif force_s256:
        raise OAuthError("invalid_request", "Invalid parameter: code_challenge_method")
    if not PKCE_VALUE.match(challenge):
        raise OAuthError("invalid_request", "Invalid parameter: code_challenge")
    return challenge, method or "plain"


def _validate_request(ctx, params):
    """Repeated parameters, response_type, client_id and the client itself."""
    params.check_no_repeats()
    response_type = params.get("response_type")
    if response_type is None:
        raise OAuthError("invalid_request", "Missing parameter: response_type")
    if response_type not in RESPONSE_TYPES:
        raise OAuthError("unsupported_response_type", "Unsupported response type: " + response_type)
    client_id = params.get("client_id")
    if client_id is None:
        raise OAuthError("invalid_request", "Missing parameter: client_id")
    client = find_client(ctx.store, ctx.domain_id, client_id)
    if client is None:
        raise OAuthError("invalid_request", "No client found for client_id " + client_id)
    return client


def _checks_with_client(ctx, client, params, user):
    prompt = (params.get("prompt") or "").split()
    if "none" in prompt and user is None:
        raise OAuthError("login_required", "Login required")
    pkce = _check_pkce(client, params)
    if not client.grant_types:
        raise OAuthError("unauthorized_client", "Client should at least have one authorized grant type")
    if not {"authorization_code", "implicit"} & set(client.grant_types):
        raise OAuthError("unauthorized_client", "Client must at least have authorization_code or implicit grant type "
                                                "enable")
    if params.get("response_type") not in client.response_types:
        raise OAuthError("unauthorized_client", "Client should have all requested response_type")
    if params.get("response_type") != "code":
        raise OAuthError("unsupported_response_type", "Unsupported response type: " + params.get("response_type"))
    return pkce, _check_redirect_uri(ctx, client, params.get("redirect_uri"))


def _error_location(ctx, params, client, err):
    redirect_uri = params.get("redirect_uri")
    state = params.get("state")
    untrusted = (client is None or redirect_uri is None or err.error == "redirect_uri_mismatch"
                 or redirect_uri not in client.redirect_uris
                 or all(g == "client_credentials" or g.startswith("urn:ietf:params:oauth:grant-type:jwt-bearer")
                        for g in client.grant_types))
    query = {"error": err.error}
    if err.description:
        query["error_description"] = err.description
    if state is not None:
        query["state"] = state
    if untrusted:
        return ctx.url("/oauth/error", {"client_id": params.get("client_id") or "", **query})
    return add_query(redirect_uri, query)


def _consent(ctx, client, session, user, scopes, params):
    """The scopes granted, or a response (consent page redirect or error)."""
    if not scopes:
        return scopes
    key = f"{ctx.domain_id}|{user['username']}|{client.client_id}"
    stored = ctx.store.gateway.setdefault("consents", {}).get(key, set())
    done = session["consent"].pop(ctx.domain_id, None)
    if done is not None and done["client_id"] == client.client_id:
        if not done["approved"]:
            raise OAuthError("access_denied", "User denied access", 403)
        return [s for s in scopes if s in stored]
    prompt = (params.get("prompt") or "").split()
    if "consent" in prompt:
        return None
    if ((client.obj.get("settings") or {}).get("advanced") or {}).get("skipConsent"):
        return scopes
    if set(scopes) <= stored:
        return scopes
    if "none" in prompt:
        raise OAuthError("interaction_required", "Interaction required")
    return None


async def authorize_endpoint(ctx, request):
    params = Params(list(request.query_params.multi_items()))
    sid, session = session_of(ctx, request)
    client = None
    try:
        client = _validate_request(ctx, params)
        back_from_login = session.pop("signed_in_for", None) == ctx.domain_id
        if "login" in (params.get("prompt") or "").split() and not back_from_login:
            session["users"].pop(ctx.domain_id, None)
        user = signed_in_user(ctx, session)
        (challenge, method), redirect_uri = _checks_with_client(ctx, client, params, user)
        if user is None:
            return redirect(ctx.url("/login", params.pairs), sid)
        resources = params.resources()
        scopes = resolve_scopes(ctx.store, ctx.domain_id, client, params.scopes(), resources)
        validate_resources(ctx.store, ctx.domain_id, resources)
        granted = _consent(ctx, client, session, user, scopes, params)
        if granted is None:
            return redirect(ctx.url("/oauth/consent", params.pairs), sid)
    except OAuthError as err:
        return redirect(_error_location(ctx, params, client, err), sid)
    code = random_token(32)
    ctx.store.gateway["codes"][code] = {
        "client_id": client.client_id, "redirect_uri": params.get("redirect_uri"), "code_challenge": challenge,
        "code_challenge_method": method, "scopes": granted, "resources": resources, "sub": user["username"],
        "domain": ctx.domain_id, "exp": time.time() + CODE_VALIDITY, "nonce": params.get("nonce"),
    }
    answer = {"code": code}
    if params.get("state") is not None:
        answer["state"] = params.get("state")
    return redirect(add_query(redirect_uri, answer), sid)


def _consent_context(ctx, request, session):
    params = Params(flow_params(request))
    client = find_client(ctx.store, ctx.domain_id, params.get("client_id"))
    user = signed_in_user(ctx, session)
    if client is None or user is None:
        raise OAuthError("invalid_request", "No authorization request in progress")
    scopes = resolve_scopes(ctx.store, ctx.domain_id, client, params.scopes(), params.resources())
    return params, client, user, scopes


async def consent_page_endpoint(ctx, request):
    sid, session = session_of(ctx, request)
    try:
        params, client, _user, scopes = _consent_context(ctx, request, session)
    except OAuthError as err:
        return redirect(ctx.url("/oauth/error", {"error": err.error, "error_description": err.description}))
    page = pages.consent_page(client_name=client.name, action=ctx.url("/oauth/consent", params.pairs),
                              csrf=session["csrf"], scopes=scopes)
    return with_session(page, sid)


async def consent_post_endpoint(ctx, request):
    sid, session = session_of(ctx, request)
    form = Params(await request_params(request))
    if not csrf_ok(session, form):
        return pages.error_page("Forbidden", "Invalid CSRF token", status=403)
    try:
        params, client, user, scopes = _consent_context(ctx, request, session)
    except OAuthError as err:
        return redirect(ctx.url("/oauth/error", {"error": err.error, "error_description": err.description}))
    approved = form.get("user_oauth_approval") == "true"
    chosen = {s for s in scopes if form.get("scope." + s) == "true"}
    if approved:
        key = f"{ctx.domain_id}|{user['username']}|{client.client_id}"
        ctx.store.gateway.setdefault("consents", {}).setdefault(key, set()).update(chosen)
    session["consent"][ctx.domain_id] = {"client_id": client.client_id, "approved": approved}
    return redirect(ctx.url("/oauth/authorize", params.pairs), sid)
