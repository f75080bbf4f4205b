"""AM gateway discovery: OIDC metadata, JWKS, the well-known index and the 404s MCP clients walk through."""

import time

import jwt
import requests

from tests.sandbox.am.store import now_ms
from tests.sandbox_tests.am.gateway.helpers import add_application, gateway_base, seeded_domain, update_domain


def _config(sandbox, headers=None):
    return requests.get(gateway_base(sandbox) + "/oidc/.well-known/openid-configuration", headers=headers, timeout=10)


def test_openid_configuration_is_built_from_the_request(sandbox):
    base = gateway_base(sandbox)

    response = _config(sandbox)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    doc = response.json()
    assert doc["issuer"] == base + "/oidc"
    assert doc["authorization_endpoint"] == base + "/oauth/authorize"
    assert doc["token_endpoint"] == base + "/oauth/token"
    assert doc["registration_endpoint"] == base + "/oidc/register"
    assert doc["introspection_endpoint"] == base + "/oauth/introspect"
    assert doc["revocation_endpoint"] == base + "/oauth/revoke"
    assert doc["userinfo_endpoint"] == base + "/oidc/userinfo"
    assert doc["jwks_uri"] == base + "/oidc/.well-known/jwks.json"
    assert doc["code_challenge_methods_supported"] == ["plain", "S256"]
    assert {"authorization_code", "refresh_token", "client_credentials"} <= set(doc["grant_types_supported"])
    assert not any("device_code" in g for g in doc["grant_types_supported"])
    assert "code" in doc["response_types_supported"]
    assert {"client_secret_basic", "client_secret_post"} <= set(doc["token_endpoint_auth_methods_supported"])
    assert "none" not in doc["token_endpoint_auth_methods_supported"]
    # System scopes marked for discovery are listed, the DCR ones are not.
    assert {"openid", "profile", "email", "offline_access"} <= set(doc["scopes_supported"])
    assert "dcr_admin" not in doc["scopes_supported"]
    assert "authorization_response_iss_parameter_supported" not in doc


def test_forwarded_headers_change_issuer_and_endpoints(sandbox):
    doc = _config(sandbox, {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "am.example.com",
                            "X-Forwarded-Port": "443"}).json()
    assert doc["issuer"] == "https://am.example.com/mcp-domain/oidc"
    assert doc["token_endpoint"] == "https://am.example.com/mcp-domain/oauth/token"

    doc = _config(sandbox, {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "am.example.com:8443",
                            "X-Forwarded-Prefix": "/auth/"}).json()
    assert doc["issuer"] == "https://am.example.com:8443/auth/mcp-domain/oidc"


def test_rfc8414_and_inserted_oidc_paths_are_404_as_in_am(sandbox):
    root = sandbox.urls["am_gateway_url"]
    domain = sandbox.seed["am_domain"]
    for url in (f"{root}/.well-known/oauth-authorization-server/{domain}/oidc",
                f"{root}/.well-known/openid-configuration/{domain}/oidc",
                f"{root}/.well-known/oauth-authorization-server",
                f"{root}/.well-known/openid-configuration"):
        assert requests.get(url, timeout=10).status_code == 404, url


def test_domain_well_known_answers_the_index_not_as_metadata(sandbox):
    base = gateway_base(sandbox)
    for path in ("/.well-known", "/.well-known/oauth-authorization-server", "/.well-known/anything/else"):
        response = requests.get(base + path, timeout=10)
        assert response.status_code == 200
        assert response.json() == {"openid-configuration": base + "/oidc/.well-known/openid-configuration"}


def test_unknown_and_disabled_domains_are_404(sandbox):
    root = sandbox.urls["am_gateway_url"]
    assert requests.get(root + "/no-such-domain/oidc/.well-known/openid-configuration", timeout=10).status_code == 404

    update_domain(sandbox, None, enabled=False)

    assert _config(sandbox).status_code == 404
    assert requests.post(gateway_base(sandbox) + "/oidc/register", json={}, timeout=10).status_code == 404


def test_domain_changes_reach_the_gateway_after_the_sync_delay(sandbox):
    sandbox.config.sync_delay = 0.6
    assert _config(sandbox).status_code == 200  # the gateway has synced the seeded domain

    def disable_as_the_management_api_does():
        domain = seeded_domain(sandbox)
        domain["enabled"] = False
        domain["updatedAt"] = now_ms()
    sandbox.call_soon(disable_as_the_management_api_does)

    assert _config(sandbox).status_code == 200, "still serving the synced version"
    time.sleep(0.7)
    assert _config(sandbox).status_code == 404


def test_jwks_publishes_the_key_that_signs_tokens(sandbox):
    keys = requests.get(gateway_base(sandbox) + "/oidc/.well-known/jwks.json", timeout=10).json()["keys"]
    assert keys and keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256"
    public = jwt.PyJWK(keys[0])
    token = _client_credentials_token(sandbox)
    claims = jwt.decode(token, public.key, algorithms=["RS256"], audience="jwks-client")
    assert claims["iss"] == gateway_base(sandbox) + "/oidc"
    assert jwt.get_unverified_header(token)["kid"] == keys[0]["kid"]


def _client_credentials_token(sandbox):
    client_id, secret = add_application(sandbox, client_id="jwks-client", grantTypes=["client_credentials"],
                                        app_type="service")
    response = requests.post(gateway_base(sandbox) + "/oauth/token", data={"grant_type": "client_credentials"},
                             auth=(client_id, secret), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]
