"""apim_api then apim_plan, the order users write them: the API is started in the first run (issue 12 part 3).

apim_api (deployed: true) cannot start an API without a published plan (APIM refuses, and so does the sandbox):
it records the pending start on the API, and apim_plan starts the API when it publishes its first plan.
"""

from tests.integration.apim_api_support import NAME, api_task, write_paths
from tests.sandbox.apim.testkit import ApimClient

PENDING = "gravitee_community.mcp.start-pending"


def plan_task(task_name="plan", **options):
    args = {"api": NAME, "name": "Keyless", "security": "keyless"}
    args.update(options)
    return {"name": task_name, "gravitee_community.mcp.apim_plan": args}


def pending_marks(sandbox, api_id):
    return [p for p in ApimClient(sandbox).get_api(api_id).get("properties") or [] if p.get("key") == PENDING]


def test_api_then_plan_starts_the_api_in_the_first_run(sandbox, playbook):
    apim = ApimClient(sandbox)
    tasks = [api_task(sandbox), plan_task()]
    check = playbook(tasks, check=True)
    assert check.rc == 0, check.output
    assert check.writes == [] and sandbox.apim.apis == {}
    assert check.result("api")["api"]["start_pending"] is True

    first = playbook(tasks)
    assert first.rc == 0, first.output
    api_id = first.result("api")["api"]["id"]
    assert first.result("api")["api"]["start_pending"] is True
    assert "start is pending" in " ".join(first.result("api")["warnings"])
    plan = first.result("plan")
    assert plan["actions"] == ["create", "publish", "start"]
    assert plan["api_deployment_state"] == "DEPLOYED"
    stored = apim.get_api(api_id)
    assert (stored["state"], apim.deployment_state(api_id)) == ("STARTED", "DEPLOYED")
    assert pending_marks(sandbox, api_id) == []
    assert apim.served(api_id)["plans"][0]["name"] == "Keyless"
    # Marker set with the creation, removed before the start (the first start deploys the definition without it).
    assert write_paths(first)[-2:] == [("PUT", "apis/%s" % api_id), ("POST", "apis/%s/_start" % api_id)]

    rerun = playbook(tasks)
    assert rerun.rc == 0, rerun.output
    assert rerun.changed == 0 and rerun.writes == []
    assert rerun.result("api")["api"]["start_pending"] is False
    check_again = playbook(tasks, check=True)
    assert check_again.changed == 0 and check_again.writes == []


def test_pending_start_check_mode_predicts_the_start_and_writes_nothing(sandbox, playbook):
    created = playbook([api_task(sandbox)])
    api_id = created.result("api")["api"]["id"]
    assert len(pending_marks(sandbox, api_id)) == 1
    check = playbook([plan_task()], check=True)
    assert check.rc == 0, check.output
    assert check.writes == [] and check.result("plan")["actions"] == ["create", "publish", "start"]
    assert ApimClient(sandbox).get_api(api_id)["state"] == "STOPPED"


def test_deployed_false_never_lets_apim_plan_start_the_api(sandbox, playbook):
    """Fail closed: without the recorded intent (the role's first step) publishing a plan starts nothing."""
    run = playbook([api_task(sandbox, deployed=False), plan_task()])
    assert run.rc == 0, run.output
    api_id = run.result("api")["api"]["id"]
    assert run.result("api")["api"]["start_pending"] is False
    assert run.result("plan")["actions"] == ["create", "publish"]
    assert ApimClient(sandbox).get_api(api_id)["state"] == "STOPPED"
    assert write_paths(run) == [("POST", "apis"), ("POST", "apis/%s/plans" % api_id),
                                ("POST", "apis/%s/plans/%s/_publish" % (api_id, run.result("plan")["plan"]["id"]))]


def test_stopped_and_deployed_false_withdraw_a_pending_start(sandbox, playbook):
    created = playbook([api_task(sandbox)])
    api_id = created.result("api")["api"]["id"]
    stop = {"name": "stop", "gravitee_community.mcp.apim_api": {"name": NAME, "state": "stopped"}}
    run = playbook([stop, dict(stop, name="again"), plan_task()])
    assert run.rc == 0, run.output
    assert run.result("stop")["changed"] is True and run.result("again")["changed"] is False
    assert pending_marks(sandbox, api_id) == []
    assert run.result("plan")["actions"] == ["create", "publish"]
    assert ApimClient(sandbox).get_api(api_id)["state"] == "STOPPED"

    other = playbook([api_task(sandbox, task_name="other", name="Other API", context_path="/other")])
    other_id = other.result("other")["api"]["id"]
    assert len(pending_marks(sandbox, other_id)) == 1
    hold = playbook([api_task(sandbox, task_name="other", name="Other API", context_path="/other", deployed=False)])
    assert write_paths(hold) == [("PUT", "apis/%s" % other_id)] and pending_marks(sandbox, other_id) == []


def test_apim_plan_deploy_false_leaves_the_start_to_apim_api(sandbox, playbook):
    created = playbook([api_task(sandbox)])
    api_id = created.result("api")["api"]["id"]
    run = playbook([plan_task(deploy=False), api_task(sandbox, task_name="start")])
    assert run.rc == 0, run.output
    assert run.result("plan")["actions"] == ["create", "publish"]
    assert run.result("start")["deployment"]["started"] is True
    assert run.result("start")["api"]["start_pending"] is False
    assert ApimClient(sandbox).get_api(api_id)["state"] == "STARTED" and pending_marks(sandbox, api_id) == []
