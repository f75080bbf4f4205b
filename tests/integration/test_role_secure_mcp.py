"""The secure_mcp role through playbooks/secure_mcp.yml: the guide end to end, the rerun, a real client.

Every run is the playbook file as a user types it (``-e @playbooks/vars/sandbox.yml``), with this sandbox's URLs
as extra vars because the session sandbox is not on the default ports.
"""

from tests.integration.role_support import (
    SUMMARY,
    am_resource_of,
    apis_named,
    changed_tasks,
    forwarded_to,
    management_writes,
    mcp_servers,
    mcp_url,
    plans_of,
    run_playbook_file,
    summaries,
    task_results,
)
from tests.support.guide_http import mcp_initialize, wait_for_status
from tests.support.mcp_client import oauth_session, run


def domain_settings(sandbox):
    """(DCR on, self-registration on) in the seeded domain."""
    domain = next(iter(sandbox.am.domains.values()))
    return (domain["oidc"]["clientRegistrationSettings"]["isDynamicClientRegistrationEnabled"],
            domain["loginSettings"]["registerEnabled"])


# Faster probes than the role's defaults (the sandbox's gateway syncs in 0.2 s).
FAST = {"secure_mcp_probe_delay": 0.5}


def test_the_playbook_secures_the_sandbox_and_a_rerun_changes_nothing(sandbox):
    url = mcp_url(sandbox)
    first = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert first.rc == 0, first.output
    assert first.changed >= 7, changed_tasks(first)
    # The guide's order: open API + keyless + start, smoke test (open), AM, lock down, verify with a login.
    names = [r["name"].split(" : ", 1)[-1] for r in first.results() if not r.get("skipped")]
    order = ["1 | APIM API in front", "1 | Keyless plan (open bootstrap), Deploy and start the open API",
             "1 | Smoke test through the gateway", "2 | AM MCP server (protected resource)",
             "3 | Dynamic Client Registration", "4 | User self-registration",
             "5 | AM authorization server resource with",
             "5 | OAuth2 plan that validates tokens with AM, Close the Keyless plan, Redeploy",
             "6 | Verify like an MCP client"]
    positions = [next(i for i, name in enumerate(names) if step in name) for step in order]
    assert positions == sorted(positions), names
    smoke = task_results(first, "Smoke test through the gateway without a token")[0]
    assert smoke["ok"] is True and "echo" in smoke["tools"]
    verified = task_results(first, "Verify like an MCP client (login)")[0]
    assert verified["ok"] is True and verified["failed_checks"] == []
    assert {c["name"] for c in verified["checks"]} >= {"challenge", "issuer", "registration", "login", "tools_list"}

    # What APIM and AM hold: one API, Keyless closed, OAuth2 published; the AM server for the exact MCP URL, and
    # the API's AM resource holding that server's client id and its working secret.
    (api,) = apis_named(sandbox, "API MCP Proxy")
    plans = {p["name"]: (p["security"]["type"], p["status"]) for p in plans_of(sandbox, api["id"])}
    assert plans == {"Keyless": ("KEY_LESS", "CLOSED"), "OAuth2": ("OAUTH2", "PUBLISHED")}
    (server,) = mcp_servers(sandbox)
    assert server["resourceIdentifiers"] == [url, url.rstrip("/")]  # both forms a client may type (url_forms)
    resource = am_resource_of(api)
    assert resource["configuration"]["clientId"] == server["clientId"]
    assert resource["configuration"]["serverURL"] == sandbox.urls["am_gateway_url"]
    assert resource["configuration"]["securityDomain"] == sandbox.seed["am_domain"]
    assert sandbox.am.secret_matches(server, resource["configuration"]["clientSecret"])

    # The summary: API, plans, AM server and client id, what a client configures; never the secret.
    (summary,) = summaries(first)
    assert summary["mcp_url"] == url and url in summary["client_setup"]
    assert summary["api"]["id"] == api["id"] and summary["api"]["state"] == "STARTED"
    assert {(p["name"], p["status"]) for p in summary["api"]["plans"]} == {("Keyless", "CLOSED"),
                                                                           ("OAuth2", "PUBLISHED")}
    assert summary["am_mcp_server"]["id"] == server["id"]
    assert summary["am_mcp_server"]["client_id"] == server["clientId"]
    assert summary["authorization_server"] == "%s/%s/oidc" % (sandbox.urls["am_gateway_url"], sandbox.seed["am_domain"])
    assert resource["configuration"]["clientSecret"] not in first.stdout + first.stderr

    # Second run: nothing to do, not one write request, the API is never reopened.
    before = len(forwarded_to(sandbox, api["id"]))
    again = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert again.rc == 0, again.output
    assert again.changed == 0, changed_tasks(again)
    assert management_writes(again) == []
    assert task_results(again, "Keyless plan (open bootstrap), Deploy and start the open API")[0].get("skipped") is True
    assert task_results(again, "Smoke test through the gateway without a token")[0].get("skipped") is True
    assert not [e for e in forwarded_to(sandbox, api["id"])[before:] if not e["token_present"]]
    assert summaries(again)[0]["am_mcp_server"]["secret"] == "unchanged (kept in the API resource)"

    # A client nobody here wrote: the official MCP SDK discovers AM, registers (DCR), logs in, calls a tool.
    assert mcp_initialize(url).status_code == 401
    client = run(oauth_session(url, sandbox.seed["am_user"], sandbox.seed["am_user_password"],
                               "echo", {"text": "through the role"}))
    assert "echo" in client["tools"]
    assert client["call"] and "through the role" in client["call"][0]


