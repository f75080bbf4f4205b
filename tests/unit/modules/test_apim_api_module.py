"""apim_api and its module_utils against a mocked APIM (responses): request sequences, errors, masking."""

import json

import pytest
import responses
from responses import matchers

from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim import api as helpers
from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim import api_model, api_rollout
from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.api_rollout import START_PENDING
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import GraviteeError
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.http import HttpClient
from ansible_collections.gravitee_community.mcp.plugins.modules import apim_api
from tests.unit.module_utils.support import APIM, APIM_ENV, module_args

APIS = APIM_ENV + "/apis"
SEARCH = APIS + "/_search"
CONN = {"apim_url": APIM, "apim_token": "apim-pat-0042"}
UPSTREAM = "http://mcp:3001/mcp"
SECRET = "introspection-secret-77"


def task(**options):
    base = {"name": "MCP", "context_path": "/mcp", "upstream_url": UPSTREAM}
    base.update(options)
    return base


def stored_api(api_id="a1", name="MCP", path="/mcp/", state="STOPPED", deployment="NEED_REDEPLOY", **extra):
    desired = api_model.desired_state({"name": name, "type": "mcp_proxy", "context_path": path,
                                      "upstream_url": UPSTREAM, "description": None, "api_version": "1.0",
                                      "labels": None, "resources": None})
    api = api_model.predicted_creation(desired)
    api.update(id=api_id, state=state, deploymentState=deployment, **extra)
    return api


def page(items):
    return {"data": items, "pagination": {"page": 1, "perPage": 100, "pageCount": 1, "totalCount": len(items)}}


@pytest.fixture
def run_module(capsys):
    def runner(args):
        with module_args(dict(CONN, **args)), pytest.raises(SystemExit):
            apim_api.main()
        return json.loads(capsys.readouterr().out)
    return runner


def calls():
    return [(c.request.method, c.request.url.split("/environments/DEFAULT/")[-1].split("?")[0])
            for c in responses.calls]


def client():
    return HttpClient(APIM_ENV, retry=0)


# --- module_utils: lookups ----------------------------------------------------------------

@responses.activate
def test_find_api_by_name_filters_exact_name_and_type_then_reads_the_definition():
    responses.add(responses.POST, SEARCH, json=page([
        {"id": "p1", "name": "MCP", "type": "PROXY"}, {"id": "m1", "name": "MCP", "type": "MCP_PROXY"},
        {"id": "m2", "name": "MCP v2", "type": "MCP_PROXY"}]),
        match=[matchers.json_params_matcher({"query": "MCP"})])
    responses.add(responses.GET, APIS + "/m1", json=stored_api("m1"))
    assert helpers.find_api(client(), name="MCP", api_type="MCP_PROXY")["id"] == "m1"
    assert helpers.find_api_ids_by_name(client(), "MCP") == ["p1", "m1"]


@responses.activate
def test_find_api_refuses_duplicates_and_reports_absence():
    responses.add(responses.POST, SEARCH, json=page([{"id": "b", "name": "MCP", "type": "MCP_PROXY"},
                                                     {"id": "a", "name": "MCP", "type": "MCP_PROXY"}]))
    with pytest.raises(GraviteeError) as raised:
        helpers.find_api(client(), name="MCP", api_type="MCP_PROXY")
    assert str(raised.value).startswith("2 APIs are named 'MCP' with type MCP_PROXY (ids: a, b)")
    assert "set api_id" in str(raised.value)
    responses.replace(responses.POST, SEARCH, json=page([]))
    responses.add(responses.GET, APIS, json=page([{"id": "x", "name": "MCP v2"}]))
    assert helpers.find_api(client(), name="MCP") is None
    with pytest.raises(GraviteeError) as raised:
        helpers.find_api(client(), name="MCP", missing_ok=False)
    assert "No API named 'MCP'" in str(raised.value) and raised.value.kind == "lookup"


@responses.activate
@pytest.mark.parametrize("search_status", [200, 400, 500])
def test_a_name_the_search_misses_is_found_by_listing(search_status):
    # Lucene may tokenise "MCP: tools (beta)" away, or refuse to parse it.
    name = "MCP: tools (beta)"
    responses.add(responses.POST, SEARCH, status=search_status,
                  json=page([]) if search_status == 200 else {"httpStatus": search_status, "message": "parse error"})
    responses.add(responses.GET, APIS, json=page([{"id": "m1", "name": name, "type": "MCP_PROXY"},
                                                  {"id": "m2", "name": "MCP", "type": "MCP_PROXY"}]))
    assert helpers.find_api_ids_by_name(client(), name, "MCP_PROXY") == ["m1"]
    assert calls() == [("POST", "apis/_search"), ("GET", "apis")]


