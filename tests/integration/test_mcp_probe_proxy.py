"""mcp_probe api_type=proxy: a plain proxy API on APIM CE 4.10.9 answers 401 without any WWW-Authenticate (measured
on the real server); the probe then reads the PRM document where the OAuth2 plan serves it, <url>/.well-known/
oauth-protected-resource, instead of failing at the challenge."""

from tests.integration.mcp_probe_support import checks_by_name, probe_task
from tests.support import guide_http

DISCOVERY = ["challenge", "resource_metadata", "resource", "authorization_server", "issuer", "registration_endpoint",
             "pkce", "bogus_token"]


def _ce_proxy_api(sandbox):
    sandbox.config.apim_version, sandbox.config.apim_edition = "4.10.9", "ce"
    secured = guide_http.secure_by_hand(sandbox.urls, sandbox.seed, api_type="PROXY")
    assert "WWW-Authenticate" not in secured["closed_answer"].headers
    return secured["mcp_url"]


def test_proxy_mode_reads_the_prm_document_when_the_401_has_no_challenge(playbook, sandbox):
    url = _ce_proxy_api(sandbox).rstrip("/")  # the PRM resource of a proxy API has no trailing slash

    run = playbook([probe_task("proxy", url, api_type="proxy", probe_retries=0, register_client=True),
                    probe_task("default", url, ignore_errors=True, probe_retries=0, checks=["challenge"])])

    proxy = run.result("proxy")
    checks = checks_by_name(proxy)
    assert proxy["ok"] is True and [c["name"] for c in proxy["checks"]] == DISCOVERY + ["registration"]
    assert checks["challenge"]["got"] == "401 without WWW-Authenticate"
    assert "MCP clients look only at /.well-known/oauth-protected-resource/<path>" in checks["challenge"]["warnings"][0]
    assert checks["resource_metadata"]["url"] == url + "/.well-known/oauth-protected-resource"
    assert proxy["resource_metadata"] == {"resource": url, "scopes_supported": [], "authorization_servers": [
        "%s/%s/oidc" % (sandbox.urls["am_gateway_url"], sandbox.seed["am_domain"])]}
    assert proxy["registration"]["deleted"] is True
    # Without api_type=proxy the missing challenge is a failure, and its cause points at the option.
    default = checks_by_name(run.result("default"))["challenge"]
    assert run.result("default")["failed"] is True and default["got"] == "401 without WWW-Authenticate"
    assert "set api_type=proxy" in default["cause"]


def test_proxy_mode_accepts_a_bearer_challenge_without_resource_metadata_on_4_12(playbook, sandbox):
    url = guide_http.secure_by_hand(sandbox.urls, sandbox.seed, api_type="PROXY")["mcp_url"].rstrip("/")

    run = playbook([probe_task("proxy 4.12", url, api_type="proxy", probe_retries=0)])

    result = run.result("proxy 4.12")
    checks = checks_by_name(result)
    assert result["ok"] is True, result["msg"]
    assert checks["challenge"]["got"] == '401 with WWW-Authenticate: Bearer scope="openid"'
    assert checks["resource_metadata"]["url"] == url + "/.well-known/oauth-protected-resource"
