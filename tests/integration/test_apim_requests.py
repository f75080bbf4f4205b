"""Management requests of the APIM modules, read by read (issue 14): no GET of an object a write just returned or
whose change the module knows, one plans list per API per task, and the reads the fail-closed checks need."""

from tests.integration.apim_api_support import NAME, api_task

PLAN = {"name": "plan", "gravitee_community.mcp.apim_plan": {"api": NAME, "name": "Keyless", "security": "keyless"}}


def requests_of(run, api_id):
    """Every APIM management request of the run as (METHOD, path below the environment), ids abbreviated."""
    out = []
    for entry in run.exchanges:
        if entry["component"] != "apim_mgmt":
            continue
        path = entry["path"].split("/environments/DEFAULT")[-1].lstrip("/") or "environment"
        path = path.replace(api_id, "{api}") if api_id else path
        parts = path.split("/")
        if len(parts) >= 4 and parts[2] == "plans":
            parts[3] = "{plan}"
        out.append((entry["method"], "/".join(parts)))
    return out


def test_api_then_plan_first_run_and_rerun(sandbox, playbook):
    tasks = [api_task(sandbox), PLAN]
    first = playbook(tasks)
    assert first.rc == 0, first.output
    api_id = first.result("api")["api"]["id"]
    assert requests_of(first, api_id) == [
        # apim_api: the name is searched, then every API listed (a search miss does not prove absence).
        ("POST", "apis/_search"), ("GET", "apis"), ("POST", "apis"), ("PUT", "apis/{api}"),
        # apim_plan: the API, its plans (one list), the plan, then the start; no GET after the start.
        ("POST", "apis/_search"), ("GET", "apis/{api}"), ("GET", "apis/{api}/plans"),
        ("POST", "apis/{api}/plans"), ("POST", "apis/{api}/plans/{plan}/_publish"), ("PUT", "apis/{api}"),
        ("POST", "apis/{api}/_start")]
    assert first.result("plan")["api_deployment_state"] == "DEPLOYED"
    rerun = playbook(tasks)
    assert rerun.rc == 0 and rerun.changed == 0, rerun.output
    assert requests_of(rerun, api_id) == [
        ("POST", "apis/_search"), ("GET", "apis/{api}"), ("GET", "apis/{api}/plans")] * 2


def test_inline_plans_first_run_and_rerun(sandbox, playbook):
    tasks = [api_task(sandbox, plans=[{"name": "Keyless", "security": "keyless"}])]
    first = playbook(tasks)
    assert first.rc == 0, first.output
    api = first.result("api")["api"]
    assert requests_of(first, api["id"]) == [
        ("POST", "apis/_search"), ("GET", "apis"), ("POST", "apis"), ("POST", "apis/{api}/plans"),
        ("POST", "apis/{api}/plans/{plan}/_publish"), ("POST", "apis/{api}/_start")]
    assert (api["state"], api["deployment_state"]) == ("STARTED", "DEPLOYED")
    rerun = playbook(tasks)
    assert rerun.rc == 0 and rerun.changed == 0, rerun.output
    assert requests_of(rerun, api["id"]) == [("POST", "apis/_search"), ("GET", "apis/{api}"),
                                             ("GET", "apis/{api}/plans")]


def test_a_change_is_deployed_without_reading_the_api_again(sandbox, playbook):
    opened = playbook([api_task(sandbox, plans=[{"name": "Keyless", "security": "keyless"}])])
    api_id = opened.result("api")["api"]["id"]
    changed = playbook([api_task(sandbox, description="new")])
    assert changed.rc == 0, changed.output
    assert requests_of(changed, api_id) == [
        ("POST", "apis/_search"), ("GET", "apis/{api}"), ("GET", "apis/{api}/plans"), ("PUT", "apis/{api}"),
        ("POST", "apis/{api}/deployments")]
    api = changed.result("api")["api"]
    assert (api["description"], api["state"], api["deployment_state"]) == ("new", "STARTED", "DEPLOYED")


def test_stop_uses_what_it_read(sandbox, playbook):
    opened = playbook([api_task(sandbox, plans=[{"name": "Keyless", "security": "keyless"}])])
    api_id = opened.result("api")["api"]["id"]
    stop = playbook([{"name": "api", "gravitee_community.mcp.apim_api": {"name": NAME, "state": "stopped"}}])
    assert stop.rc == 0, stop.output
    assert requests_of(stop, api_id) == [("POST", "apis/_search"), ("GET", "apis/{api}"),
                                         ("POST", "apis/{api}/_stop")]
    assert stop.result("api")["api"]["state"] == "STOPPED"