@responses.activate
def test_get_api_by_unknown_id():
    responses.add(responses.GET, APIS + "/nope", status=404, json={"httpStatus": 404, "message": "not found"})
    assert helpers.get_api(client(), "nope", missing_ok=True) is None
    with pytest.raises(GraviteeError) as raised:
        helpers.find_api(client(), api_id="nope", missing_ok=False)
    assert "No API with api_id 'nope'" in str(raised.value)


# --- module_utils: deployment -------------------------------------------------------------

def plans(*statuses):
    return page([{"id": "p%d" % i, "status": status} for i, status in enumerate(statuses)])


@responses.activate
@pytest.mark.parametrize("api, expected_calls, rollout", [
    # never deployed and stopped: the first start deploys
    (stored_api(), [("POST", "apis/a1/_start")], (False, True)),
    # deployed before, pending edits, stopped: deploy first, then start (start re-emits the last deployment)
    (stored_api(deployedAt="2026-01-01T00:00:00Z"),
     [("POST", "apis/a1/deployments"), ("POST", "apis/a1/_start")], (True, True)),
    # started, out of sync: deploy only
    (stored_api(state="STARTED", deployedAt="x"), [("POST", "apis/a1/deployments")], (True, False)),
])
def test_sync_deployment_orders_deploy_and_start(api, expected_calls, rollout):
    responses.add(responses.GET, APIS + "/a1/plans", json=plans("PUBLISHED"),
                  match=[matchers.query_param_matcher({"statuses": "PUBLISHED,DEPRECATED", "page": "1",
                                                       "perPage": "100"})])
    responses.add(responses.POST, APIS + "/a1/deployments", status=202,
                  match=[matchers.json_params_matcher({"deploymentLabel": "ansible"})])
    responses.add(responses.POST, APIS + "/a1/_start", status=204)
    result = api_rollout.sync_deployment(client(), api)
    assert calls()[1:] == expected_calls
    assert (result.deployed, result.started, result.blocked) == (*rollout, None)
    assert (result.state, result.deployment_state) == ("STARTED", "DEPLOYED")


@responses.activate
def test_sync_deployment_without_a_published_plan_is_blocked_and_sends_nothing():
    responses.add(responses.GET, APIS + "/a1/plans", json=plans())
    result = api_rollout.sync_deployment(client(), stored_api(), force=True)
    assert result.blocked and "published plan" in result.blocked and not result.changed
    assert (result.state, result.deployment_state) == ("STOPPED", "NEED_REDEPLOY")
    assert [m for m, _ in calls()] == ["GET"]


@responses.activate
def test_in_sync_started_api_needs_no_request_and_check_mode_sends_no_write():
    assert api_rollout.sync_deployment(client(), stored_api(state="STARTED", deployment="DEPLOYED")).changed is False
    assert calls() == []
    responses.add(responses.GET, APIS + "/a1/plans", json=plans("DEPRECATED"))
    check = api_rollout.sync_deployment(client(), stored_api(state="STARTED", deployment="DEPLOYED"), force=True,
                                    check_mode=True)
    assert check.deployed and [m for m, _ in calls()] == ["GET"]


@responses.activate
def test_redeploy_if_needed_never_starts():
    responses.add(responses.GET, APIS + "/a1", json=stored_api(deployedAt="x"))
    responses.add(responses.GET, APIS + "/a1/plans", json=plans("PUBLISHED"))
    responses.add(responses.POST, APIS + "/a1/deployments", status=202)
    result = api_rollout.sync_deployment(client(), helpers.get_api(client(), "a1"), start=False)
    assert (result.deployed, result.started, result.state) == (True, False, "STOPPED")


# --- the module ---------------------------------------------------------------------------

@responses.activate
def test_check_mode_creation_only_reads(run_module):
    responses.add(responses.POST, SEARCH, json=page([]))
    responses.add(responses.GET, APIS, json=page([]))  # the name confirmation, then the context path check
    out = run_module(task(_ansible_check_mode=True, resources=[
        {"name": "AM", "type": "oauth2-am-resource", "configuration": {"clientSecret": SECRET}}]))
    assert out["changed"] is True and out["api"]["id"] is None
    assert out["api"]["resources"][0]["configuration"]["clientSecret"] == "********"
    assert out["deployment"]["blocked"] and out["warnings"]
    assert [m for m, _ in calls()] == ["POST", "GET", "GET"]  # _search is a read


