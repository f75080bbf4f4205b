"""OIDC discovery, JWKS and the well-known index of the sandbox AM gateway.

From AM 4.12.4 ``OpenIDDiscoveryServiceImpl``: the issuer is ``<base>/<domain>/oidc`` and every
endpoint is the request's base URL plus a fixed path; ``scopes_supported`` lists the domain scopes
marked for discovery; ``grant_types_supported`` and ``response_types_supported`` are sorted;
``token_endpoint_auth_methods_supported`` never lists ``none``. From ``DiscoveryServiceImpl``:
``B/.well-known/*`` answers the index of the domain's discovery documents, not RFC 8414 metadata.
"""

from . import cimd
from .common import no_store_json
from .tokens import jwks

GRANT_TYPES = sorted([
    "authorization_code", "implicit", "refresh_token", "client_credentials", "password",
    "urn:ietf:params:oauth:grant-type:jwt-bearer", "urn:ietf:params:oauth:grant-type:uma-ticket",
    "urn:openid:params:grant-type:ciba", "urn:ietf:params:oauth:grant-type:token-exchange",
])
RESPONSE_TYPES = sorted(["code", "token", "id_token", "id_token token", "code token", "code id_token",
                         "code id_token token"])
RESPONSE_MODES = ["query", "fragment", "form_post", "query.jwt", "fragment.jwt", "jwt"]
TOKEN_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt", "client_secret_jwt",
                      "tls_client_auth", "self_signed_tls_client_auth", "spiffe_jwt"]
SIGNING_ALGS = sorted(["ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512",
                       "HS256", "HS384", "HS512"])
# AM's system scopes and whether discovery lists them (io.gravitee.am.common.oidc.Scope).
SYSTEM_SCOPE_DISCOVERY = {"profile": True, "full_profile": True, "email": True, "address": True, "phone": True,
                          "openid": True, "offline_access": True, "groups": True, "roles": True, "dcr": False,
                          "dcr_admin": False, "scim": False, "uma_protection": False, "consent_admin": False}
CLAIMS = ["sub", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile",
          "picture", "website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale",
          "phone_number", "phone_number_verified", "address", "updated_at", "groups", "roles", "acr"]


def discoverable_scopes(ctx):
    scopes = ctx.store.scopes.get(ctx.domain_id, {}).values()
    keys = [s["key"] for s in scopes if s.get("discovery", SYSTEM_SCOPE_DISCOVERY.get(s["key"], False))]
    return sorted(keys)


def openid_configuration(ctx):
    registration = ctx.base + "/oidc/register"
    metadata = {
        "issuer": ctx.issuer,
        "authorization_endpoint": ctx.base + "/oauth/authorize",
        "token_endpoint": ctx.base + "/oauth/token",
        "userinfo_endpoint": ctx.base + "/oidc/userinfo",
        "jwks_uri": ctx.base + "/oidc/.well-known/jwks.json",
        "end_session_endpoint": ctx.base + "/logout",
        "revocation_endpoint": ctx.base + "/oauth/revoke",
        "introspection_endpoint": ctx.base + "/oauth/introspect",
        "registration_endpoint": registration,
        "registration_renew_secret_endpoint": registration + "/:client_id/renew_secret",
        "scopes_supported": discoverable_scopes(ctx),
        "response_types_supported": RESPONSE_TYPES,
        "response_modes_supported": RESPONSE_MODES,
        "grant_types_supported": GRANT_TYPES,
        "subject_types_supported": ["public"],
        "prompt_values_supported": ["none", "login", "consent", "mfa_enroll"],
        "id_token_signing_alg_values_supported": SIGNING_ALGS,
        "userinfo_signing_alg_values_supported": SIGNING_ALGS,
        "request_object_signing_alg_values_supported": SIGNING_ALGS,
        "token_endpoint_auth_methods_supported": TOKEN_AUTH_METHODS,
        "token_endpoint_auth_signing_alg_values_supported": SIGNING_ALGS,
        "claim_types_supported": ["normal"],
        "claims_supported": CLAIMS,
        "code_challenge_methods_supported": ["plain", "S256"],
        "claims_parameter_supported": True,
        "request_object_endpoint": ctx.base + "/oidc/ros",
        "pushed_authorization_request_endpoint": ctx.base + "/oauth/par",
        "tls_client_certificate_bound_access_tokens": False,
    }
    if cimd.enabled(ctx.domain):  # Domain.useCimd (AM 4.12+)
        metadata["client_id_metadata_document_supported"] = True
    return metadata


async def openid_configuration_endpoint(ctx, request):
    return no_store_json(openid_configuration(ctx))


async def jwks_endpoint(ctx, request):
    return no_store_json(jwks())


async def well_known_index_endpoint(ctx, request):
    index = {"openid-configuration": ctx.base + "/oidc/.well-known/openid-configuration"}
    if (ctx.domain.get("uma") or {}).get("enabled"):
        index["uma2-configuration"] = ctx.base + "/uma/.well-known/uma2-configuration"
    if (ctx.domain.get("scim") or {}).get("enabled"):
        index["scim2-configuration"] = ctx.base + "/scim/ServiceProviderConfig"
    return no_store_json(index)
