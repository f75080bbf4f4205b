"""apim_api's known_api (issue 14): a task handed the API and its plans as the task before it left them reads
nothing when it has nothing to change, and never writes from that copy: a PUT starts from APIM's own definition
(secrets, flows and Console edits included), a plan update from APIM's own plans."""

import json

from tests.integration.apim_api_support import AM_SECRET, MODULE, NAME, am_resource, api_task
from tests.integration.test_apim_requests import requests_of
from tests.sandbox.apim.testkit import ApimClient

KEYLESS = [{"name": "Keyless", "security": "keyless"}]


def chained(sandbox, *steps):
    """Tasks api0, api1 ... each handed the known_api of the one before (the first one ``{}``)."""
    tasks = []
    for index, options in enumerate(steps):
        known = "{}" if index == 0 else "{{ api%d.known_api }}" % (index - 1)
        task = api_task(sandbox, task_name="api%d" % index, known_api=known, **options)
        task["register"] = "api%d" % index
        tasks.append(task)
    return tasks


def test_a_chain_reads_the_api_once_and_a_rerun_of_the_chain_reads_it_once(sandbox, playbook):
    steps = [{"deployed": False}, {"plans": KEYLESS}, {"resources": [am_resource()], "deployed": False},
             {"description": "secured"}]
    first = playbook(chained(sandbox, *steps))
    assert first.rc == 0, first.output
    api_id = first.result("api0")["api"]["id"]
    assert requests_of(first, api_id) == [
        ("POST", "apis/_search"), ("GET", "apis"), ("POST", "apis"),  # api0: {} knows nothing: found, created
        # api1, from api0's known_api: the plans read again only because a plan is created
        ("GET", "apis/{api}/plans"), ("POST", "apis/{api}/plans"), ("POST", "apis/{api}/plans/{plan}/_publish"),
        ("POST", "apis/{api}/_start"),
        ("GET", "apis/{api}"), ("PUT", "apis/{api}"),  # api2: the PUT starts from APIM's copy
        ("GET", "apis/{api}"), ("PUT", "apis/{api}"), ("POST", "apis/{api}/deployments")]  # api3: the same
    rerun = playbook(chained(sandbox, *steps))
    assert rerun.rc == 0 and rerun.changed == 0, rerun.output
    # api0 finds the API; api2 sets a secret, which known_api never holds: it reads the API to compare.
    assert requests_of(rerun, api_id) == [("POST", "apis/_search"), ("GET", "apis/{api}"),
                                          ("GET", "apis/{api}/plans"), ("GET", "apis/{api}")]
    stored = ApimClient(sandbox).get_api(api_id)
    assert stored["resources"][0]["configuration"]["clientSecret"] == AM_SECRET


def test_a_write_starts_from_what_apim_holds_not_from_the_known_copy(sandbox, playbook):
    """Between the two tasks the Console adds a flow and changes the resource's secret: the second task's PUT
    (a new description) keeps both, because it reads the definition again instead of writing the known copy."""
    opened = playbook(chained(sandbox, {"plans": KEYLESS, "resources": [am_resource()]}))
    api_id = opened.result("api0")["api"]["id"]
    known = opened.result("api0")["known_api"]
    apim = ApimClient(sandbox)
    edited = apim.get_api(api_id)
    edited["flows"] = [{"name": "console flow", "enabled": True, "selectors": [], "request": [], "response": [],
                        "subscribe": [], "publish": []}]
    edited["resources"][0]["configuration"]["clientSecret"] = "renewed-in-the-console-0815"
    apim.put_api(edited)
    task = api_task(sandbox, description="changed", known_api=known)
    run = playbook([task])
    assert run.rc == 0 and run.changed == 1, run.output
    assert requests_of(run, api_id) == [("GET", "apis/{api}"), ("PUT", "apis/{api}"),
                                        ("POST", "apis/{api}/deployments")]
    stored = apim.get_api(api_id)
    assert stored["description"] == "changed"
    assert [flow["name"] for flow in stored["flows"]] == ["console flow"]
    assert stored["resources"][0]["configuration"]["clientSecret"] == "renewed-in-the-console-0815"


