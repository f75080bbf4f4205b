"""Bearer-protected gateway endpoints (DCR, userinfo): AM's ``OAuth2AuthHandlerImpl`` rules.

- no token: 401 ``invalid_token`` "Missing access token. ..." with ``WWW-Authenticate: Bearer realm="gravitee-io"``;
- a header without a space: 400 ``invalid_request``; another scheme: 401 ``invalid_token``;
- an unknown or expired token: 401 ``invalid_token`` "The access token is invalid";
- ``force_client``: the token's subject must be the client (``sub`` = ``aud``), else 401;
- ``force_end_user``: the opposite; a missing required scope: 403 ``insufficient_scope``.
"""

from .common import OAuthError
from .tokens import live_token

REALM = {"WWW-Authenticate": 'Bearer realm="gravitee-io"'}
MISSING = ("Missing access token. The access token must be sent using the Authorization header field "
           "(Bearer scheme) or the 'access_token' body parameter")


def presented_token(request, params=None):
    header = request.headers.get("authorization")
    if header is not None:
        idx = header.find(" ")
        if idx <= 0:
            raise OAuthError("invalid_request", "The access token must be sent using the Authorization header field")
        if header[:idx].lower() not in ("bearer", "dpop"):
            raise OAuthError("invalid_token", "Authorization header must use the Bearer or DPoP scheme", 401, REALM)
        return header[idx + 1:]
    token = params.get("access_token") if params is not None else None
    if token is None:
        raise OAuthError("invalid_token", MISSING, 401, REALM)
    return token


def authorize_bearer(ctx, token, *, required_scope=None, force_client=False, force_end_user=False,
                     self_client_id=None, self_scope=None, kinds=("access_tokens",)):
    """The token record when it may call the endpoint; raises OAuthError otherwise."""
    record = live_token(ctx, token, kinds)
    if record is None:
        raise OAuthError("invalid_token", "The access token is invalid", 401, REALM)
    scopes = (record.get("scope") or "").split()
    client_token = record.get("sub") == (record.get("aud") or [None])[0]
    if self_client_id is not None and record.get("sub") == self_client_id and (self_scope is None
                                                                               or self_scope in scopes):
        return record
    if force_end_user and client_token:
        raise OAuthError("invalid_token", "The access token was not issued for an End-User", 401, REALM)
    if force_client and not client_token:
        raise OAuthError("invalid_token", "The access token was not issued for a Client", 401, REALM)
    if required_scope is not None and required_scope not in scopes:
        raise OAuthError("insufficient_scope", "Invalid access token scopes. The access token should have at least "
                         f"'{required_scope}' scope", 403)
    return record
