"""apim_api with its plans inline (issue 12 part 3): one task creates the API with its plans, publishes them and
leaves the API started and deployed; a rerun writes nothing; bad plans input fails before any write."""

import pytest

from tests.integration.apim_api_support import AM_SECRET, am_resource, api_task, write_paths
from tests.sandbox.apim.testkit import ApimClient
from tests.support.guide_http import mcp_initialize, wait_for_status

KEYLESS = {"name": "Keyless", "security": "keyless"}
RESOURCE = "AM OAuth2 Resource"
OAUTH2 = {"name": "OAuth2", "security": "oauth2", "oauth2": {"resource": RESOURCE}}


def mcp_url(sandbox):
    return sandbox.urls["apim_gateway_url"] + "/mcp-proxy/"


def plan_statuses(sandbox, api_id):
    plans = ApimClient(sandbox).ok("GET", f"/apis/{api_id}/plans?statuses=STAGING,PUBLISHED,DEPRECATED,CLOSED", 200)
    return {p["name"]: p["status"] for p in plans["data"]}


def test_one_task_creates_publishes_and_starts_then_reruns_with_no_write(sandbox, playbook):
    tasks = [api_task(sandbox, plans=[KEYLESS])]
    check = playbook(tasks, check=True, diff=True)
    assert check.rc == 0, check.output
    assert check.writes == [] and sandbox.apim.apis == {}
    predicted = check.result("api")
    assert predicted["api"]["state"] == "STARTED" and predicted["api"]["start_pending"] is False
    assert predicted["deployment"] == {"started": True, "deployed": False, "blocked": None}
    assert [(p["id"], p["name"], p["status"]) for p in predicted["api"]["plans"]] == [(None, "Keyless", "PUBLISHED")]
    assert predicted["diff"]["after"]["plans"][0]["status"] == "PUBLISHED"

    first = playbook(tasks, diff=True)
    assert first.rc == 0, first.output
    api = first.result("api")["api"]
    assert "warnings" not in first.result("api")
    # No pending-start marker, no PUT: the plan is published before the first start (which deploys the API).
    assert write_paths(first) == [("POST", "apis"), ("POST", "apis/%s/plans" % api["id"]),
                                  ("POST", "apis/%s/plans/%s/_publish" % (api["id"], api["plans"][0]["id"])),
                                  ("POST", "apis/%s/_start" % api["id"])]
    assert (api["state"], api["deployment_state"], api["start_pending"]) == ("STARTED", "DEPLOYED", False)
    assert first.result("api")["diff"]["before"] == {}
    assert [p["status"] for p in first.result("api")["diff"]["after"]["plans"]] == ["PUBLISHED"]
    apim = ApimClient(sandbox)
    assert apim.deployment_state(api["id"]) == "DEPLOYED"
    assert [p["name"] for p in apim.served(api["id"])["plans"]] == ["Keyless"]
    # The gateway serves the API with the keyless plan: an MCP call without a token passes.
    assert wait_for_status(mcp_url(sandbox), 200).status_code == 200
    assert mcp_initialize(mcp_url(sandbox)).status_code == 200

    rerun = playbook(tasks, diff=True)
    assert rerun.rc == 0, rerun.output
    assert rerun.changed == 0 and rerun.writes == []
    assert rerun.result("api")["diff"]["before"] == rerun.result("api")["diff"]["after"]
    again = playbook(tasks, check=True)
    assert again.changed == 0 and again.writes == []


def test_oauth2_plan_with_the_resource_of_the_same_task_locks_the_gateway(sandbox, playbook):
    resource = am_resource(serverURL=sandbox.urls["am_gateway_url"], securityDomain=sandbox.seed["am_domain"])
    tasks = [api_task(sandbox, resources=[resource], plans=[OAUTH2])]
    check = playbook(tasks, check=True, diff=True, verbosity=4, callback="default")
    assert check.rc == 0, check.output
    assert check.writes == [] and AM_SECRET not in check.output

    first = playbook(tasks, diff=True, verbosity=4, callback="default")
    assert first.rc == 0, first.output
    assert AM_SECRET not in first.output
    api_id = next(iter(sandbox.apim.apis))
    assert plan_statuses(sandbox, api_id) == {"OAuth2": "PUBLISHED"}
    assert ApimClient(sandbox).get_api(api_id)["state"] == "STARTED"
    # The OAuth2 plan serves: a call without a token gets the Bearer challenge.
    answer = wait_for_status(mcp_url(sandbox), 401)
    assert answer.status_code == 401 and answer.headers["WWW-Authenticate"].startswith("Bearer")

    rerun = playbook(tasks)
    assert rerun.rc == 0 and rerun.changed == 0 and rerun.writes == [], rerun.output


