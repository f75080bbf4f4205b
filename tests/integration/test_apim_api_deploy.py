"""apim_api against the sandbox: deployed (start, deploy on change / NEED_REDEPLOY) and state absent."""

from tests.integration.apim_api_support import NAME, api_task, stored_apis, with_published_plan, write_paths
from tests.sandbox.apim.testkit import ApimClient


def served_target(apim, api_id):
    served = apim.served(api_id)
    return served and served["endpointGroups"][0]["endpoints"][0]["configuration"]["target"]


def test_deployed_starts_once_a_plan_is_published_and_deploys_changes(sandbox, playbook):
    apim = ApimClient(sandbox)
    created = playbook([api_task(sandbox)])
    api_id = created.result("api")["api"]["id"]
    assert created.result("api")["deployment"]["blocked"]
    with_published_plan(sandbox, api_id)

    start = playbook([api_task(sandbox), api_task(sandbox, task_name="rerun")])
    assert start.rc == 0, start.output
    result = start.result("api")
    # The pending start recorded by the first run is withdrawn (PUT), then the API started. Never deployed
    # before: the first _start deploys, nothing else is needed.
    assert write_paths(start) == [("PUT", "apis/%s" % api_id), ("POST", "apis/%s/_start" % api_id)]
    assert result["api"]["start_pending"] is False
    assert result["changed"] is True and result["deployment"] == {"started": True, "deployed": False,
                                                                   "blocked": None}
    assert (result["api"]["state"], result["api"]["deployment_state"]) == ("STARTED", "DEPLOYED")
    assert "warnings" not in result
    assert start.result("rerun")["changed"] is False
    assert served_target(apim, api_id) == sandbox.urls["upstream_url"]

    new_upstream = sandbox.urls["upstream_url"] + "/v2"
    change = playbook([api_task(sandbox, upstream_url=new_upstream)])
    assert write_paths(change) == [("PUT", "apis/%s" % api_id), ("POST", "apis/%s/deployments" % api_id)]
    assert change.result("api")["api"]["deployment_state"] == "DEPLOYED"
    assert served_target(apim, api_id) == new_upstream

    # A Console edit leaves the API out of sync: the task deploys although its own fields match.
    console = apim.get_api(api_id)
    console["flows"] = [{"name": "Console flow", "selectors": [{"type": "MCP", "methods": ["tools/list"]}]}]
    assert apim.put_api(console).status_code == 200
    assert apim.deployment_state(api_id) == "NEED_REDEPLOY"
    redeploy = playbook([api_task(sandbox, upstream_url=new_upstream)], check=True)
    assert redeploy.writes == [] and redeploy.result("api")["changed"] is True
    assert redeploy.result("api")["api"]["deployment_state"] == "DEPLOYED"
    redeploy = playbook([api_task(sandbox, upstream_url=new_upstream)])
    assert write_paths(redeploy) == [("POST", "apis/%s/deployments" % api_id)]
    assert redeploy.result("api")["deployment"]["deployed"] is True
    assert apim.deployment_state(api_id) == "DEPLOYED"


def test_deployed_false_leaves_the_runtime_alone(sandbox, playbook):
    apim = ApimClient(sandbox)
    api, _ = apim.started_api(NAME, "/mcp-proxy/")
    edited = sandbox.urls["upstream_url"] + "/edited"
    run = playbook([api_task(sandbox, upstream_url=edited, deployed=False)])
    assert run.rc == 0, run.output
    assert write_paths(run) == [("PUT", "apis/%s" % api["id"])]
    assert run.result("api")["api"]["deployment_state"] == "NEED_REDEPLOY"
    assert apim.deployment_state(api["id"]) == "NEED_REDEPLOY"

    apim.ok("POST", "/apis/%s/_stop" % api["id"], 204)
    run = playbook([api_task(sandbox, upstream_url=edited, deployed=False)])
    assert run.writes == [] and run.result("api")["api"]["state"] == "STOPPED"

    # deployed (default) on a stopped API that has pending edits: deploy them, then start.
    run = playbook([api_task(sandbox, upstream_url=edited)])
    assert write_paths(run) == [("POST", "apis/%s/deployments" % api["id"]), ("POST", "apis/%s/_start" % api["id"])]
    assert (run.result("api")["api"]["state"], run.result("api")["api"]["deployment_state"]) == ("STARTED",
                                                                                                 "DEPLOYED")
    assert served_target(apim, api["id"]) == edited


def test_absent_stops_closes_plans_and_deletes(sandbox, playbook):
    apim = ApimClient(sandbox)
    api, plan = apim.started_api(NAME, "/mcp-proxy/")
    task = api_task(sandbox, state="absent")
    del task["gravitee_community.mcp.apim_api"]["context_path"]
    del task["gravitee_community.mcp.apim_api"]["upstream_url"]

    check = playbook([task], check=True, diff=True)
    assert check.rc == 0, check.output
    assert check.writes == [] and check.result("api")["changed"] is True
    assert check.result("api")["diff"]["before"]["id"] == api["id"] and check.result("api")["diff"]["after"] == {}
    assert api["id"] in sandbox.apim.apis

    run = playbook([task, dict(task, name="again")])
    assert run.rc == 0, run.output
    assert run.result("api")["changed"] is True and run.result("api")["api"] is None
    assert write_paths(run) == [("POST", "apis/%s/_stop" % api["id"]), ("DELETE", "apis/%s" % api["id"])]
    delete = [w for w in run.writes if w["method"] == "DELETE"][0]
    assert delete["query"] == "closePlans=true"
    assert stored_apis(sandbox) == {} and plan["id"] not in sandbox.apim.plans
    assert run.result("again")["changed"] is False


def test_absent_by_unknown_api_id_is_nothing_to_do(sandbox, playbook):
    run = playbook([{"name": "api", "gravitee_community.mcp.apim_api": {
        "name": NAME, "api_id": "0b4c1f9e-0000-4000-8000-000000000000", "state": "absent"}}])
    assert run.rc == 0, run.output
    assert run.result("api")["changed"] is False and run.writes == []
