"""validate_certs, ca_path and GRAVITEE_CA_PATH against the sandbox served over HTTPS (``--tls``: a generated
CA, a certificate for ``localhost``), on the management APIs (APIM, AM) and the gateways (mcp_probe)."""

import pytest

from tests.integration.harness import run_playbook
from tests.integration.mcp_probe_support import checks_by_name, login, probe_task
from tests.support import guide_http

API = "gravitee_community.mcp.apim_api"
MCP_SERVER = "gravitee_community.mcp.am_mcp_server"
UNCHECKED = "validate_certs is false (GRAVITEE_VALIDATE_CERTS): server certificates are not checked"


@pytest.fixture
def secured(tls_sandbox, monkeypatch):
    """The guide done by hand over HTTPS (the test's own requests trust the sandbox CA)."""
    with monkeypatch.context() as patched:
        patched.setenv("REQUESTS_CA_BUNDLE", tls_sandbox.ca_path)
        return guide_http.secure_by_hand(tls_sandbox.urls, tls_sandbox.seed)


def api_task(sandbox, name, ignore_errors=False, **options):
    args = {"name": "TLS API", "context_path": "/tls-mcp", "upstream_url": sandbox.urls["upstream_url"],
            "deployed": False}
    args.update(options)
    return {"name": name, API: args, "ignore_errors": ignore_errors}


def mcp_server_task(name, ignore_errors=False, **options):
    args = {"domain": "mcp-domain", "name": "TLS server", "resource_identifier": ["https://gw.example.com/tls"]}
    args.update(options)
    return {"name": name, MCP_SERVER: args, "ignore_errors": ignore_errors}


def test_gravitee_ca_path_trusts_the_sandbox_for_management_and_gateway_calls(tls_sandbox, secured):
    assert tls_sandbox.env()["GRAVITEE_CA_PATH"] == tls_sandbox.ca_path
    assert secured["mcp_url"].startswith("https://localhost:")
    run = run_playbook(tls_sandbox, [
        api_task(tls_sandbox, "api"),
        mcp_server_task("mcp server"),
        probe_task("probe", secured["mcp_url"], register_client=True, **login(tls_sandbox)),
    ])
    assert run.rc == 0, run.output
    assert run.result("api")["changed"] is True and run.result("mcp server")["changed"] is True
    probe = run.result("probe")
    assert probe["ok"] is True
    assert checks_by_name(probe)["initialize"]["got"].startswith("200: server sandbox-upstream")
    # Every port was reached over HTTPS: APIM and AM management, both gateways (and the upstream behind APIM's).
    assert {e["component"] for e in run.exchanges} >= {"apim_mgmt", "am_mgmt", "apim_gateway", "am_gateway",
                                                       "upstream"}
    assert not any(UNCHECKED in str(result.get("warnings")) for result in run.results())


def test_without_the_ca_every_call_fails_clearly_and_ca_path_or_validate_certs_false_work(tls_sandbox, secured):
    urls = tls_sandbox.urls
    ca_path = tls_sandbox.ca_path
    mismatched = urls["apim_url"].replace("localhost", "127.0.0.1")
    run = run_playbook(tls_sandbox, [
        api_task(tls_sandbox, "api without CA", ignore_errors=True),
        mcp_server_task("mcp server without CA", ignore_errors=True),
        probe_task("probe without CA", secured["mcp_url"], probe_retries=0, ignore_errors=True),
        api_task(tls_sandbox, "api, ca_path", ca_path=ca_path),
        mcp_server_task("mcp server, ca_path", ca_path=ca_path),
        probe_task("probe, ca_path", secured["mcp_url"], ca_path=ca_path),
        api_task(tls_sandbox, "api, unchecked", validate_certs=False, description="unchecked"),
        probe_task("probe, unchecked", secured["mcp_url"], validate_certs=False),
        api_task(tls_sandbox, "host name mismatch", ignore_errors=True, ca_path=ca_path, apim_url=mismatched),
    ], env={"GRAVITEE_CA_PATH": ""})
    assert run.rc == 0, run.output

    for name, product, option in (("api without CA", "APIM", "apim_url"),
                                  ("mcp server without CA", "AM", "am_url")):
        failed = run.result(name)
        assert failed["failed"] is True and failed["kind"] == "tls", failed
        assert failed["msg"].startswith("TLS error talking to %s at " % product)
        assert "certificate verify failed: unable to get local issuer certificate" in failed["msg"]
        assert "set ca_path (GRAVITEE_CA_PATH) to that CA bundle" in failed["msg"]
        assert "%s (GRAVITEE_%s_URL)" % (option, product) in failed["msg"]
    probe = run.result("probe without CA")
    assert probe["failed"] is True
    challenge = checks_by_name(probe)["challenge"]
    assert "certificate verify failed" in challenge["got"] and "set ca_path" in challenge["cause"]

    assert run.result("api, ca_path")["changed"] is True
    assert run.result("mcp server, ca_path")["changed"] is True
    assert run.result("probe, ca_path")["ok"] is True
    for name in ("api, unchecked", "probe, unchecked"):
        result = run.result(name)
        assert not result.get("failed"), result
        assert any(UNCHECKED in warning for warning in result["warnings"]), result
    assert tls_sandbox.apim.apis and any(a.get("description") == "unchecked" for a in tls_sandbox.apim.apis.values())

    mismatch = run.result("host name mismatch")["msg"]
    assert "certificate is not valid for '127.0.0.1'." in mismatch
    assert "The certificate is valid for DNS:localhost only." in mismatch
    assert "Use in apim_url (GRAVITEE_APIM_URL) a host name the certificate names (instead of 127.0.0.1)" in mismatch
