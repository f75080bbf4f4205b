"""apim_plan failures: each one fails with a message that says what to do, and changes nothing."""

from tests.integration.apim_plan_support import API_NAME, RESOURCE, keyless_task, oauth2_task, plan_task, write_paths


def failed(run, task):
    result = run.result(task)
    assert result.get("failed") is True, result
    return result["msg"]


def test_state_conflicts_fail_before_any_write(playbook, apim):
    api = apim.make_api(started_with_keyless=True)
    keyless_id = apim.plans_named(api["id"], "Keyless")[0]["id"]
    run = playbook([
        oauth2_task("security change", name="Keyless", ignore_errors=True),
        keyless_task("second keyless", name="Open too", ignore_errors=True),
        keyless_task("back to staging", state="staging", ignore_errors=True),
        plan_task("close the last", name="Keyless", state="closed", ignore_errors=True),
        plan_task("delete the last", name="Keyless", state="absent", ignore_errors=True),
    ])
    assert run.rc == 0, run.output
    assert run.writes == []
    message = failed(run, "security change")
    assert "has security keyless, the task asks for oauth2" in message
    assert "replace_on_security_change: true" in message and keyless_id in message
    message = failed(run, "second keyless")
    assert "one published or deprecated keyless plan per API" in message and keyless_id in message
    assert "state: closed" in message
    message = failed(run, "back to staging")
    assert "Plan 'Keyless'" in message and "is PUBLISHED" in message and "back to staging" in message
    for task, verb in (("close the last", "close"), ("delete the last", "delete")):
        message = failed(run, task)
        assert message.startswith("Cannot %s plan 'Keyless': it is the last published plan of started API '%s'"
                                  % (verb, API_NAME)), message
        assert "api.NotDeployable" in message and "Publish another plan first" in message
    assert [p["status"] for p in apim.plans_named(api["id"], "Keyless")] == ["PUBLISHED"]


def test_deprecated_plan_cannot_be_published_again(playbook, apim):
    api = apim.make_api(started_with_keyless=True)
    apim.plan_in(api["id"], "OAuth2", "DEPRECATED", "OAUTH2")
    run = playbook([oauth2_task(ignore_errors=True)])
    message = failed(run, "oauth2")
    assert "is DEPRECATED; APIM cannot publish a deprecated plan again" in message
    assert "state: deprecated" in message and "state: closed" in message
    assert run.writes == []


def test_oauth2_resource_is_checked_before_any_write(playbook, apim):
    api = apim.make_api(resource=False, started_with_keyless=True)
    apim.add_resource(api["id"], name="Disabled AM", enabled=False)
    run = playbook([
        oauth2_task("missing", oauth2={"resource": "Nope"}, ignore_errors=True),
        oauth2_task("disabled", oauth2={"resource": "Disabled AM"}, ignore_errors=True),
        dict(oauth2_task("missing in check mode", oauth2={"resource": "Nope"}), check_mode=True),
    ])
    assert run.writes == []
    message = failed(run, "missing")
    assert "has no resource named 'Nope'" in message and "oauth2-am-resource" in message
    assert "'Disabled AM' (oauth2-am-resource)" in message  # lists what the API has
    assert "is disabled" in failed(run, "disabled")
    checked = run.result("missing in check mode")
    assert checked.get("failed") is not True and checked["changed"] is True
    assert any("has no resource named 'Nope'" in w for w in checked["warnings"])
    assert apim.plans_named(api["id"], "OAuth2") == []


def test_unknown_api_duplicate_api_names_and_bad_credentials(playbook, apim, sandbox):
    first = apim.create_api("Twin", "/twin-a/")
    second = apim.create_api("Twin", "/twin-b/")
    run = playbook([
        keyless_task("unknown name", api="Nope", ignore_errors=True),
        keyless_task("unknown id", api_id="no-such-id", ignore_errors=True),
        keyless_task("twins", api="Twin", ignore_errors=True),
        keyless_task("bad password", api="Twin", apim_password="wrong-password", ignore_errors=True),
        keyless_task("bad token", api="Twin", apim_token="wrong-token", ignore_errors=True),
    ])
    assert run.writes == []
    assert "No API named 'Nope'" in failed(run, "unknown name")
    assert "No API with api_id 'no-such-id'" in failed(run, "unknown id")
    message = failed(run, "twins")
    assert "2 APIs are named 'Twin'" in message and first["id"] in message and second["id"] in message
    assert "api_id" in message
    message = failed(run, "bad password")
    assert message.startswith("401 from APIM") and "apim_username" in message and "apim_password" in message
    assert "wrong-password" not in run.output
    message = failed(run, "bad token")
    assert message.startswith("401 from APIM") and "apim_token" in message


