"""The secure_mcp role fails closed: preflight before the first write, the API it opened is stopped when a later
step fails, and the secret on the API is checked against AM on every run (drift repaired, a supplied secret
checked before lock-down, renewal on purpose)."""

import pytest

from tests.integration.role_support import (
    PREFLIGHT,
    am_resource_of,
    apis_named,
    changed_tasks,
    management_writes,
    mcp_servers,
    mcp_url,
    plans_of,
    preflight_report,
    run_playbook_file,
    summaries,
    task_results,
)
from tests.support.guide_http import mcp_initialize, wait_for_status

FAST = {"secure_mcp_probe_delay": 0.5, "secure_mcp_verify": "discovery"}
FAILED = "Secure MCP | Failed"


def failure_message(run):
    (result,) = task_results(run, FAILED)
    return result["msg"]


def never_open(sandbox):
    """An MCP client without a token gets no MCP session through the gateway."""
    assert mcp_initialize(mcp_url(sandbox)).status_code != 200


def secured_state(sandbox):
    (api,) = apis_named(sandbox, "API MCP Proxy")
    plans = {p["name"]: p["status"] for p in plans_of(sandbox, api["id"])}
    (server,) = mcp_servers(sandbox)
    secret = am_resource_of(api)["configuration"]["clientSecret"]
    return api, plans, server, secret


@pytest.mark.parametrize("extra, option", [
    ({"secure_mcp_am_password": "not-the-password"}, "am_password"),
    ({"secure_mcp_apim_password": "not-the-password"}, "apim_password"),
    ({"secure_mcp_am_domain": "no-such-domain"}, "domain"),
    ({"secure_mcp_am_url": "http://127.0.0.1:9", "secure_mcp_retries": 0}, "am_url"),
    ({"secure_mcp_apim_env": "NO-SUCH-ENV"}, "apim_env"),
], ids=["am-password", "apim-password", "am-domain", "am-unreachable", "apim-environment"])
def test_a_run_that_cannot_finish_stops_before_its_first_write(sandbox, extra, option):
    failed = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, **extra))
    assert failed.rc != 0
    assert management_writes(failed) == []
    assert task_results(failed, PREFLIGHT)[0]["failed"] is True
    msg = failure_message(failed)
    assert option in msg and "Nothing was opened in this run." in msg
    assert apis_named(sandbox, "API MCP Proxy") == []
    never_open(sandbox)


def test_a_context_path_of_another_api_is_refused_before_any_write(sandbox):
    taken = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_api_name="Someone else's API",
                                                              secure_mcp_name="Other MCP server"))
    assert taken.rc == 0, taken.output
    failed = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert failed.rc != 0 and management_writes(failed) == []
    msg = failure_message(failed)
    assert "is already used by another API: 'Someone else's API'" in msg
    assert "context_path (secure_mcp_context_path in the secure_mcp role)" in msg


def test_check_mode_runs_the_same_preflight(sandbox):
    checked = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_am_domain="no-such-domain"),
                                check=True)
    assert checked.rc != 0 and management_writes(checked) == []
    assert "AM domain 'no-such-domain' was not found" in failure_message(checked)


def test_a_failure_after_opening_stops_the_api_and_the_next_run_converges(sandbox):
    # AM's MCP server creation fails after the API was opened (create is a POST: not retried once sent).
    sandbox.faults.add(component="am_mgmt", method="POST", path="/protected-resources$", status=500)
    failed = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert failed.rc != 0
    assert task_results(failed, "Deploy and start the open API")[0]["changed"] is True
    assert task_results(failed, "Stop the API this run opened (fail closed)")[0]["changed"] is True
    msg = failure_message(failed)
    assert "was stopped (fail closed)" in msg and "500 from AM" in msg
    (api,) = apis_named(sandbox, "API MCP Proxy")
    assert api["state"] == "STOPPED"
    assert wait_for_status(mcp_url(sandbox), 404).status_code != 200

    sandbox.faults.clear()
    converged = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_verify="login"))
    assert converged.rc == 0, converged.output
    api, plans, server, secret = secured_state(sandbox)
    assert api["state"] == "STARTED" and plans == {"Keyless": "CLOSED", "OAuth2": "PUBLISHED"}
    assert sandbox.am.secret_matches(server, secret)
    assert task_results(converged, "Verify like an MCP client (login)")[0]["ok"] is True
    assert wait_for_status(mcp_url(sandbox), 401).status_code == 401


def test_keep_open_on_failure_leaves_the_api_open_and_says_so(sandbox):
    sandbox.faults.add(component="am_mgmt", method="POST", path="/protected-resources$", status=500)
    failed = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_keep_open_on_failure=True))
    assert failed.rc != 0
    assert task_results(failed, "Stop the API this run opened (fail closed)")[0].get("skipped") is True
    assert "is left OPEN TO ANYONE" in failure_message(failed)
    (api,) = apis_named(sandbox, "API MCP Proxy")
    assert api["state"] == "STARTED"