@responses.activate
def test_creation_posts_then_puts_resources(run_module):
    responses.add(responses.POST, SEARCH, json=page([]))
    responses.add(responses.GET, APIS, json=page([]))
    created = stored_api()
    responses.add(responses.POST, APIS, status=201, json=created)
    with_resources = dict(created, resources=[{"name": "AM", "type": "t", "configuration": {"a": 1},
                                               "enabled": True}])
    responses.add(responses.PUT, APIS + "/a1", json=with_resources, match=[matchers.json_params_matcher(
        {"resources": [{"name": "AM", "type": "t", "configuration": {"a": 1}, "enabled": True}]},
        strict_match=False)])
    out = run_module(task(resources=[{"name": "AM", "type": "t", "configuration": {"a": 1}}]))
    assert out["changed"] is True and out["api"]["id"] == "a1"
    # A new API has no plan: no plan read; the PUT also records that its start is pending.
    assert calls() == [("POST", "apis/_search"), ("GET", "apis"), ("POST", "apis"), ("PUT", "apis/a1")]
    put = json.loads(responses.calls[3].request.body)
    assert put["properties"] == [{"key": START_PENDING, "value": "true", "encrypted": False, "dynamic": False}]
    posted = json.loads(responses.calls[2].request.body)
    assert "resources" not in posted and posted["listeners"][0]["paths"] == [{"path": "/mcp/"}]


@responses.activate
def test_put_sends_the_whole_definition_back(run_module):
    current = stored_api(flows=[{"name": "console"}], properties=[{"key": "k", "value": "v"}], state="STARTED",
                         deployment="DEPLOYED", deployedAt="x")
    responses.add(responses.POST, SEARCH, json=page([{"id": "a1", "name": "MCP", "type": "MCP_PROXY"}]))
    responses.add(responses.GET, APIS + "/a1", json=current)
    responses.add(responses.PUT, APIS + "/a1", json=dict(current, description="new", deploymentState="NEED_REDEPLOY"))
    responses.add(responses.GET, APIS + "/a1/plans", json=plans("PUBLISHED"))
    responses.add(responses.POST, APIS + "/a1/deployments", status=202)
    out = run_module(task(description="new", _ansible_diff=True))
    # The PUT answered the definition and the deployment's effect is known: no GET after them.
    assert calls() == [("POST", "apis/_search"), ("GET", "apis/a1"), ("GET", "apis/a1/plans"), ("PUT", "apis/a1"),
                       ("POST", "apis/a1/deployments")]
    assert (out["api"]["state"], out["api"]["deployment_state"]) == ("STARTED", "DEPLOYED")
    sent = json.loads(next(c for c in responses.calls if c.request.method == "PUT").request.body)
    assert sent["flows"] == [{"name": "console"}] and sent["properties"] == [{"key": "k", "value": "v"}]
    assert sent["description"] == "new"
    assert out["changed"] is True and out["deployment"]["deployed"] is True
    assert out["diff"]["before"]["description"] is None and out["diff"]["after"]["description"] == "new"


@responses.activate
def test_context_path_conflict_names_the_other_api(run_module):
    responses.add(responses.POST, SEARCH, json=page([]))
    responses.add(responses.POST, APIS, status=400, json={"httpStatus": 400, "message": "Path [/mcp/] already exists",
                                                          "parameters": {}})
    responses.add(responses.GET, APIS, json=page([stored_api("o1", "Weather", "/mcp/tools/"),
                                                  stored_api("o2", "Docs", "/docs/")]))
    out = run_module(task())
    assert out["failed"] is True and out["status"] == 400
    assert out["msg"].startswith("context_path /mcp/ is already used by another API: 'Weather' (id o1, "
                                 "path /mcp/tools/)")
    assert "Docs" not in out["msg"]


@responses.activate
@pytest.mark.parametrize("status, body", [
    (400, {"httpStatus": 400, "message": "Unexpected value 'MCP_PROXY'", "technicalCode": "invalidValue"}),
    (404, {"httpStatus": 404, "message": "Plugin [mcp-proxy] cannot be found.", "technicalCode": "plugin.notFound"}),
])
def test_mcp_proxy_refused_by_apim_suggests_type_proxy(run_module, status, body):
    responses.add(responses.POST, SEARCH, json=page([]))
    responses.add(responses.GET, APIS, json=page([]))
    responses.add(responses.POST, APIS, status=status, json=body)
    out = run_module(task())
    assert out["msg"].startswith("This APIM cannot create a type mcp_proxy API (%s)" % body["message"])
    assert "use type: proxy" in out["msg"]