def test_without_keyless_bootstrap_nothing_ever_passes_without_a_token(sandbox):
    url = mcp_url(sandbox)
    secured = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_keyless_bootstrap=False))
    assert secured.rc == 0, secured.output
    for skipped in ("Keyless plan (open bootstrap), Deploy and start the open API",
                    "Smoke test through the gateway without a token"):
        assert task_results(secured, skipped)[0].get("skipped") is True, skipped
    smoke = task_results(secured, "Smoke test of the secured API (it was never open)")[0]
    assert smoke["ok"] is True and [c["name"] for c in smoke["checks"]] == ["challenge", "bogus_token"]
    assert task_results(secured, "Verify like an MCP client (login)")[0]["ok"] is True

    (api,) = apis_named(sandbox, "API MCP Proxy")
    assert [p["security"]["type"] for p in plans_of(sandbox, api["id"])] == ["OAUTH2"]
    # The API was first started with the OAuth2 plan only: every deployment the gateway ever had is OAuth2-only.
    for event in sandbox.apim.deploy_events[api["id"]]:
        assert {p["security"]["type"] for p in event["definition"]["plans"]} <= {"OAUTH2"}

    client = run(oauth_session(url, sandbox.seed["am_user"], sandbox.seed["am_user_password"],
                               "echo", {"text": "never open"}))
    assert client["call"] and "never open" in client["call"][0]
    assert wait_for_status(url, 401).status_code == 401
    # The gateway's own record of what it passed upstream: the verification's and the client's calls, all with
    # a token. Not one request reached the MCP server without one.
    forwarded = forwarded_to(sandbox, api["id"])
    assert len(forwarded) >= 3
    assert all(entry["token_present"] for entry in forwarded), forwarded
    assert {entry["security_type"] for entry in forwarded} == {"OAUTH2"}