def test_known_api_holds_no_secret_and_no_whole_definition(sandbox, playbook):
    run = playbook(chained(sandbox, {"plans": KEYLESS, "resources": [am_resource()]}), verbosity=4,
                   callback="default")
    assert run.rc == 0, run.output
    assert AM_SECRET not in run.output
    report = playbook(chained(sandbox, {"plans": KEYLESS, "resources": [am_resource()]}))
    known = report.result("api0")["known_api"]
    text = json.dumps(known)
    assert AM_SECRET not in text and "clientSecret" not in text
    assert known["api"]["resources"][0]["configuration"]["clientId"] == "mcp-introspection"
    assert "flows" not in known["api"] and "analytics" not in known["api"]
    assert [plan["name"] for plan in known["plans"]] == ["Keyless"]


def test_a_new_secret_against_the_known_copy_is_written_from_apims_copy(sandbox, playbook):
    """known_api holds no secret, so a task that sets one always reads the API and writes it."""
    opened = playbook(chained(sandbox, {"plans": KEYLESS, "resources": [am_resource()]}))
    api_id = opened.result("api0")["api"]["id"]
    task = api_task(sandbox, resources=[am_resource(secret="the-next-secret-4712")],
                    known_api=opened.result("api0")["known_api"])
    run = playbook([task])
    assert run.rc == 0 and run.changed == 1, run.output
    assert requests_of(run, api_id)[:2] == [("GET", "apis/{api}"), ("PUT", "apis/{api}")]
    stored = ApimClient(sandbox).get_api(api_id)["resources"][0]["configuration"]
    assert stored["clientSecret"] == "the-next-secret-4712" and stored["serverURL"]


def test_a_plan_update_reads_the_plans_again(sandbox, playbook):
    oauth2 = {"name": "OAuth2", "security": "oauth2", "oauth2": {"resource": "AM OAuth2 Resource"}}
    opened = playbook(chained(sandbox, {"plans": KEYLESS + [oauth2], "resources": [am_resource()]}))
    api_id = opened.result("api0")["api"]["id"]
    scoped = dict(oauth2, oauth2={"resource": "AM OAuth2 Resource", "required_scopes": ["mcp"]})
    run = playbook([api_task(sandbox, plans=[scoped], known_api=opened.result("api0")["known_api"])])
    assert run.rc == 0 and run.changed == 1, run.output
    sent = requests_of(run, api_id)
    assert sent[0] == ("GET", "apis/{api}/plans") and ("PUT", "apis/{api}/plans/{plan}") in sent, sent


def test_known_api_of_another_api_fails_before_any_request(sandbox, playbook):
    opened = playbook(chained(sandbox, {"plans": KEYLESS}))
    known = opened.result("api0")["known_api"]
    for bad, words in ((dict(known, api=dict(known["api"], name="Other API")), "not the API of this task"),
                       ({"api": {"name": NAME}, "plans": []}, "known_api.api has no id"),
                       ({"api": None}, "exactly 'api'"), ({"api": None, "plans": [], "x": 1}, "exactly 'api'")):
        run = playbook([api_task(sandbox, known_api=bad, description="never written")])
        assert run.rc != 0, run.output
        assert words in run.result("api")["msg"] and "known_api" in run.result("api")["msg"]
        assert [e for e in run.exchanges if e["component"] == "apim_mgmt"] == []


def test_check_mode_reads_as_a_real_run_writes_nothing_and_returns_no_known_api(sandbox, playbook):
    opened = playbook(chained(sandbox, {"plans": KEYLESS}))
    api_id = opened.result("api0")["api"]["id"]
    known = opened.result("api0")["known_api"]
    run = playbook([api_task(sandbox, description="would change", known_api=known),
                    api_task(sandbox, task_name="same", known_api=known)], check=True)
    assert run.rc == 0 and run.changed == 1, run.output
    # The change is decided from APIM's copy, as a real run writes it; the task in sync reads nothing.
    assert requests_of(run, api_id) == [("GET", "apis/{api}")]
    assert "known_api" not in run.result("api") and "known_api" not in run.result("same")


def test_a_pending_start_to_record_is_written_from_apims_copy(sandbox, playbook):
    """In sync but for the pending-start mark (no published plan yet): the PUT that records it starts from the
    definition APIM holds, never from the known copy."""
    first = playbook(chained(sandbox, {"deployed": False}, {}))
    assert first.rc == 0, first.output
    api_id = first.result("api0")["api"]["id"]
    assert requests_of(first, api_id)[3:] == [("GET", "apis/{api}"), ("PUT", "apis/{api}")]
    stored = ApimClient(sandbox).get_api(api_id)
    assert first.result("api1")["api"]["start_pending"] is True
    assert stored["endpointGroups"][0]["sharedConfiguration"] and stored["analytics"] is not None


