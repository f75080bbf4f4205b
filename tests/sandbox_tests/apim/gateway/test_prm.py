"""Protected Resource Metadata (RFC 9728) served by OAuth2 plans, per APIM version."""

import json

import httpx2

from tests.sandbox.apim.gateway.oauth2 import authorization_server
from tests.sandbox_tests.apim.gateway.helpers import am_resource, deploy, mcp_api, oauth2_plan, plan

WK = "/.well-known/oauth-protected-resource"


def _secured(sandbox, api_type="MCP_PROXY", resource=None, **plan_config):
    api = mcp_api(sandbox.urls["upstream_url"], "/mcp-proxy/", api_type, resources=[resource or am_resource(sandbox)])
    deploy(sandbox, api, [oauth2_plan(api, **plan_config)])
    return sandbox.urls["apim_gateway_url"]


def _issuer(sandbox):
    return f"{sandbox.urls['am_gateway_url']}/{sandbox.seed['am_domain']}/oidc"


def test_both_forms_on_4_12_with_resource_from_the_request_path(sandbox):
    gateway = _secured(sandbox, requiredScopes=["mcp"])

    inserted = httpx2.get(gateway + WK + "/mcp-proxy")
    inserted_slash = httpx2.get(gateway + WK + "/mcp-proxy/")
    suffix = httpx2.get(gateway + "/mcp-proxy" + WK)

    for response in (inserted, inserted_slash, suffix):
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
    assert inserted.json() == {"resource": gateway + "/mcp-proxy", "authorization_servers": [_issuer(sandbox)],
                               "scopes_supported": ["mcp"]}
    assert inserted_slash.json()["resource"] == gateway + "/mcp-proxy/"
    assert suffix.json()["resource"] == gateway + "/mcp-proxy"
    # Jackson's compact output, fields in the record's order.
    assert inserted.text.startswith('{"resource":"')
    assert sandbox.apim.gateway_forwarded == []


def test_prm_url_of_the_challenge_answers_with_the_dialled_url_as_resource(sandbox):
    gateway = _secured(sandbox)
    mcp_url = gateway + "/mcp-proxy/"

    challenge = httpx2.post(mcp_url, json={}, headers={"accept": "application/json"}).headers["www-authenticate"]
    prm_url = challenge.split('resource_metadata="', 1)[1].split('"', 1)[0]
    document = httpx2.get(prm_url).json()

    assert document["resource"] == mcp_url
    assert document["scopes_supported"] == []


def test_prm_honours_x_forwarded_headers(sandbox):
    gateway = _secured(sandbox)

    response = httpx2.get(gateway + WK + "/mcp-proxy", headers={"x-forwarded-proto": "https",
                                                                "x-forwarded-host": "mcp.example.com"})

    assert response.json()["resource"] == "https://mcp.example.com/mcp-proxy"


def test_4_11_serves_only_the_inserted_form_without_content_type(sandbox):
    sandbox.config.apim_version = "4.11.3"
    gateway = _secured(sandbox, requiredScopes=["mcp"])

    inserted = httpx2.get(gateway + WK + "/mcp-proxy")
    suffix = httpx2.get(gateway + "/mcp-proxy" + WK)

    assert inserted.status_code == 200
    assert "content-type" not in inserted.headers
    assert json.loads(inserted.content)["scopes_supported"] == ["mcp"]
    # The suffix form is just a path of the API: the security chain refuses it.
    assert suffix.status_code == 401


def test_4_11_0_leaves_scopes_empty(sandbox):
    sandbox.config.apim_version = "4.11.0"
    gateway = _secured(sandbox, requiredScopes=["mcp"])

    assert json.loads(httpx2.get(gateway + WK + "/mcp-proxy").content)["scopes_supported"] == []


def test_4_10_early_patches_serve_only_the_suffix_form(sandbox):
    sandbox.config.apim_version = "4.10.3"
    gateway = _secured(sandbox, requiredScopes=["mcp"])

    suffix = httpx2.get(gateway + "/mcp-proxy" + WK)
    inserted = httpx2.get(gateway + WK + "/mcp-proxy")

    assert suffix.status_code == 200
    assert json.loads(suffix.content) == {"resource": gateway + "/mcp-proxy",
                                          "authorization_servers": [_issuer(sandbox)], "scopes_supported": []}
    assert inserted.status_code == 404


def test_before_4_10_nothing_is_served(sandbox):
    sandbox.config.apim_version = "4.9.8"
    gateway = _secured(sandbox, api_type="PROXY")

    assert httpx2.get(gateway + "/mcp-proxy" + WK).status_code == 401
    assert httpx2.get(gateway + WK + "/mcp-proxy").status_code == 404


def test_proxy_type_gets_the_suffix_form_only(sandbox):
    gateway = _secured(sandbox, api_type="PROXY")

    assert httpx2.get(gateway + "/mcp-proxy" + WK).status_code == 200
    assert httpx2.get(gateway + WK + "/mcp-proxy").status_code == 404


def test_keyless_only_api_has_no_document(sandbox):
    api = mcp_api(sandbox.urls["upstream_url"])
    deploy(sandbox, api, [plan(api, "KEY_LESS")])

    assert httpx2.get(sandbox.urls["apim_gateway_url"] + WK + "/mcp-proxy").status_code == 404


def test_missing_resource_means_no_document(sandbox):
    gateway = _secured(sandbox, resource=am_resource(sandbox, name="Other"))

    assert httpx2.get(gateway + WK + "/mcp-proxy").status_code == 404


def test_authorization_server_is_normalised_like_java_uri():
    def server(url, domain="dom"):
        return authorization_server({"serverURL": url, "securityDomain": domain})

    assert server("https://am.example.com") == "https://am.example.com/dom/oidc"
    assert server("https://am.example.com/") == "https://am.example.com/dom/oidc"
    assert server("https://am.example.com/base/") == "https://am.example.com/base/dom/oidc"
    assert server("https://am.example.com", "dom/") == "https://am.example.com/dom/oidc"
