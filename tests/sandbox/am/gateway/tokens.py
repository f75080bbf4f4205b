"""Tokens of the sandbox AM gateway: issue, look up (bearer), introspect.

State lives in ``store.gateway`` so that tests can seed tokens directly:
``access_tokens[token] = {"client_id", "sub", "aud": [..], "scope": "a b", "exp": epoch s,
"domain": domain id, "resource": [..]}`` (extra keys the gateway adds: iat, jti, iss, username,
code); ``refresh_tokens`` the same plus ``user``; ``registration_tokens`` for RFC 7592.

Facts from AM 4.12.4: tokens are signed JWTs (``TokenServiceImpl``); ``aud`` is the client id,
or the JSON array of requested resources (RFC 8707); ``token_type`` is ``bearer``; access tokens
live 7200 s, refresh tokens 14400 s (``Client`` defaults). Introspection (``IntrospectionServiceImpl``,
``BaseIntrospectionTokenService``): every ``aud`` must resolve to a client of the domain or to a
protected resource identifier; when it resolves to protected resources, the introspecting client
must be each of them, else the token is reported inactive.
"""

import time
import uuid

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from .clients import find_client, resources_by_identifier

ACCESS_TOKEN_VALIDITY = 7200
REFRESH_TOKEN_VALIDITY = 14400
ID_TOKEN_VALIDITY = 14400
REGISTRATION_TOKEN_VALIDITY = 3600 * 24 * 365 * 2

_SIGNING = {}


def signing_key():
    """One RSA key per process: the domains' "Default" certificate (key generation is slow)."""
    if not _SIGNING:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        _SIGNING.update(key=key, kid="default-" + uuid.uuid4().hex[:12])
    return _SIGNING


def jwks():
    signing = signing_key()
    public = jwt.algorithms.RSAAlgorithm.to_jwk(signing["key"].public_key(), as_dict=True)
    return {"keys": [{**public, "kid": signing["kid"], "use": "sig", "alg": "RS256"}]}


def _encode(claims):
    signing = signing_key()
    return jwt.encode(claims, signing["key"], algorithm="RS256", headers={"kid": signing["kid"]})


def _aud_claim(record):
    return record["aud"][0] if not record.get("resource") and len(record["aud"]) == 1 else list(record["aud"])


def issue_tokens(ctx, client, sub, scopes, resources, *, user=None, refresh=False, nonce=None, code=None):
    """Create the access token (and refresh/id tokens) and return the token endpoint's JSON body."""
    now = int(time.time())
    scope = " ".join(scopes)
    validity = client.validity("accessTokenValiditySeconds", ACCESS_TOKEN_VALIDITY)
    record = {"client_id": client.client_id, "sub": sub, "aud": list(resources) or [client.client_id],
              "scope": scope, "exp": now + validity, "domain": ctx.domain_id, "resource": list(resources),
              "iat": now, "jti": uuid.uuid4().hex, "iss": ctx.issuer}
    if user is not None:
        record["username"] = user["username"]
    if code is not None:
        record["code"] = code
    claims = {"sub": sub, "aud": _aud_claim(record), "domain": ctx.domain_id, "iss": ctx.issuer, "exp": record["exp"],
              "iat": now, "jti": record["jti"]}
    if scope:
        claims["scope"] = scope
    access_token = _encode(claims)
    ctx.store.gateway["access_tokens"][access_token] = record
    body = {"access_token": access_token, "token_type": "bearer", "expires_in": validity}
    if scope:
        body["scope"] = scope
    if refresh:
        body["refresh_token"] = _issue_refresh(ctx, client, record, user, now)
    if user is not None and "openid" in scopes:
        id_claims = {"iss": ctx.issuer, "sub": sub, "aud": client.client_id, "iat": now, "auth_time": now,
                     "exp": now + client.validity("idTokenValiditySeconds", ID_TOKEN_VALIDITY)}
        if nonce:
            id_claims["nonce"] = nonce
        body["id_token"] = _encode(id_claims)
    return body


def _issue_refresh(ctx, client, access, user, now):
    validity = client.validity("refreshTokenValiditySeconds", REFRESH_TOKEN_VALIDITY)
    record = {key: access[key] for key in ("client_id", "sub", "scope", "domain", "resource", "iss")}
    record.update(exp=now + validity, iat=now, jti=uuid.uuid4().hex, user=user is not None,
                  orig_resources=list(access["resource"]))
    if access.get("code"):
        record["code"] = access["code"]
    token = _encode({"sub": record["sub"], "aud": client.client_id, "domain": ctx.domain_id, "iss": ctx.issuer,
                     "exp": record["exp"], "iat": now, "jti": record["jti"], "orig_resources": record["resource"]})
    ctx.store.gateway["refresh_tokens"][token] = record
    return token


def issue_registration_token(ctx, client_id):
    now = int(time.time())
    record = {"client_id": client_id, "sub": client_id, "aud": [client_id], "scope": "dcr",
              "exp": now + REGISTRATION_TOKEN_VALIDITY, "domain": ctx.domain_id, "resource": [], "iat": now}
    token = _encode({"sub": client_id, "aud": client_id, "domain": ctx.domain_id, "iss": ctx.issuer,
                     "scope": "dcr", "iat": now, "exp": record["exp"], "jti": uuid.uuid4().hex})
    ctx.store.gateway.setdefault("registration_tokens", {})[token] = record
    return token


def live_token(ctx, token, kinds=("access_tokens",)):
    """The stored record of an unexpired token of this domain, else None."""
    for kind in kinds:
        record = ctx.store.gateway.get(kind, {}).get(token)
        if record is not None:
            if record.get("domain") == ctx.domain_id and record.get("exp", 0) > time.time():
                return record
            return None
    return None


def revoke_tokens_of_code(ctx, code):
    """RFC 6749 §4.1.2: a replayed code revokes what it already produced."""
    for kind in ("access_tokens", "refresh_tokens"):
        tokens = ctx.store.gateway[kind]
        for token in [t for t, r in tokens.items() if r.get("code") == code]:
            del tokens[token]


def introspect(ctx, caller_client_id, token):
    """RFC 7662 answer for ``token`` asked by ``caller_client_id`` (AM's audience rule included)."""
    record = live_token(ctx, token, ("access_tokens", "refresh_tokens"))
    if record is None or not record.get("aud", [record.get("client_id")]):
        return {"active": False}
    audiences = record.get("aud") or [record["client_id"]]
    for audience in audiences:
        if find_client(ctx.store, ctx.domain_id, audience) is not None:
            continue
        matched = resources_by_identifier(ctx.store, ctx.domain_id, [audience])
        if not matched:
            return {"active": False}  # an audience nobody in the domain answers to
        if any(r.get("clientId") != caller_client_id for r in matched):
            return {"active": False}  # only the MCP server itself may read its tokens
    answer = {"active": True, "client_id": record["client_id"], "sub": record["sub"],
              "exp": record["exp"], "iat": record.get("iat", record["exp"] - ACCESS_TOKEN_VALIDITY),
              "token_type": "bearer", "aud": _aud_claim({**record, "aud": audiences}),
              "iss": record.get("iss") or ctx.issuer, "domain": ctx.domain_id}
    if record.get("scope"):
        answer["scope"] = record["scope"]
    if record.get("username"):
        answer["username"] = record["username"]
    if record.get("jti"):
        answer["jti"] = record["jti"]
    return answer
