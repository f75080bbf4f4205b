"""Every URL form a person may type for the secured endpoint works with the official MCP SDK: ``.../mcp-proxy/`` and
``.../mcp-proxy``. The SDK sends the URL it was given (the gateway's metadata names each form as typed) as the RFC
8707 ``resource``, which AM accepts only when it is an identifier of the MCP server, exactly."""

import pytest

from tests.integration.mcp_probe_support import checks_by_name, login, probe_task
from tests.integration.role_support import (
    changed_tasks,
    management_writes,
    mcp_servers,
    mcp_url,
    run_playbook_file,
    task_results,
)
from tests.support.mcp_client import oauth_session, run

FAST = {"secure_mcp_probe_delay": 0.5}


def sdk_call(sandbox, url, text):
    return run(oauth_session(url, sandbox.seed["am_user"], sandbox.seed["am_user_password"], "echo", {"text": text}))


def test_one_run_makes_both_url_forms_work_with_the_mcp_sdk(sandbox):
    url = mcp_url(sandbox)
    bare = url.rstrip("/")
    assert url.endswith("/mcp-proxy/")

    first = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert first.rc == 0, first.output

    (server,) = mcp_servers(sandbox)
    assert server["resourceIdentifiers"] == [url, bare]
    verified = task_results(first, "Verify like an MCP client (login)")[0]
    assert verified["ok"] is True, verified["msg"]
    form = verified["checks"][-1]
    assert form["name"] == "url_form" and form["ok"] is True and form["form"] == bare
    # The gateway's metadata names the form as typed, and AM signed in for it.
    assert form["resource"] == bare and "signed in" in form["got"]

    for typed in (url, bare):
        client = sdk_call(sandbox, typed, "typed as " + typed)
        assert client["call"] and ("typed as " + typed) in client["call"][0], typed


def test_a_server_made_with_one_form_gains_the_other_and_then_converges(sandbox, playbook):
    url = mcp_url(sandbox)
    bare = url.rstrip("/")
    slashed_only = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_url_forms=False))
    assert slashed_only.rc == 0, slashed_only.output
    (server,) = mcp_servers(sandbox)
    assert server["resourceIdentifiers"] == [url]
    assert [c["name"] for c in task_results(slashed_only, "Verify like an MCP client (login)")[0]["checks"]
            if c["name"] == "url_form"] == []

    # What users hit: the SDK given the slash-less URL is refused by AM (invalid_target)...
    with pytest.raises(Exception) as refused:
        sdk_call(sandbox, bare, "refused")
    assert "invalid_target" in repr(refused.value) + str(getattr(refused.value, "exceptions", ""))
    # ... and mcp_probe with url_forms says so, naming the form.
    probe = playbook([probe_task("forms", url, url_forms=[bare], probe_retries=0, ignore_errors=True,
                                 **login(sandbox))])
    result = probe.result("forms")
    assert result["failed"] is True and result["failed_checks"] == ["url_form"]
    form = checks_by_name(result)["url_form"]
    assert form["form"] == bare and form["cause"].startswith(bare + ": ")
    assert "invalid_target" in form["got"] and "url_forms=true" in form["cause"]
    assert bare in result["msg"] and "invalid_target" in result["msg"]
    assert checks_by_name(result)["login"]["ok"] is True  # the URL itself still works

    converged = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert converged.rc == 0, converged.output
    assert [name for name in changed_tasks(converged) if "AM MCP server" in name], changed_tasks(converged)
    (server,) = mcp_servers(sandbox)
    assert sorted(server["resourceIdentifiers"]) == sorted([url, bare])
    assert task_results(converged, "Verify like an MCP client (login)")[0]["ok"] is True

    again = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert again.rc == 0, again.output
    assert again.changed == 0, changed_tasks(again)
    assert management_writes(again) == []
    client = sdk_call(sandbox, bare, "after the rerun")
    assert client["call"] and "after the rerun" in client["call"][0]
