"""Authentication of the AM management API (TokenController.java, BearerAuthenticationFilter.java).

- ``POST /management/auth/token`` takes HTTP Basic credentials of an admin and
  returns a signed JWT (HS256 here) valid for 7 days (``jwt.expire-after``).
  Bad or missing credentials: 401, empty body, ``WWW-Authenticate: Basic``.
- Every other call needs ``Authorization: Bearer <JWT>``. AM's bearer filter
  answers 401 with an ErrorEntity: "No Bearer token found" when there is no
  bearer token, "Error occured while attempting authentication" (sic) when the
  token is unknown, badly signed or expired.
- ``GET /management/user`` returns the current user's profile (``sub`` is the user id).
"""

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time

from starlette.responses import Response

from .common import MgmtError, java_date, json_response

TOKEN_LIFETIME_SECONDS = 604800  # jwt.expire-after default
REALM = "Gravitee.io AM Management API"
NO_BEARER = "No Bearer token found"
BAD_BEARER = "Error occured while attempting authentication"  # AM's spelling


def _b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_jwt(key, claims):
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(key, f"{header}.{payload}".encode("ascii"), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64url(signature)}"


def verify_jwt(key, token):
    """The claims of a token this sandbox signed, or None."""
    try:
        header, payload, signature = token.split(".")
        expected = hmac.new(key, f"{header}.{payload}".encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _b64url_decode(signature)):
            return None
        return json.loads(_b64url_decode(payload))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def _basic_credentials(request):
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        username, sep, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return (username, password) if sep else None


async def issue_token(sandbox, request):
    """``POST /management/auth/token`` (a Spring controller, so no ErrorEntity on failure)."""
    store = sandbox.am
    credentials = _basic_credentials(request)
    if credentials is None or store.admins.get(credentials[0]) != credentials[1]:
        return Response(status_code=401, headers={"WWW-Authenticate": f'Basic realm="{REALM}"'})
    username = credentials[0]
    now = int(time.time())
    expires = now + TOKEN_LIFETIME_SECONDS
    token = sign_jwt(store.jwt_key, {
        "jti": secrets.token_urlsafe(24), "iat": now, "exp": expires,
        "sub": store.admin_ids[username], "preferred_username": username, "org": store.organization_id,
    })
    store.mgmt_tokens[token] = username
    return json_response({"access_token": token, "token_type": "bearer", "expires_at": java_date(expires)})


def authenticate(sandbox, request):
    """The admin username behind the request's bearer token; raises 401 otherwise."""
    store = sandbox.am
    header = request.headers.get("authorization", "")
    if not header.startswith("Bearer "):
        raise MgmtError(401, NO_BEARER)
    token = header[len("Bearer "):]
    claims = verify_jwt(store.jwt_key, token)
    username = store.mgmt_tokens.get(token)
    if claims is None or username is None or claims.get("exp", 0) <= time.time():
        raise MgmtError(401, BAD_BEARER)
    return username


async def current_user(ctx):
    """``GET /management/user``: the user's profile claims (AM adds a ``permissions`` list, which
    the sandbox leaves out: the spec types this document as a map of strings)."""
    store = ctx.store
    return json_response({"sub": store.admin_ids[ctx.user], "preferred_username": ctx.user,
                          "org": store.organization_id})