def test_wrong_input_is_refused_with_the_option_named(playbook, apim):
    apim.make_api(started_with_keyless=True)
    run = playbook([
        plan_task("no security", name="P", ignore_errors=True),
        plan_task("bad security", name="P", security="jwt", ignore_errors=True),
        plan_task("bad state", name="P", security="keyless", state="open", ignore_errors=True),
        plan_task("oauth2 without options", name="P", security="oauth2", ignore_errors=True),
        plan_task("oauth2 without resource", name="P", security="oauth2", oauth2={"mode_strict": True},
                  ignore_errors=True),
        plan_task("oauth2 bool", name="P", security="oauth2", oauth2={"resource": RESOURCE, "mode_strict": "maybe"},
                  ignore_errors=True),
        plan_task("oauth2 unknown key", name="P", security="oauth2",
                  oauth2={"resource": RESOURCE, "addWwwAuthenticateHeader": True}, ignore_errors=True),
        plan_task("keyless with oauth2", name="P", security="keyless", oauth2={"resource": RESOURCE},
                  ignore_errors=True),
        plan_task("scopes not a list", name="P", security="oauth2",
                  oauth2={"resource": RESOURCE, "required_scopes": {"a": 1}}, ignore_errors=True),
        plan_task("deploy not a bool", name="P", security="keyless", deploy="often", ignore_errors=True),
        plan_task("both api and api_id", name="P", security="keyless", api=API_NAME, api_id="x",
                  ignore_errors=True),
        {"name": "neither api nor api_id", "ignore_errors": True,
         "gravitee_community.mcp.apim_plan": {"name": "P", "security": "keyless"}},
    ])
    assert run.writes == []
    assert "security is required with state: published" in failed(run, "no security")
    assert "security" in failed(run, "bad security") and "keyless, oauth2" in failed(run, "bad security")
    assert "state" in failed(run, "bad state") and "published" in failed(run, "bad state")
    assert "needs oauth2.resource" in failed(run, "oauth2 without options")
    assert "resource" in failed(run, "oauth2 without resource") and "oauth2" in failed(run, "oauth2 without resource")
    assert "mode_strict" in failed(run, "oauth2 bool") and "bool" in failed(run, "oauth2 bool")
    assert "addWwwAuthenticateHeader" in failed(run, "oauth2 unknown key")
    assert "oauth2 options apply only to security: oauth2" in failed(run, "keyless with oauth2")
    assert "required_scopes" in failed(run, "scopes not a list")
    assert "deploy" in failed(run, "deploy not a bool")
    assert "mutually exclusive" in failed(run, "both api and api_id")
    assert "one of the following is required: api, api_id" in failed(run, "neither api nor api_id")


def test_server_errors_are_retried_or_explained(playbook, apim, sandbox):
    api = apim.make_api(started_with_keyless=True)
    # Reads (and PUT) are retried on 502/503/504: the first list of plans fails, the task still succeeds.
    sandbox.faults.add(component="apim_mgmt", method="GET", path=r"/plans$", status=503, times=1)
    run = playbook([oauth2_task()])
    assert run.rc == 0, run.output
    plan_lists = [e for e in run.exchanges if e["method"] == "GET" and e["path"].endswith("/plans")]
    assert [e["status"] for e in plan_lists] == [503, 200]
    assert run.result("oauth2")["plan"]["status"] == "PUBLISHED"

    # A POST is never retried after a 5xx (APIM may have applied it): a clear failure, then a rerun finishes.
    sandbox.faults.add(component="apim_mgmt", method="POST", path=r"/_publish$", status=503, times=1)
    run = playbook([oauth2_task("staged", name="Second", state="staging"),
                    oauth2_task("publish fails", name="Second", ignore_errors=True)])
    message = failed(run, "publish fails")
    assert "503 from APIM at POST" in message and "_publish" in message
    assert ("POST", "apis/{api}/plans/{plan}/_publish") in write_paths(run)
    rerun = playbook([oauth2_task("publish again", name="Second")])
    assert rerun.rc == 0, rerun.output
    assert rerun.result("publish again")["actions"][0].startswith("publish ")
    assert [p["status"] for p in apim.plans_named(api["id"], "Second")] == ["PUBLISHED"]
