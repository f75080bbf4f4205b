"""The secure_mcp role when the AM MCP server already exists and AM no longer shows its secret.

AM returns a client secret only when it creates or renews it. The role then reuses the secret the API's AM
resource holds when AM accepts it (same client id: the rerun case), renews it (AM 4.11+) and updates the
resource, or stops before its first write and says how to supply it.
"""

from tests.integration.role_support import (
    am_resource_of,
    apis_named,
    changed_tasks,
    management_writes,
    mcp_servers,
    mcp_url,
    preflight_failure,
    run_playbook_file,
    summaries,
    task_results,
)

FAST = {"secure_mcp_probe_delay": 0.5}
PRE_MADE = {"client_id": "pre-made-mcp-client", "client_secret": "pre-made-secret-4b7e9d1c"}


def pre_create_server(playbook, sandbox, **credentials):
    """The AM MCP server made earlier (another run, the console): its secret is gone from AM's answers."""
    made = playbook([{"name": "pre-made", "no_log": True, "gravitee_community.mcp.am_mcp_server": dict(
        domain=sandbox.seed["am_domain"], name="Sandbox MCP server", resource_identifier=[mcp_url(sandbox)],
        **credentials)}])
    assert made.rc == 0, made.output
    (server,) = mcp_servers(sandbox)
    return server


def test_an_unknown_secret_is_renewed_and_put_on_the_resource_once(playbook, sandbox):
    server = pre_create_server(playbook, sandbox)
    secured = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert secured.rc == 0, secured.output
    renew = task_results(secured, "Renew the MCP server's secret (AM 4.11+), AM shows it only once")[0]
    assert renew["changed"] is True and renew["censored"]  # no_log: the result is hidden from the output
    assert [path for method, path in management_writes(secured) if path.endswith("/_renew")]
    (api,) = apis_named(sandbox, "API MCP Proxy")
    resource = am_resource_of(api)
    assert resource["configuration"]["clientId"] == server["clientId"]
    (server,) = mcp_servers(sandbox)
    assert sandbox.am.secret_matches(server, resource["configuration"]["clientSecret"])
    # The gateway introspects the login's token with the renewed secret.
    assert task_results(secured, "Verify like an MCP client (login)")[0]["ok"] is True
    assert summaries(secured)[0]["am_mcp_server"]["secret"] == "renewed in this run and set on the API resource"

    # The resource now holds this client id: the next run reuses its secret, renews nothing, writes nothing.
    again = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_verify="discovery"))
    assert again.rc == 0, again.output
    assert again.changed == 0, changed_tasks(again)
    assert management_writes(again) == []


def test_without_rotation_the_role_stops_and_says_how_to_supply_the_secret(playbook, sandbox):
    pre_create_server(playbook, sandbox, **PRE_MADE)
    stopped = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_secret_recovery="fail"))
    assert stopped.rc != 0
    msg = preflight_failure(stopped)
    assert "AM does not show the client secret of MCP server 'Sandbox MCP server' (client id " \
           "pre-made-mcp-client) again" in msg
    assert "client_secret (secure_mcp_client_secret in the secure_mcp role)" in msg
    # The preflight stops the run before its first write: no API, nothing opened.
    assert management_writes(stopped) == []
    assert apis_named(sandbox, "API MCP Proxy") == []

    supplied = run_playbook_file(sandbox, "secure_mcp.yml", dict(
        FAST, secure_mcp_secret_recovery="fail", secure_mcp_client_id=PRE_MADE["client_id"],
        secure_mcp_client_secret=PRE_MADE["client_secret"]))
    assert supplied.rc == 0, supplied.output
    (api,) = apis_named(sandbox, "API MCP Proxy")
    assert am_resource_of(api)["configuration"] == {**am_resource_of(api)["configuration"],
                                                   "clientId": PRE_MADE["client_id"],
                                                   "clientSecret": PRE_MADE["client_secret"]}
    assert task_results(supplied, "Verify like an MCP client (login)")[0]["ok"] is True
    assert PRE_MADE["client_secret"] not in supplied.stdout + supplied.stderr


def test_on_am_4_10_the_failed_renewal_says_how_to_supply_the_secret(playbook, sandbox):
    sandbox.config.am_version = "4.10.6"
    pre_create_server(playbook, sandbox)
    stopped = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert stopped.rc != 0
    msg = preflight_failure(stopped)
    assert "This AM (4.10) cannot renew a secret" in msg
    assert "client_secret (secure_mcp_client_secret in the secure_mcp role)" in msg
    # Checked before the first write, with the keyless bootstrap on: nothing was created, nothing opened.
    assert management_writes(stopped) == []
    assert apis_named(sandbox, "API MCP Proxy") == []


def test_a_resource_that_drifted_is_updated_and_keeps_the_secret_it_holds(sandbox):
    secured = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_verify="none"))
    assert secured.rc == 0, secured.output
    (api,) = apis_named(sandbox, "API MCP Proxy")
    secret = am_resource_of(api)["configuration"]["clientSecret"]

    def drift():  # someone points the resource elsewhere in the APIM Console
        am_resource_of(sandbox.apim.apis[api["id"]])["configuration"]["serverURL"] = "http://127.0.0.1:9"

    sandbox.call_soon(drift)
    repaired = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert repaired.rc == 0, repaired.output
    # AM shows no secret now, the resource holds this client id: only serverURL is written, the secret stays.
    assert task_results(repaired, "Renew the MCP server's secret (AM 4.11+), AM shows it only once")[0]["skipped"]
    assert [m for m, p in management_writes(repaired) if p.endswith("/apis/" + api["id"])] == ["PUT"]
    (api,) = apis_named(sandbox, "API MCP Proxy")
    configuration = am_resource_of(api)["configuration"]
    assert configuration["serverURL"] == sandbox.urls["am_gateway_url"]
    assert configuration["clientSecret"] == secret
    # Redeployed, and the gateway introspects a real login's token with that secret.
    assert task_results(repaired, "Verify like an MCP client (login)")[0]["ok"] is True