def test_unsecure_removes_the_api_first_then_the_am_server_and_leaves_the_domain_alone(sandbox):
    secured = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_verify="none"))
    assert secured.rc == 0, secured.output
    (api,) = apis_named(sandbox, "API MCP Proxy")

    removed = run_playbook_file(sandbox, "unsecure_mcp.yml")
    assert removed.rc == 0, removed.output
    assert apis_named(sandbox, "API MCP Proxy") == [] and mcp_servers(sandbox) == []
    writes = management_writes(removed)
    api_delete = writes.index(("DELETE", next(p for m, p in writes if m == "DELETE" and api["id"] in p)))
    am_delete = next(i for i, (m, p) in enumerate(writes) if m == "DELETE" and "protected-resources" in p)
    assert api_delete < am_delete, writes
    # The domain's DCR and sign-up settings may serve other MCP servers: left on, and the summary says so.
    assert domain_settings(sandbox) == (True, True)
    (summary,) = summaries(removed)
    assert summary["api_removed"] is True and summary["am_mcp_server_removed"] is True
    assert "left as they are" in summary["domain_settings"]

    # Asked for: the domain settings go too; the rest is already gone (nothing else changes).
    again = run_playbook_file(sandbox, "unsecure_mcp.yml", {"secure_mcp_absent_domain_settings": True})
    assert again.rc == 0, again.output
    assert sorted(r["name"].split(" | ")[-1] for r in again.results() if r.get("changed")) == [
        "Turn Dynamic Client Registration off (asked for)", "Turn user self-registration off (asked for)"]
    assert domain_settings(sandbox) == (False, False)


def test_bad_variables_fail_before_any_request(sandbox):
    bad_type = run_playbook_file(sandbox, "secure_mcp.yml", {"secure_mcp_api_type": "soap"})
    assert bad_type.rc != 0
    validation = task_results(bad_type, "Validating arguments against arg spec 'main' - Put an MCP server "
                                        "without authentication behind Gravitee APIM and AM with OAuth2")[0]
    assert validation["failed"] is True
    assert "Validation of arguments failed" in validation["msg"]
    assert "secure_mcp_api_type must be one of: mcp_proxy, proxy, got: soap" in validation["msg"]

    wrong = run_playbook_file(sandbox, "secure_mcp.yml", {"secure_mcp_context_path": "/MCP-Proxy",
                                                          "secure_mcp_verify_username": ""})
    assert wrong.rc != 0
    msg = task_results(wrong, "Check the variables that depend on each other")[0]["msg"]
    assert "must have a lowercase path" in msg and "/MCP-Proxy/" in msg
    assert "secure_mcp_verify: login needs secure_mcp_verify_username and secure_mcp_verify_password" in msg
    assert bad_type.exchanges == [] and wrong.exchanges == []


def test_no_secret_in_the_most_verbose_output(sandbox):
    seed = sandbox.seed
    run_ = run_playbook_file(sandbox, "secure_mcp.yml", FAST, callback="default", verbosity=4)
    assert run_.rc == 0, run_.output[-3000:]
    assert "TASK [gravitee_community.mcp.secure_mcp : " + SUMMARY in run_.stdout
    (api,) = apis_named(sandbox, "API MCP Proxy")
    client_secret = am_resource_of(api)["configuration"]["clientSecret"]
    tokens = list(sandbox.am.gateway["access_tokens"]) + list(sandbox.am.gateway["refresh_tokens"])
    secrets = [client_secret, seed["apim_password"], seed["am_password"], seed["am_user_password"], *tokens]
    assert len(client_secret) >= 16 and tokens
    output = run_.stdout + run_.stderr
    for secret in secrets:
        assert secret not in output, "a secret appears in the -vvvv output"


def test_check_mode_on_a_fresh_system_predicts_the_run_and_writes_nothing(sandbox):
    checked = run_playbook_file(sandbox, "secure_mcp.yml", FAST, check=True)
    assert checked.rc == 0, checked.output
    assert checked.changed >= 7, changed_tasks(checked)
    assert management_writes(checked) == []
    assert apis_named(sandbox, "API MCP Proxy") == [] and mcp_servers(sandbox) == []
    # The probes need a real endpoint: skipped in check mode.
    assert task_results(checked, "Verify like an MCP client (login)")[0].get("skipped") is True
    assert summaries(checked)[0]["am_mcp_server"]["secret"] == "not known in check mode"