def test_a_failure_on_a_secured_api_does_not_stop_it(sandbox):
    first = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert first.rc == 0, first.output
    failed = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_verify="login",
                                                               secure_mcp_verify_password="not-alices-password"))
    assert failed.rc != 0
    assert task_results(failed, "Stop the API this run opened (fail closed)")[0].get("skipped") is True
    assert "Nothing was opened in this run." in failure_message(failed)
    (api,) = apis_named(sandbox, "API MCP Proxy")
    assert api["state"] == "STARTED"
    assert wait_for_status(mcp_url(sandbox), 401).status_code == 401


def drift_the_secret(playbook, sandbox):
    """Someone renews the MCP server's secret outside the role (console, or am_mcp_server rotate_secret)."""
    rotated = playbook([{"name": "rotate outside", "no_log": True, "gravitee_community.mcp.am_mcp_server": dict(
        domain=sandbox.seed["am_domain"], name="Sandbox MCP server", resource_identifier=[mcp_url(sandbox)],
        rotate_secret=True)}])
    assert rotated.rc == 0, rotated.output


def test_a_secret_renewed_outside_the_role_is_detected_and_repaired(playbook, sandbox):
    first = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert first.rc == 0, first.output
    drift_the_secret(playbook, sandbox)
    _, _, server, stale = secured_state(sandbox)
    assert not sandbox.am.secret_matches(server, stale)

    repaired = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_verify="login"))
    assert repaired.rc == 0, repaired.output
    assert preflight_report(repaired)["secret"]["plan"] == "renew"
    assert preflight_report(repaired)["secret"]["stored"] == "rejected"
    assert task_results(repaired, "Renew the MCP server's secret (AM 4.11+), AM shows it only once")[0]["changed"]
    _, _, server, secret = secured_state(sandbox)
    assert secret != stale and sandbox.am.secret_matches(server, secret)
    assert summaries(repaired)[0]["am_mcp_server"]["secret"] == "renewed in this run and set on the API resource"
    assert task_results(repaired, "Verify like an MCP client (login)")[0]["ok"] is True
    assert stale not in repaired.output and secret not in repaired.output

    again = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert again.rc == 0 and again.changed == 0, changed_tasks(again)
    assert management_writes(again) == []


def test_a_wrong_supplied_secret_is_refused_before_lock_down(playbook, sandbox):
    first = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert first.rc == 0, first.output
    _, _, server, secret = secured_state(sandbox)
    wrong = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_client_secret="wrong-secret-9f3a1c"))
    assert wrong.rc != 0 and management_writes(wrong) == []
    msg = failure_message(wrong)
    assert "client_secret (secure_mcp_client_secret in the secure_mcp role) is not accepted by AM" in msg
    assert "wrong-secret-9f3a1c" not in wrong.output
    assert secured_state(sandbox)[3] == secret

    right = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_client_secret=secret))
    assert right.rc == 0 and right.changed == 0, changed_tasks(right)
    assert preflight_report(right)["secret"]["plan"] == "supplied"


def test_rotate_secret_adds_deploys_then_retires_the_old_one_and_the_next_run_keeps_it(sandbox):
    first = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert first.rc == 0, first.output
    old = secured_state(sandbox)[3]
    rotated = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_rotate_secret=True,
                                                                secure_mcp_rotation_grace=1,
                                                                secure_mcp_verify="login"))
    assert rotated.rc == 0, rotated.output
    _, _, server, new = secured_state(sandbox)
    assert new != old and sandbox.am.secret_matches(server, new)
    assert not sandbox.am.secret_matches(server, old)  # retired after the deployment
    assert [s["name"][:9] for s in server["_secrets"]] == ["rotation-"]
    # No renewal in place: the old secret stayed valid until the new one was deployed (add, deploy, remove).
    writes = [p for m, p in management_writes(rotated)]
    assert not [p for p in writes if p.endswith("/_renew")]
    kinds = ["add" if p.endswith("/secrets") else "remove" if "/secrets/" in p else "deploy"
             for p in writes if p.endswith(("/secrets", "/deployments")) or "/secrets/" in p]
    assert kinds == ["add", "deploy", "remove"], kinds
    assert task_results(rotated, "Verify like an MCP client (login)")[0]["ok"] is True
    again = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert again.rc == 0 and again.changed == 0, changed_tasks(again)


def test_rotate_secret_on_am_4_10_is_refused_before_any_write(sandbox):
    first = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert first.rc == 0, first.output
    sandbox.config.am_version = "4.10.6"
    refused = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_rotate_secret=True))
    assert refused.rc != 0 and management_writes(refused) == []
    assert "rotate_secret (secure_mcp_rotate_secret in the secure_mcp role) needs AM 4.11" in failure_message(refused)