@responses.activate
def test_a_secret_echoed_by_apim_is_masked_in_the_failure(run_module):
    responses.add(responses.POST, SEARCH, json=page([{"id": "a1", "name": "MCP", "type": "MCP_PROXY"}]))
    responses.add(responses.GET, APIS + "/a1", json=stored_api())
    responses.add(responses.GET, APIS + "/a1/plans", json=page([]))
    responses.add(responses.PUT, APIS + "/a1", status=400, json={
        "httpStatus": 400, "message": "Invalid value %s" % SECRET,
        "details": [{"message": "bad", "location": "r", "invalidValue": SECRET}]})
    out = run_module(task(resources=[{"name": "AM", "type": "t", "configuration": {"clientSecret": SECRET}}]))
    assert out["failed"] is True
    assert SECRET not in json.dumps(out)
    assert "Invalid value ********" in out["msg"]


@responses.activate
def test_type_of_an_existing_api_cannot_change(run_module):
    responses.add(responses.GET, APIS + "/a1", json=stored_api(type="PROXY"))
    out = run_module(task(api_id="a1"))
    assert out["failed"] is True and "has type proxy, but type is mcp_proxy" in out["msg"]
    assert [m for m, _ in calls()] == ["GET"]


@responses.activate
def test_absent_stops_then_deletes_with_close_plans(run_module):
    responses.add(responses.POST, SEARCH, json=page([{"id": "a1", "name": "MCP", "type": "MCP_PROXY"}]))
    responses.add(responses.GET, APIS + "/a1", json=stored_api(state="STARTED"))
    responses.add(responses.POST, APIS + "/a1/_stop", status=204)
    responses.add(responses.DELETE, APIS + "/a1", status=204,
                  match=[matchers.query_param_matcher({"closePlans": "true"})])
    out = run_module({"name": "MCP", "state": "absent"})
    assert out["changed"] is True and out["api"] is None
    assert calls()[2:] == [("POST", "apis/a1/_stop"), ("DELETE", "apis/a1")]


@responses.activate
def test_absent_in_check_mode_and_when_missing(run_module):
    responses.add(responses.POST, SEARCH, json=page([{"id": "a1", "name": "MCP", "type": "MCP_PROXY"}]))
    responses.add(responses.GET, APIS + "/a1", json=stored_api(state="STARTED"))
    out = run_module({"name": "MCP", "state": "absent", "_ansible_check_mode": True})
    assert out["changed"] is True and [m for m, _ in calls()] == ["POST", "GET"]
    responses.replace(responses.POST, SEARCH, json=page([]))
    responses.add(responses.GET, APIS, json=page([]))
    out = run_module({"name": "MCP", "state": "absent"})
    assert out["changed"] is False and out["diff"] == {"before": {}, "after": {}}


SCHEMA = APIM + "/management/v2/organizations/DEFAULT/plugins/resources/strict-resource/schema"


@responses.activate
@pytest.mark.parametrize("additional, changed", [(False, False), (True, True)])
def test_keys_apim_drops_do_not_count_as_a_change(run_module, additional, changed):
    resource = {"name": "R", "type": "strict-resource", "configuration": {"known": 1}, "enabled": True}
    responses.add(responses.POST, SEARCH, json=page([{"id": "a1", "name": "MCP", "type": "MCP_PROXY"}]))
    responses.add(responses.GET, APIS + "/a1", json=stored_api(resources=[resource], state="STARTED",
                                                               deployment="DEPLOYED"))
    responses.add(responses.GET, SCHEMA, json={"type": "object", "properties": {"known": {"type": "integer"}},
                                               "additionalProperties": additional})
    responses.add(responses.PUT, APIS + "/a1", json=stored_api(resources=[resource]))
    responses.add(responses.GET, APIS + "/a1/plans", json=plans())
    out = run_module(task(resources=[{"name": "R", "type": "strict-resource",
                                      "configuration": {"known": 1, "legacy": True}}]))
    assert out["changed"] is changed
    if not changed:
        # Ansible keeps warnings process-wide: look for ours among them.
        warning = "APIM does not keep the key(s) legacy in the configuration of resource 'R'"
        assert warning in json.dumps(out["warnings"])
        # _search, the API, the resource schema, the API's plans (for api.plans): no write
        assert [m for m, _ in calls()] == ["POST", "GET", "GET", "GET"]


