"""Token, introspection, revocation and userinfo endpoints of the sandbox AM gateway.

Facts from AM 4.12.4 (``OAuth2Provider`` token route, ``TokenEndpoint``, ``CompositeTokenGranter``,
``AuthorizationCodeStrategy``, ``RefreshTokenStrategy``, ``ClientCredentialsStrategy``,
``ResourceConsistencyValidationServiceImpl``, ``IntrospectionEndpoint``):
- order: repeated parameters and ``grant_type``; client authentication; RFC 8707 ``resource``
  (``invalid_target``); ``client_id`` must be the authenticated client; then the grant;
- a grant the client does not have: ``unsupported_grant_type`` "Unsupported grant type: <x>";
- authorization codes are single-use (a replay revokes what the code produced), bound to the client,
  the redirect URI and the PKCE challenge; ``resource`` at the token endpoint may only narrow the
  resources of the authorization; refresh tokens rotate unless ``disableRefreshTokenRotation``;
- introspection and revocation take ``application/x-www-form-urlencoded`` and client authentication.
"""

import base64
import hashlib
import time

from starlette.responses import Response

from .bearer import authorize_bearer, presented_token
from .clients import authenticate_client, resolve_scopes, validate_resources
from .common import OAuthError, Params, media_type, no_store_json, request_params
from .tokens import introspect, issue_tokens, revoke_tokens_of_code

PKCE_VERIFIER_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _narrow_resources(requested, authorized):
    if not requested:
        return list(authorized or [])
    if not set(requested) <= set(authorized or []):
        raise OAuthError("invalid_target", "The requested resource is not recognized by this authorization server.")
    return requested


def _pkce_challenge(method, verifier):
    if method == "S256":
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return verifier


def _authorization_code(ctx, client, params, resources):
    code = params.get("code")
    if not code:
        raise OAuthError("invalid_request", "Missing parameter: code")
    codes = ctx.store.gateway["codes"]
    used = ctx.store.gateway.setdefault("used_codes", set())
    record = codes.get(code)
    if (record is None or record["client_id"] != client.client_id or record["domain"] != ctx.domain_id
            or record["exp"] <= time.time()):
        if code in used:
            revoke_tokens_of_code(ctx, code)
        raise OAuthError("invalid_grant", f"The authorization code {code} is invalid.")
    del codes[code]
    used.add(code)
    redirect_uri = params.get("redirect_uri")
    if record["redirect_uri"] is not None:
        if redirect_uri is None:
            raise OAuthError("invalid_grant", "Redirect URI is missing")
        if redirect_uri != record["redirect_uri"]:
            raise OAuthError("invalid_grant", "Redirect URI mismatch.")
    verifier = params.get("code_verifier")
    if record["code_challenge"] is not None:
        if verifier is None:
            raise OAuthError("invalid_grant", "Missing parameter: code_verifier")
        if not 43 <= len(verifier) <= 128 or not set(verifier) <= PKCE_VERIFIER_CHARS:
            raise OAuthError("invalid_grant", "Invalid parameter: code_verifier")
        if _pkce_challenge(record["code_challenge_method"], verifier) != record["code_challenge"]:
            raise OAuthError("invalid_grant", "Invalid code_verifier")
    final_resources = _narrow_resources(resources, record["resources"])
    user = ctx.store.users.get(ctx.domain_id, {}).get(record["sub"])
    if user is None:
        raise OAuthError("invalid_grant", "User not found")
    return issue_tokens(ctx, client, user["username"], record["scopes"], final_resources, user=user,
                        refresh="refresh_token" in client.grant_types, nonce=record.get("nonce"), code=code)


