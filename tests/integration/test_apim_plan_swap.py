"""Keyless -> OAuth2: the guide's order with apim_api + apim_plan, replace_on_security_change both ways, secrets."""

from tests.integration.apim_plan_support import (
    API_NAME,
    CONTEXT_PATH,
    RESOURCE,
    RESOURCE_SECRET,
    keyless_task,
    oauth2_task,
    plan_ids_in_writes,
    write_paths,
)
from tests.support.guide_http import mcp_initialize, wait_for_status


def mcp_url(sandbox):
    return sandbox.urls["apim_gateway_url"] + CONTEXT_PATH


def api_task(sandbox, task, **options):
    args = {"name": API_NAME, "context_path": CONTEXT_PATH, "upstream_url": sandbox.urls["upstream_url"]}
    args.update(options)
    return {"name": task, "gravitee_community.mcp.apim_api": args}


def test_guide_order_keyless_then_oauth2_with_apim_api(playbook, apim, sandbox):
    # Step 1: the API with a Keyless plan, started; MCP traffic passes unauthenticated.
    opened = playbook([api_task(sandbox, "api"), keyless_task(), api_task(sandbox, "start")])
    assert opened.rc == 0, opened.output
    # apim_api could not start the API (no plan yet) and recorded the pending start: apim_plan starts it once the
    # plan is published, so the second apim_api task has nothing left to do (issue 12).
    assert opened.result("keyless")["actions"] == ["create", "publish", "start"]
    assert opened.result("start")["api"]["state"] == "STARTED" and opened.result("start")["changed"] is False
    assert wait_for_status(mcp_url(sandbox), 200).status_code == 200

    # Step 5: the AM resource on the API, an OAuth2 plan that uses it, the Keyless plan closed, redeployed.
    resource = {"name": RESOURCE, "type": "oauth2-am-resource", "configuration": {
        "serverURL": sandbox.urls["am_gateway_url"], "securityDomain": sandbox.seed["am_domain"],
        "clientId": "mcp-introspection", "clientSecret": RESOURCE_SECRET, "version": "V3_X"}}
    locked = playbook([api_task(sandbox, "resource", resources=[resource]),
                       oauth2_task(deploy=False),
                       keyless_task("close keyless", state="closed")])
    assert locked.rc == 0, locked.output
    writes = write_paths(locked)
    # apim_api wrote the resource (PUT) and deployed it; then come apim_plan's writes.
    assert writes[0] == ("PUT", "apis/{api}")
    plan_writes = writes[writes.index(("POST", "apis/{api}/plans")):]
    # OAuth2 published before Keyless is closed (never without a published plan), one deployment at the end.
    assert plan_writes == [("POST", "apis/{api}/plans"), ("POST", "apis/{api}/plans/{plan}/_publish"),
                           ("POST", "apis/{api}/plans/{plan}/_close"), ("POST", "apis/{api}/deployments")]
    assert locked.result("oauth2")["api_deployment_state"] == "NEED_REDEPLOY"
    assert locked.result("close keyless")["plan"]["status"] == "CLOSED"
    assert locked.result("close keyless")["api_deployment_state"] == "DEPLOYED"

    # Step 6: a call without a token is refused by the gateway, with the OAuth2 challenge.
    answer = wait_for_status(mcp_url(sandbox), 401)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    # A rerun of the whole locked-down play changes nothing and writes nothing.
    rerun = playbook([api_task(sandbox, "resource", resources=[resource]), oauth2_task(deploy=False),
                      keyless_task("close keyless", state="closed")])
    assert rerun.rc == 0 and rerun.changed == 0 and rerun.writes == [], rerun.output