def test_an_api_known_to_be_absent_is_created_without_another_search(sandbox, playbook):
    run = playbook([api_task(sandbox, known_api={"api": None, "plans": []}, plans=KEYLESS)])
    assert run.rc == 0 and run.changed == 1, run.output
    api_id = run.result("api")["api"]["id"]
    assert requests_of(run, api_id) == [("POST", "apis"), ("POST", "apis/{api}/plans"),
                                        ("POST", "apis/{api}/plans/{plan}/_publish"), ("POST", "apis/{api}/_start")]
    # Stale (created meanwhile, e.g. by another run): APIM refuses the second API on the path; the task says so.
    again = playbook([api_task(sandbox, known_api={"api": None, "plans": []})])
    assert again.rc != 0 and "already used by another API" in again.result("api")["msg"], again.output
    assert len(ApimClient(sandbox).request("GET", "/apis").json()["data"]) == 1


def test_a_plan_to_create_is_decided_from_the_plans_apim_holds(sandbox, playbook):
    """The plan was created after known_api was taken (another run at once): no second plan of that name."""
    opened = playbook(chained(sandbox, {"deployed": False}))
    api_id = opened.result("api0")["api"]["id"]
    known = opened.result("api0")["known_api"]
    assert known["plans"] == []
    apim = ApimClient(sandbox)
    apim.publish(api_id, apim.create_plan(api_id, name="Keyless")["id"])
    run = playbook([api_task(sandbox, known_api=known, plans=KEYLESS)])
    assert run.rc == 0, run.output
    assert requests_of(run, api_id)[0] == ("GET", "apis/{api}/plans")
    plans = apim.request("GET", "/apis/%s/plans" % api_id).json()["data"]
    assert [(p["name"], p["status"]) for p in plans] == [("Keyless", "PUBLISHED")]


def test_an_api_known_to_run_is_stopped_even_when_apim_fails_every_read(sandbox, playbook):
    opened = playbook(chained(sandbox, {"plans": KEYLESS}))
    api_id = opened.result("api0")["api"]["id"]
    sandbox.faults.add(component="apim_mgmt", method="GET", path=r"/apis/[^/]+$", status=503)
    stop = playbook([{"name": "stop", MODULE: {"name": NAME, "state": "stopped",
                                              "known_api": opened.result("api0")["known_api"]}}])
    sandbox.faults.clear()
    assert stop.rc == 0 and stop.changed == 1, stop.output
    assert requests_of(stop, api_id) == [("POST", "apis/{api}/_stop")]
    assert ApimClient(sandbox).get_api(api_id)["state"] == "STOPPED"


def test_a_stop_apim_refuses_because_the_api_stopped_meanwhile_is_decided_from_a_read(sandbox, playbook):
    opened = playbook(chained(sandbox, {"plans": KEYLESS}))
    api_id = opened.result("api0")["api"]["id"]
    ApimClient(sandbox).request("POST", "/apis/%s/_stop" % api_id)
    stop = playbook([{"name": "stop", MODULE: {"name": NAME, "state": "stopped",
                                              "known_api": opened.result("api0")["known_api"]}}])
    assert stop.rc == 0, stop.output
    assert requests_of(stop, api_id) == [("POST", "apis/{api}/_stop"), ("GET", "apis/{api}")]
    assert stop.result("stop")["api"]["state"] == "STOPPED"



def test_known_plans_that_break_a_rule_apim_no_longer_breaks_are_decided_again(sandbox, playbook):
    """known_api shows two open plans named Keyless (the module cannot tell which one to manage); one was closed
    since: the task decides from APIM's plans instead of failing on the known ones."""
    opened = playbook(chained(sandbox, {"deployed": False}))
    api_id = opened.result("api0")["api"]["id"]
    apim = ApimClient(sandbox)
    first, second = apim.create_plan(api_id)["id"], apim.create_plan(api_id)["id"]
    known = playbook(chained(sandbox, {"deployed": False})).result("api0")["known_api"]
    assert [plan["name"] for plan in known["plans"]] == ["Keyless", "Keyless"]
    apim.plan_action(api_id, second, "_close")
    run = playbook([api_task(sandbox, known_api=known, plans=KEYLESS)])
    assert run.rc == 0, run.output
    listed = apim.request("GET", "/apis/%s/plans" % api_id, params={"statuses": "STAGING,PUBLISHED,CLOSED"})
    assert {p["id"]: p["status"] for p in listed.json()["data"]} == {first: "PUBLISHED", second: "CLOSED"}