def test_lock_down_in_one_task_publishes_first_closes_after_and_deploys_once(sandbox, playbook):
    opened = playbook([api_task(sandbox, plans=[KEYLESS])])
    api_id = opened.result("api")["api"]["id"]
    apim = ApimClient(sandbox)
    console = apim.create_plan(api_id, "Made in the Console")  # not listed: left alone
    resource = am_resource(serverURL=sandbox.urls["am_gateway_url"], securityDomain=sandbox.seed["am_domain"])
    # Listed in the "wrong" order: closing comes after publishing anyway, so the API always has a published plan.
    tasks = [api_task(sandbox, resources=[resource], plans=[dict(KEYLESS, state="closed"), OAUTH2])]
    locked = playbook(tasks)
    assert locked.rc == 0, locked.output
    writes = [(method, path.replace(api_id, "{api}")) for method, path in write_paths(locked)]
    assert writes[0] == ("PUT", "apis/{api}") and writes[-1] == ("POST", "apis/{api}/deployments")
    assert [w[1].rsplit("/", 1)[-1] for w in writes[1:-1]] == ["plans", "_publish", "_close"]
    assert plan_statuses(sandbox, api_id) == {"Keyless": "CLOSED", "OAuth2": "PUBLISHED",
                                              "Made in the Console": "STAGING"}
    assert not [path for _, path in writes if console["id"] in path]
    assert wait_for_status(mcp_url(sandbox), 401).status_code == 401
    rerun = playbook(tasks)
    assert rerun.rc == 0 and rerun.changed == 0 and rerun.writes == [], rerun.output


@pytest.mark.parametrize("plans, message", [
    ([KEYLESS, dict(OAUTH2, scopes=["openid"])], "Unsupported option plans[1].scopes"),
    ([dict(OAUTH2, oauth2={"resource": RESOURCE, "mode_strict": "maybe"})], "plans[0].oauth2.mode_strict"),
    ([dict(KEYLESS, state="gone")], "plans[0].state: value of state must be one of"),
    ([KEYLESS, dict(KEYLESS, state="staging")], "plans[1].name 'Keyless' is already the name of plans[0]"),
    ([dict(KEYLESS, oauth2={"resource": RESOURCE})], "plans[0].oauth2 options apply only to security: oauth2"),
    ([{"name": "Open"}], "plans[0].security is required with state: published"),
    ([KEYLESS, {"name": "Second keyless", "security": "keyless"}], "plans[1] (plan 'Second keyless'): Cannot publish"),
])
def test_bad_plans_fail_before_any_write_naming_the_item(sandbox, playbook, plans, message):
    for check in (True, False):
        run = playbook([api_task(sandbox, plans=plans)], check=check)
        assert run.rc != 0
        assert run.writes == [] and sandbox.apim.apis == {}
        assert message in run.result("api")["msg"], run.result("api")["msg"]


def test_an_oauth2_plan_without_its_resource_fails_before_any_write_and_only_warns_in_check_mode(sandbox, playbook):
    # In check mode an earlier task of the play (the role's AM resource step) may create the resource, as with
    # apim_plan; a real run refuses before its first write.
    message = "plans[0] (plan 'OAuth2'): API 'API MCP Proxy' (None) has no resource named 'AM OAuth2 Resource'"
    checked = playbook([api_task(sandbox, plans=[OAUTH2])], check=True)
    assert checked.rc == 0 and checked.writes == [], checked.output
    assert any(w.startswith("plans[0]: ") and "has no resource named 'AM OAuth2 Resource'" in w
               and "check mode: assuming an earlier task creates it" in w
               for w in checked.result("api")["warnings"]), checked.result("api")
    run = playbook([api_task(sandbox, plans=[OAUTH2])])
    assert run.rc != 0 and run.writes == [] and sandbox.apim.apis == {}
    assert message in run.result("api")["msg"], run.result("api")["msg"]
