"""mcp_probe with real ansible-playbook against the sandbox: an open API, a secured one (discovery and a full
login through AM's pages), and no secret in -vvvv output. The sandbox is set up by plain HTTP (guide_http)."""

import json

from tests.integration.mcp_probe_support import (
    captured_bodies,
    checks_by_name,
    login,
    open_api,
    probe_task,
    response_bodies,
)
from tests.support import guide_http

DISCOVERY = ["challenge", "resource_metadata", "resource", "authorization_server", "issuer", "registration_endpoint",
             "pkce", "bogus_token"]


def group_defaults(sandbox):
    """Both products' connection options in the collection-wide group: the probe accepts and ignores them."""
    seed, urls = sandbox.seed, sandbox.urls
    return {"module_defaults": {"group/gravitee_community.mcp.gravitee": {
        "apim_url": urls["apim_url"], "apim_username": seed["apim_username"], "apim_password": seed["apim_password"],
        "am_url": urls["am_url"], "am_username": seed["am_username"], "am_password": seed["am_password"],
        "timeout": 10, "retries": 2}}}


def test_open_api_lists_tools_and_is_not_what_oauth2_expects(playbook, sandbox):
    _api, url = open_api(sandbox)

    run = playbook([probe_task("open", url, expect="open"),
                    probe_task("oauth2 expected", url, ignore_errors=True, probe_retries=0)],
                   play_extra=group_defaults(sandbox))

    assert run.rc == 0, run.output
    opened = run.result("open")
    assert opened["ok"] is True and opened["changed"] is False and not opened.get("failed")
    assert {"echo", "add"} <= set(opened["tools"])
    assert opened["server_info"]["name"] == "sandbox-upstream" and opened["server_info"]["session"] is True
    assert [c["name"] for c in opened["checks"]] == ["initialize", "tools_list"]

    refused = run.result("oauth2 expected")
    challenge = checks_by_name(refused)["challenge"]
    assert refused["failed"] is True and refused["changed"] is False
    assert challenge["got"] == "200 without a token"
    assert "published Keyless plan" in challenge["cause"]
    assert refused["msg"].startswith("%d of 8 MCP checks failed. challenge: expected 401" % len(
        refused["failed_checks"]))
    assert run.changed == 0 and run.writes == []


def test_secured_api_passes_discovery_and_a_full_login(playbook, sandbox):
    secured = guide_http.secure_by_hand(sandbox.urls, sandbox.seed)
    url = secured["mcp_url"]
    before = {app["id"] for app in sandbox.am.applications.values()}

    run = playbook([probe_task("discovery", url),
                    probe_task("full", url, register_client=True, **login(sandbox))])

    assert run.rc == 0, run.output
    discovery = run.result("discovery")
    assert discovery["ok"] is True and [c["name"] for c in discovery["checks"]] == DISCOVERY
    assert discovery["resource_metadata"]["resource"] == url
    metadata_url = discovery["authorization_server"]["metadata_url"]
    assert metadata_url == sandbox.urls["am_gateway_url"] + "/mcp-domain/oidc/.well-known/openid-configuration"
    assert discovery["challenge"]["commas_ok"] is False  # the guide's plan names a required scope
    assert "VS Code splits on commas" in json.dumps(discovery["warnings"])

    full = run.result("full")
    checks = checks_by_name(full)
    assert full["ok"] is True and full["changed"] is False
    assert [c["name"] for c in full["checks"]] == DISCOVERY + ["registration", "login", "initialize", "tools_list"]
    assert {"echo", "whoami"} <= set(full["tools"])
    assert checks["login"]["scope"] == "openid" and checks["login"]["resource"] == url
    assert any(step.startswith("POST ") and step.endswith("/login -> 302") for step in checks["login"]["steps"])
    assert checks["initialize"]["got"].startswith("200: server sandbox-upstream")
    # The DCR client is gone again (RFC 7592), and nothing was written through the management APIs.
    assert full["registration"]["deleted"] is True and full["registration"]["client_name"] == "gravitee-mcp-probe"
    assert {app["id"] for app in sandbox.am.applications.values()} == before
    deletes = [e for e in run.exchanges if e["method"] == "DELETE" and "/oidc/register/" in e["path"]]
    assert [e["status"] for e in deletes] == [204]
    assert run.changed == 0 and run.writes == []
    # The token really went through the gateway to the upstream.
    forwarded = [e for e in run.exchanges if e["component"] == "apim_gateway" and e["status"] == 200
                 and e["method"] == "POST" and e["path"] == "/mcp-proxy/"]
    assert len(forwarded) >= 2


def test_no_token_password_or_client_secret_in_verbose_output(playbook, sandbox):
    url = guide_http.secure_by_hand(sandbox.urls, sandbox.seed)["mcp_url"]
    since = sandbox.log.last_seq()

    with captured_bodies(sandbox):
        run = playbook([probe_task("full", url, **login(sandbox))], callback="default", verbosity=4)

    assert run.rc == 0, run.output
    assert "changed=0" in run.output and "failed=0" in run.output
    secrets = [sandbox.seed["am_user_password"]]
    secrets += list(sandbox.am.gateway["access_tokens"]) + list(sandbox.am.gateway["refresh_tokens"])
    secrets += list(sandbox.am.gateway.get("used_codes", ()))
    for body in response_bodies(sandbox, since, "am_gateway"):
        if body.startswith("{"):
            answer = json.loads(body)
            secrets += [answer.get(key) for key in ("client_secret", "registration_access_token", "access_token",
                                                    "refresh_token", "id_token") if answer.get(key)]
    assert len(secrets) >= 6  # password, access + refresh token, code, client secret, registration token
    for secret in secrets:
        assert secret not in run.output, "a secret reached the -vvvv output"
