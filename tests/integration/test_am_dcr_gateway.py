"""The effect of am_dcr where it matters: the sandbox AM gateway's registration endpoint, as an MCP client
(VS Code) uses it. The gateway learns settings by syncing, so each check polls for a short while."""

import time

import requests

DOMAIN = "mcp-domain"
LOOPBACK = "http://127.0.0.1:33418/"
VSCODE_REGISTRATION = {
    "client_name": "Visual Studio Code", "grant_types": ["authorization_code", "refresh_token"],
    "response_types": ["code"], "token_endpoint_auth_method": "none", "application_type": "native",
    "redirect_uris": [LOOPBACK, "https://vscode.dev/redirect"],
}


def dcr_task(name, **options):
    return {"name": name, "gravitee_community.mcp.am_dcr": {"domain": DOMAIN, **options}}


def gateway(sandbox):
    return "%s/%s" % (sandbox.urls["am_gateway_url"], DOMAIN)


def register(sandbox, body=None):
    """An open (token-less) DCR call, as an MCP client makes it."""
    return requests.post(gateway(sandbox) + "/oidc/register", json=body or VSCODE_REGISTRATION, timeout=10)


def eventually(probe, done, timeout=5.0):
    """``probe()`` until ``done(result)`` or the timeout; returns the last result (the gateway syncs)."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if done(result) or time.monotonic() > deadline:
            return result
        time.sleep(0.1)


def test_open_dcr_lets_a_loopback_client_register_and_dcr_off_refuses_it(playbook, sandbox):
    refused = register(sandbox)
    assert refused.status_code == 403 and refused.json()["error"] == "registration_forbidden"

    assert playbook([dcr_task("dcr on")]).rc == 0
    created = eventually(lambda: register(sandbox), lambda r: r.status_code != 403)
    assert created.status_code == 201, created.text
    client = created.json()
    assert LOOPBACK in client["redirect_uris"] and client["client_id"] and client["registration_access_token"]

    off = playbook([dcr_task("dcr off", state="absent")])
    assert off.rc == 0 and off.result("dcr off")["changed"] is True
    refused = eventually(lambda: register(sandbox), lambda r: r.status_code != 201)
    assert refused.status_code == 403 and refused.json()["error"] == "registration_forbidden"


def test_redirect_and_scope_settings_reach_the_gateway(playbook, sandbox):
    run = playbook([dcr_task("no localhost", allow_localhost_redirect_uri=False, default_scopes=["openid", "profile"])])
    assert run.rc == 0, run.output

    https_only = dict(VSCODE_REGISTRATION, redirect_uris=["https://vscode.dev/redirect"])
    created = eventually(lambda: register(sandbox, https_only), lambda r: r.status_code != 403)
    assert created.status_code == 201, created.text
    # A client that asks for no scope gets the default scopes.
    assert sorted(created.json()["scope"].split()) == ["openid", "profile"]
    loopback = register(sandbox)
    assert loopback.status_code == 400
    assert loopback.json() == {"error": "invalid_redirect_uri", "error_description": "localhost is forbidden"}


def test_closed_registration_needs_a_token(playbook, sandbox):
    assert playbook([dcr_task("closed", open_registration=False)]).rc == 0

    answer = eventually(lambda: register(sandbox), lambda r: r.status_code != 403)
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_token"
