"""OAuth2 plans on the gateway: the 401 challenge per APIM version, token introspection at AM, 503s.

Tests marked "needs AM introspection" talk to the sandbox AM gateway's ``/oauth/introspect``.
"""

import json

import httpx2
import pytest

from tests.sandbox_tests.apim.gateway.helpers import (
    am_resource,
    call_tool,
    deploy,
    initialize_body,
    mcp_api,
    oauth2_plan,
    open_session,
    plan,
    post,
    seed_am_resource_and_token,
    tool_text,
)

JSON_401 = {"message": "Unauthorized", "http_status_code": 401}


def _secured(sandbox, api_type="MCP_PROXY", keyless_too=False, context_path="/mcp-proxy/", resource=None,
             **plan_config):
    api = mcp_api(sandbox.urls["upstream_url"], context_path, api_type,
                  resources=[resource or am_resource(sandbox)])
    plans = [oauth2_plan(api, **plan_config)]
    if keyless_too:
        plans.append(plan(api, "KEY_LESS"))
    deploy(sandbox, api, plans)
    return sandbox.urls["apim_gateway_url"] + context_path


def _host(sandbox):
    return sandbox.urls["apim_gateway_url"].split("//", 1)[1]


# -- no token: the plan-unresolvable 401 -----------------------------------------------------------------

def test_no_token_json_body_and_mcp_challenge_on_4_12(sandbox):
    url = _secured(sandbox)

    response = post(url, initialize_body())

    assert response.status_code == 401
    assert response.json() == JSON_401
    assert response.headers["content-type"] == "application/json"
    assert response.headers["www-authenticate"] == (
        f'Bearer resource_metadata="http://{_host(sandbox)}/.well-known/oauth-protected-resource/mcp-proxy/"')
    assert "connection" not in response.headers or response.headers["connection"] != "close"
    assert sandbox.apim.gateway_forwarded == []


def test_required_scopes_are_space_separated_in_the_challenge(sandbox):
    url = _secured(sandbox, requiredScopes=["mcp", "read"])

    response = post(url.rstrip("/"), initialize_body())

    assert response.headers["www-authenticate"] == (
        f'Bearer resource_metadata="http://{_host(sandbox)}/.well-known/oauth-protected-resource/mcp-proxy"'
        ' scope="mcp read"')


def test_body_is_plain_text_unless_json_is_accepted(sandbox):
    url = _secured(sandbox)

    sse_only = post(url, initialize_body(), headers={"accept": "text/event-stream"})
    wildcard = post(url, initialize_body(), headers={"accept": "*/*"})

    assert sse_only.status_code == 401
    assert sse_only.headers["content-type"] == "text/plain"
    assert sse_only.text == "Unauthorized"
    assert wildcard.json() == JSON_401


def test_proxy_type_gets_a_bare_bearer_challenge(sandbox):
    url = _secured(sandbox, api_type="PROXY", requiredScopes=["mcp"])

    response = post(url, initialize_body())

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer scope="mcp"'


def test_challenge_uses_x_forwarded_proto_and_host(sandbox):
    url = _secured(sandbox)

    response = post(url, initialize_body(), headers={"x-forwarded-proto": "https",
                                                      "x-forwarded-host": "mcp.example.com"})

    assert response.headers["www-authenticate"] == (
        'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp-proxy/"')


def test_4_10_early_patches_use_the_suffix_form_on_mcp_proxy_apis(sandbox):
    sandbox.config.apim_version = "4.10.5"
    url = _secured(sandbox, requiredScopes=["mcp"])
    base = f"http://{_host(sandbox)}"

    without_slash = post(url.rstrip("/") + "?x=1", initialize_body())
    with_slash = post(url, initialize_body())

    # The policy appends to the original URL, query string and trailing slash included.
    assert without_slash.headers["www-authenticate"] == (
        f'Bearer resource_metadata="{base}/mcp-proxy?x=1/.well-known/oauth-protected-resource"')
    assert with_slash.headers["www-authenticate"] == (
        f'Bearer resource_metadata="{base}/mcp-proxy//.well-known/oauth-protected-resource"')


@pytest.mark.parametrize("edition", ["ce", "ee"])
def test_4_10_9_proxy_api_401_has_no_challenge_but_the_prm_document_is_served(sandbox, edition):
    # Measured on APIM CE 4.10.9: PROXY API + OAuth2 plan, no WWW-Authenticate; the suffix-form PRM answers.
    sandbox.config.apim_version, sandbox.config.apim_edition = "4.10.9", edition
    url = _secured(sandbox, api_type="PROXY")

    response = post(url, initialize_body())

    assert response.status_code == 401 and "www-authenticate" not in response.headers
    assert response.json() == {"message": "Unauthorized", "http_status_code": 401}
    prm = httpx2.get(url + ".well-known/oauth-protected-resource", timeout=10)
    assert prm.status_code == 200
    assert prm.json()["resource"] == url.rstrip("/") and prm.json()["scopes_supported"] == []
    assert prm.json()["authorization_servers"][0].endswith("/oidc")


def test_4_10_early_patches_honour_add_www_authenticate_header_false(sandbox):
    sandbox.config.apim_version = "4.10.11"
    url = _secured(sandbox, addWwwAuthenticateHeader=False)

    response = post(url, initialize_body())

    assert response.status_code == 401
    assert "www-authenticate" not in response.headers


def test_4_10_12_ignores_the_old_toggle(sandbox):
    sandbox.config.apim_version = "4.10.12"
    url = _secured(sandbox, addWwwAuthenticateHeader=False)

    response = post(url, initialize_body())

    assert response.headers["www-authenticate"].startswith('Bearer resource_metadata="')