def _refresh_token(ctx, client, params, resources):
    value = params.get("refresh_token")
    if not value:
        raise OAuthError("invalid_request", "A refresh token must be supplied.")
    tokens = ctx.store.gateway["refresh_tokens"]
    record = tokens.get(value)
    if record is None or record.get("domain") != ctx.domain_id:
        raise OAuthError("invalid_grant", "Refresh token is invalid")
    if record["exp"] <= time.time():
        raise OAuthError("invalid_grant", "Refresh token is expired")
    if record["client_id"] != client.client_id:
        raise OAuthError("invalid_grant", "Refresh token was issued to another client")
    original = record["scope"].split()
    requested = params.scopes()
    scopes = [s for s in requested if s in original] if requested and original else (requested or original)
    final_resources = _narrow_resources(resources, record.get("orig_resources", record.get("resource")))
    user = None
    if record.get("user"):
        user = ctx.store.users.get(ctx.domain_id, {}).get(record["sub"])
        if user is None:
            raise OAuthError("invalid_grant", "unable to read user profile")
    rotate = not client.oauth.get("disableRefreshTokenRotation") and "refresh_token" in client.grant_types
    if rotate:
        del tokens[value]
    return issue_tokens(ctx, client, record["sub"], scopes, final_resources, user=user, refresh=rotate,
                        code=record.get("code"))


def _client_credentials(ctx, client, params, resources):
    scopes = resolve_scopes(ctx.store, ctx.domain_id, client, params.scopes(), resources)
    return issue_tokens(ctx, client, client.client_id, scopes, resources)


GRANTS = {"authorization_code": _authorization_code, "refresh_token": _refresh_token,
          "client_credentials": _client_credentials}


async def token_endpoint(ctx, request):
    params = Params(await request_params(request))
    try:
        params.check_no_repeats()
        grant_type = params.get("grant_type")
        if grant_type is None:
            raise OAuthError("invalid_request", "Missing parameter: grant_type")
        client = authenticate_client(ctx, request, params)
        resources = params.resources()
        validate_resources(ctx.store, ctx.domain_id, resources)
        if params.get("client_id") is not None and params.get("client_id") != client.client_id:
            raise OAuthError("invalid_client", None, 401)
        if not client.grant_types:
            raise OAuthError("invalid_client", "Invalid client: client must at least have one grant type configured",
                             401)
        if grant_type not in client.grant_types or grant_type not in GRANTS:
            raise OAuthError("unsupported_grant_type", "Unsupported grant type: " + grant_type)
        return no_store_json(GRANTS[grant_type](ctx, client, params, resources))
    except OAuthError as err:
        return err.response()


async def introspect_endpoint(ctx, request):
    if media_type(request) != "application/x-www-form-urlencoded":
        return Response(status_code=415)
    params = Params(await request_params(request))
    try:
        client = authenticate_client(ctx, request, params)
        token = params.get("token")
        if token is None:
            raise OAuthError("invalid_request")
    except OAuthError as err:
        return err.response()
    return no_store_json(introspect(ctx, client.client_id, token))


async def revoke_endpoint(ctx, request):
    if media_type(request) != "application/x-www-form-urlencoded":
        return Response(status_code=415)
    params = Params(await request_params(request))
    try:
        client = authenticate_client(ctx, request, params)
        token = params.get("token")
        if token is None:
            raise OAuthError("invalid_request", "Missing parameter: token")
    except OAuthError as err:
        return err.response()
    for kind in ("access_tokens", "refresh_tokens"):
        record = ctx.store.gateway[kind].get(token)
        if record is not None and record.get("client_id") == client.client_id:
            del ctx.store.gateway[kind][token]
    return Response(status_code=200)  # RFC 7009: also for unknown tokens


async def userinfo_endpoint(ctx, request):
    try:
        params = Params(await request_params(request))
        record = authorize_bearer(ctx, presented_token(request, params), required_scope="openid",
                                  force_end_user=True)
        user = ctx.store.users.get(ctx.domain_id, {}).get(record["sub"])
        if user is None:
            raise OAuthError("invalid_token", "The access token is invalid", 401)
    except OAuthError as err:
        return err.response()
    scopes = record.get("scope", "").split()
    claims = {"sub": record["sub"]}
    if "profile" in scopes or "full_profile" in scopes:
        claims["preferred_username"] = user["username"]
        for source, claim in (("firstName", "given_name"), ("lastName", "family_name")):
            if user.get(source):
                claims[claim] = user[source]
        claims["name"] = " ".join(p for p in (user.get("firstName"), user.get("lastName")) if p) or user["username"]
    if "email" in scopes and user.get("email"):
        claims["email"] = user["email"]
        claims["email_verified"] = bool(user.get("emailVerified", False))
    return no_store_json(claims)