def test_replace_keyless_by_oauth2_publishes_first_then_closes(playbook, apim, sandbox):
    api = apim.make_api(started_with_keyless=True)
    old_id = apim.plans_named(api["id"], "Keyless")[0]["id"]
    assert wait_for_status(mcp_url(sandbox), 200).status_code == 200
    refused = playbook([oauth2_task(name="Keyless", ignore_errors=True)])
    assert "replace_on_security_change" in refused.result("oauth2")["msg"] and refused.writes == []

    run = playbook([oauth2_task(name="Keyless", replace_on_security_change=True)], diff=True)
    assert run.rc == 0, run.output
    result = run.result("oauth2")
    new_id = result["plan"]["id"]
    assert write_paths(run) == [("POST", "apis/{api}/plans"), ("POST", "apis/{api}/plans/{plan}/_publish"),
                                ("POST", "apis/{api}/plans/{plan}/_close"), ("POST", "apis/{api}/deployments")]
    assert plan_ids_in_writes(run) == [None, new_id, old_id]
    assert result["actions"] == ["create", "publish", "close " + old_id, "deploy"]
    assert result["replaced_plan_ids"] == [old_id]
    assert result["diff"]["before"]["security"] == "keyless" and result["diff"]["after"]["security"] == "oauth2"
    statuses = {p["id"]: (p["status"], p["security"]["type"]) for p in apim.plans_named(api["id"], "Keyless")}
    assert statuses == {old_id: ("CLOSED", "KEY_LESS"), new_id: ("PUBLISHED", "OAUTH2")}
    assert wait_for_status(mcp_url(sandbox), 401).status_code == 401
    # The closed keyless plan of that name no longer matters: the rerun is quiet.
    again = playbook([oauth2_task(name="Keyless", replace_on_security_change=True)])
    assert again.changed == 0 and again.writes == []


def test_replace_oauth2_by_keyless_and_its_refusals(playbook, apim, sandbox):
    api = apim.make_api()
    old = apim.plan_in(api["id"], "Default", "PUBLISHED", "OAUTH2")
    apim.ok("POST", f"/apis/{api['id']}/_start", 204)
    assert wait_for_status(mcp_url(sandbox), 401).status_code == 401
    other_keyless = apim.plan_in(api["id"], "Other", "PUBLISHED")
    # A second keyless plan would be refused by APIM: found before any write.
    refused = playbook([keyless_task(name="Default", replace_on_security_change=True, ignore_errors=True)])
    assert "one published or deprecated keyless plan per API" in refused.result("keyless")["msg"]
    assert refused.writes == []
    apim.ok("DELETE", f"/apis/{api['id']}/plans/{other_keyless['id']}", 204)

    run = playbook([keyless_task(name="Default", replace_on_security_change=True, deploy=False)])
    assert run.rc == 0, run.output
    result = run.result("keyless")
    # Same order the other way round; no deployment asked, so the gateway still wants a token.
    assert write_paths(run) == [("POST", "apis/{api}/plans"), ("POST", "apis/{api}/plans/{plan}/_publish"),
                                ("POST", "apis/{api}/plans/{plan}/_close")]
    assert plan_ids_in_writes(run) == [None, result["plan"]["id"], old["id"]]
    assert result["api_deployment_state"] == "NEED_REDEPLOY"
    assert mcp_initialize(mcp_url(sandbox)).status_code == 401
    # The next run with deploy (default) only deploys: APIM reports NEED_REDEPLOY.
    deployed = playbook([keyless_task(name="Default", replace_on_security_change=True)])
    assert write_paths(deployed) == [("POST", "apis/{api}/deployments")]
    assert deployed.result("keyless")["actions"] == ["deploy"]
    assert wait_for_status(mcp_url(sandbox), 200).status_code == 200


def test_no_secret_in_verbose_output(playbook, apim, sandbox):
    apim.make_api(started_with_keyless=True)
    defaults = {"group/gravitee_community.mcp.apim": {"apim_token": sandbox.seed["apim_token"]}}
    tasks = [oauth2_task(), oauth2_task("update", oauth2={"resource": RESOURCE, "mode_strict": False}),
             oauth2_task("bad resource", oauth2={"resource": "Nope"}, ignore_errors=True),
             keyless_task("bad token", name="Other", apim_token="wrong-token-4242", ignore_errors=True)]
    run = playbook(tasks, verbosity=4, callback="default", diff=True, play_extra={"module_defaults": defaults})
    assert run.rc == 0, run.output
    assert "has no resource named 'Nope'" in run.output and "401 from APIM" in run.output
    for secret in (sandbox.seed["apim_token"], RESOURCE_SECRET, "wrong-token-4242"):
        assert secret not in run.output, secret