def test_before_4_10_there_is_no_challenge(sandbox):
    sandbox.config.apim_version = "4.9.8"
    url = _secured(sandbox, api_type="PROXY")

    response = post(url, initialize_body())

    assert response.status_code == 401
    assert "www-authenticate" not in response.headers
    assert response.json() == JSON_401


# -- plans that cannot take the request -------------------------------------------------------------------

def test_keyless_still_serves_tokenless_calls_next_to_oauth2(sandbox):
    url = _secured(sandbox, keyless_too=True)

    response = post(url, initialize_body())

    assert response.status_code == 200
    assert sandbox.apim.gateway_forwarded[-1]["security_type"] == "KEY_LESS"


def test_a_disabled_resource_means_no_plan_can_take_a_token(sandbox):
    url = _secured(sandbox, resource=am_resource(sandbox, enabled=False))

    response = post(url, initialize_body(), headers={"authorization": "Bearer whatever"})

    assert response.status_code == 401


# -- AM unreachable or failing ----------------------------------------------------------------------------

def test_am_unreachable_is_503(sandbox):
    url = _secured(sandbox, resource=am_resource(sandbox, server_url="http://127.0.0.1:9"))

    response = post(url, initialize_body(), headers={"authorization": "Bearer some-token"})

    assert response.status_code == 503
    assert response.json() == {"message": "Temporarily Unavailable", "http_status_code": 503}
    assert response.headers["connection"] == "close"
    assert "www-authenticate" not in response.headers


def test_am_answering_an_error_is_503(sandbox):
    sandbox.faults.add(component="am_gateway", path="/oauth/introspect", status=500)
    url = _secured(sandbox)

    response = post(url, initialize_body(), headers={"authorization": "Bearer some-token"})

    assert response.status_code == 503
    introspections = [e for e in sandbox.log.since(0) if e["component"] == "am_gateway"]
    assert introspections[-1]["path"] == f"/{sandbox.seed['am_domain']}/oauth/introspect"


def test_am_unreachable_lets_keyless_take_the_request(sandbox):
    # Selection errors are swallowed per plan and leave no security token behind, so keyless still matches.
    url = _secured(sandbox, keyless_too=True, resource=am_resource(sandbox, server_url="http://127.0.0.1:9"))

    response = post(url, initialize_body(), headers={"authorization": "Bearer some-token"})

    assert response.status_code == 200


# -- tokens (need AM introspection) --------------------------------------------------------------------

def test_bogus_token_is_401_with_the_challenge(sandbox):
    url = _secured(sandbox)
    seed_am_resource_and_token(sandbox, "good-token", url)

    response = post(url, initialize_body(), headers={"authorization": "Bearer bogus"})

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Bearer resource_metadata="')
    assert sandbox.apim.gateway_forwarded == []


def test_valid_token_reaches_the_upstream_with_its_authorization(sandbox):
    url = _secured(sandbox)
    seed_am_resource_and_token(sandbox, "good-token", url)
    auth = {"authorization": "Bearer good-token"}

    session_id = open_session(url, headers=auth)
    seen = json.loads(tool_text(call_tool(url, session_id, "whoami", {}, headers=auth)))

    assert seen["authorization_present"] is True
    entries = sandbox.apim.gateway_forwarded
    assert entries and all(e["security_type"] == "OAUTH2" and e["token_present"] for e in entries)
    assert entries[-1]["client_id"] == "dcr-client"


def test_bogus_token_does_not_fall_back_to_keyless(sandbox):
    url = _secured(sandbox, keyless_too=True)
    seed_am_resource_and_token(sandbox, "good-token", url)

    response = post(url, initialize_body(), headers={"authorization": "Bearer bogus"})

    assert response.status_code == 401


def test_propagate_auth_header_false_strips_it(sandbox):
    url = _secured(sandbox, propagateAuthHeader=False)
    seed_am_resource_and_token(sandbox, "good-token", url)
    auth = {"authorization": "Bearer good-token"}

    session_id = open_session(url, headers=auth)
    seen = json.loads(tool_text(call_tool(url, session_id, "whoami", {}, headers=auth)))

    assert seen["authorization_present"] is False
    assert sandbox.apim.gateway_forwarded[-1]["authorization_forwarded"] is False


def test_proxy_api_needs_a_subscription_the_sandbox_cannot_have(sandbox):
    url = _secured(sandbox, api_type="PROXY")
    seed_am_resource_and_token(sandbox, "good-token", url)

    response = post(url, initialize_body(), headers={"authorization": "Bearer good-token"})

    assert response.status_code == 401


def test_insufficient_scope_is_401_with_the_realm_challenge(sandbox):
    url = _secured(sandbox, checkRequiredScopes=True, requiredScopes=["mcp"])
    seed_am_resource_and_token(sandbox, "weak-token", url, scope="openid")

    response = post(url, initialize_body(), headers={"authorization": "Bearer weak-token"})

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="gravitee.io"'
    assert response.json() == JSON_401


def test_sufficient_scope_passes(sandbox):
    url = _secured(sandbox, checkRequiredScopes=True, requiredScopes=["mcp"])
    seed_am_resource_and_token(sandbox, "strong-token", url, scope="openid mcp")

    response = post(url, initialize_body(), headers={"authorization": "Bearer strong-token"})

    assert response.status_code == 200


def test_wrong_resource_credentials_turn_token_calls_into_503(sandbox):
    # AM refuses the introspection call itself (invalid_client, 401), which the AM resource reports as an error.
    url = _secured(sandbox)
    seed_am_resource_and_token(sandbox, "good-token", url, resource_client_id="another-resource")

    response = post(url, initialize_body(), headers={"authorization": "Bearer good-token"})

    assert response.status_code == 503