@responses.activate
def test_check_mode_path_change_to_a_used_path_fails_like_the_real_run(run_module):
    responses.add(responses.POST, SEARCH, json=page([{"id": "a1", "name": "MCP", "type": "MCP_PROXY"}]))
    responses.add(responses.GET, APIS + "/a1", json=stored_api())
    responses.add(responses.GET, APIS + "/a1/plans", json=page([]))
    responses.add(responses.GET, APIS, json=page([stored_api(), stored_api("o1", "Docs", "/docs/")]))
    out = run_module(task(context_path="/docs/v2", _ansible_check_mode=True))
    assert out["failed"] is True
    assert out["msg"].startswith("context_path /docs/v2/ is already used by another API: 'Docs' (id o1")
    assert [m for m, _ in calls()] == ["POST", "GET", "GET", "GET"]


# --- api.plans ----------------------------------------------------------------------------

def plan(plan_id, name, security_type, status):
    return {"id": plan_id, "name": name, "apiId": "a1", "status": status,
            "security": {"type": security_type, "configuration": {}}}


@responses.activate
def test_plans_of_an_api_in_sync_are_returned_with_one_read(run_module):
    responses.add(responses.POST, SEARCH, json=page([{"id": "a1", "name": "MCP", "type": "MCP_PROXY"}]))
    responses.add(responses.GET, APIS + "/a1", json=stored_api(state="STARTED", deployment="DEPLOYED"))
    responses.add(responses.GET, APIS + "/a1/plans", json=page([
        plan("k1", "Keyless", "KEY_LESS", "CLOSED"), plan("o1", "OAuth2", "OAUTH2", "PUBLISHED"),
        plan("j1", "JWT", "JWT", "STAGING")]),
        match=[matchers.query_param_matcher({"statuses": "STAGING,PUBLISHED,DEPRECATED,CLOSED"}, strict_match=False)])
    out = run_module(task(_ansible_diff=True))
    assert out["changed"] is False
    assert out["api"]["plans"] == [
        {"id": "k1", "name": "Keyless", "security": "keyless", "status": "CLOSED"},
        {"id": "o1", "name": "OAuth2", "security": "oauth2", "status": "PUBLISHED"},
        {"id": "j1", "name": "JWT", "security": "jwt", "status": "STAGING"}]
    assert "plans" not in out["diff"]["after"]  # reported, not managed
    assert calls() == [("POST", "apis/_search"), ("GET", "apis/a1"), ("GET", "apis/a1/plans")]


@responses.activate
def test_the_plans_read_also_decides_the_start(run_module):
    responses.add(responses.POST, SEARCH, json=page([{"id": "a1", "name": "MCP", "type": "MCP_PROXY"}]))
    responses.add(responses.GET, APIS + "/a1", json=stored_api(state="STOPPED", deployment="DEPLOYED"))
    responses.add(responses.GET, APIS + "/a1/plans", json=page([plan("k1", "Keyless", "KEY_LESS", "PUBLISHED")]))
    responses.add(responses.POST, APIS + "/a1/_start", status=204)
    out = run_module(task())
    assert out["changed"] is True and out["deployment"]["started"] is True
    assert out["api"]["plans"] == [{"id": "k1", "name": "Keyless", "security": "keyless", "status": "PUBLISHED"}]
    assert calls().count(("GET", "apis/a1/plans")) == 1


@responses.activate
def test_only_closed_plans_block_the_start(run_module):
    responses.add(responses.POST, SEARCH, json=page([{"id": "a1", "name": "MCP", "type": "MCP_PROXY"}]))
    responses.add(responses.GET, APIS + "/a1", json=stored_api(state="STOPPED", deployment="DEPLOYED"))
    responses.add(responses.GET, APIS + "/a1/plans", json=page([plan("k1", "Keyless", "KEY_LESS", "CLOSED")]))
    pending = stored_api(state="STOPPED", deployment="DEPLOYED", properties=[{"key": START_PENDING, "value": "true"}])
    responses.add(responses.PUT, APIS + "/a1", json=pending)
    out = run_module(task())
    # Blocked: the start waits for a published plan, and the API records it (once) for apim_plan.
    assert out["changed"] is True and out["deployment"]["blocked"] and out["api"]["start_pending"] is True
    assert out["api"]["plans"][0]["status"] == "CLOSED"
    assert [m for m, _ in calls()] == ["POST", "GET", "GET", "PUT"]
