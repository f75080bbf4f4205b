"""apim_api against the sandbox: create, rerun, check mode, update of each option, Console changes kept."""

from tests.integration.apim_api_support import (
    AM_SECRET,
    NAME,
    am_resource,
    api_task,
    stored_apis,
    write_paths,
)
from tests.sandbox.apim.testkit import ApimClient, api_body


def test_check_mode_on_a_fresh_system_predicts_the_creation_and_writes_nothing(sandbox, playbook):
    options = {"description": "MCP server proxy", "labels": ["mcp", "ai"], "resources": [am_resource()],
               "gateway_url": sandbox.urls["apim_gateway_url"] + "/"}
    predicted = playbook([api_task(sandbox, **options)], check=True, diff=True)
    assert predicted.rc == 0, predicted.output
    assert predicted.writes == []
    assert sandbox.apim.apis == {}
    guess = predicted.result("api")

    real = playbook([api_task(sandbox, **options)])
    assert real.rc == 0, real.output
    done = real.result("api")
    assert guess["changed"] is done["changed"] is True
    assert guess["api"]["id"] is None and done["api"]["id"]
    for key in ("name", "type", "context_path", "upstream_url", "description", "api_version", "labels", "state",
                "deployment_state", "entrypoint_url"):
        assert guess["api"][key] == done["api"][key], key
    assert done["api"]["entrypoint_url"] == sandbox.urls["apim_gateway_url"] + "/mcp-proxy/"
    assert [r["name"] for r in guess["api"]["resources"]] == [r["name"] for r in done["api"]["resources"]]
    assert guess["deployment"] == done["deployment"]
    # The warning is part of the prediction: a new API has no plan, so APIM would refuse to start it.
    assert any("not started" in w and "published plan" in w for w in guess["warnings"])
    assert guess["warnings"] == done["warnings"]
    assert guess["diff"]["before"] == {} and guess["diff"]["after"]["context_path"] == "/mcp-proxy/"


def test_create_then_rerun_sends_no_write(sandbox, playbook):
    task = api_task(sandbox, description="MCP server proxy", labels=["mcp"], resources=[am_resource()])
    first = playbook([task])
    assert first.rc == 0, first.output
    result = first.result("api")
    assert result["changed"] is True
    # Resources and labels are not part of the create body: one PUT adds them.
    assert write_paths(first) == [("POST", "apis"), ("PUT", "apis/%s" % result["api"]["id"])]
    stored = stored_apis(sandbox)[NAME]
    assert stored["type"] == "MCP_PROXY"
    assert stored["listeners"][0]["paths"][0]["path"] == "/mcp-proxy/"
    assert stored["listeners"][0]["entrypoints"][0]["type"] == "mcp-proxy"
    assert stored["endpointGroups"][0]["endpoints"][0]["configuration"]["target"] == sandbox.urls["upstream_url"]
    assert stored["labels"] == ["mcp"] and stored["description"] == "MCP server proxy"
    assert stored["resources"][0]["configuration"]["clientSecret"] == AM_SECRET
    # APIM added the schema default userClaim: the next run must still see the resource as in sync.
    assert stored["resources"][0]["configuration"]["userClaim"] == "sub"
    assert result["api"]["state"] == "STOPPED" and result["api"]["deployment_state"] == "NEED_REDEPLOY"

    again = playbook([task, dict(task, name="again in check mode", check_mode=True)])
    assert again.rc == 0, again.output
    assert again.result("api")["changed"] is False
    assert again.writes == []
    assert again.result("api")["api"]["id"] == result["api"]["id"]
    assert again.result("api")["diff"]["before"] == again.result("api")["diff"]["after"]


def test_each_option_is_updated_with_one_put(sandbox, playbook):
    created = playbook([api_task(sandbox, resources=[am_resource()])])
    api_id = created.result("api")["api"]["id"]
    other_upstream = sandbox.urls["upstream_url"].replace("/mcp", "/mcp-v2")
    steps = [
        ("description", {"description": "now described"}),
        ("api_version", {"api_version": "2.0"}),
        ("labels", {"labels": ["mcp", "oauth2"]}),
        ("context_path", {"context_path": "/mcp-new"}),
        ("upstream_url", {"upstream_url": other_upstream}),
        ("resource configuration", {"resources": [am_resource(clientId="other-client")]}),
        ("resource added", {"resources": [{"name": "Second AM", "type": "oauth2-am-resource", "enabled": False,
                                           "configuration": am_resource()["configuration"]}]}),
        ("resource disabled", {"resources": [am_resource(clientId="other-client") | {"enabled": False}]}),
        ("purge_resources", {"resources": [am_resource(clientId="other-client") | {"enabled": False}],
                             "purge_resources": True}),
        ("name", {"name": "Renamed MCP API", "api_id": api_id}),
    ]
    tasks, options = [], {}
    for label, change in steps:
        options.update(change)
        tasks.append(api_task(sandbox, task_name=label, **options))
    check = playbook([tasks[0]], check=True, diff=True)
    assert check.writes == [] and check.result("description")["changed"] is True
    assert check.result("description")["api"]["description"] == "now described"

    run = playbook(tasks + [api_task(sandbox, task_name="rerun", **options)], diff=True)
    assert run.rc == 0, run.output
    for label, _ in steps:
        assert run.result(label)["changed"] is True, label
    assert write_paths(run) == [("PUT", "apis/%s" % api_id)] * len(steps)
    assert run.result("rerun")["changed"] is False
    diff = run.result("context_path")["diff"]
    assert (diff["before"]["context_path"], diff["after"]["context_path"]) == ("/mcp-proxy/", "/mcp-new/")

    stored = stored_apis(sandbox)["Renamed MCP API"]
    assert stored["id"] == api_id
    assert stored["description"] == "now described" and stored["apiVersion"] == "2.0"
    assert sorted(stored["labels"]) == ["mcp", "oauth2"]
    assert stored["listeners"][0]["paths"][0]["path"] == "/mcp-new/"
    assert stored["endpointGroups"][0]["endpoints"][0]["configuration"]["target"] == other_upstream
    # Purged: only the listed resource is left, with its new clientId, disabled.
    assert [(r["name"], r["enabled"]) for r in stored["resources"]] == [("AM OAuth2 Resource", False)]
    assert stored["resources"][0]["configuration"]["clientId"] == "other-client"
    # Before the purge both resources were there (merge by name keeps unlisted ones).
    before_purge = run.result("resource disabled")["api"]["resources"]
    assert [r["name"] for r in before_purge] == ["AM OAuth2 Resource", "Second AM"]


CONSOLE_FLOWS = [{"name": "tools only", "enabled": True, "selectors": [{"type": "MCP", "methods": ["tools/call"]}],
                  "request": [], "response": []}]
CONSOLE_PROPERTIES = [{"key": "team", "value": "ai", "encrypted": False, "dynamic": False}]
CONSOLE_TEMPLATES = {"GATEWAY_PLAN_UNRESOLVABLE": {"application/json": {
    "headers": {"X-Hint": "login first"}, "body": "{\"error\":\"login first\"}", "propagateErrorKeyToLogs": False}}}


def test_console_made_flows_properties_resources_and_templates_survive(sandbox, playbook):
    apim = ApimClient(sandbox)
    console = apim.create_api(NAME, "/mcp-proxy/")
    console.update(flows=CONSOLE_FLOWS, properties=CONSOLE_PROPERTIES, responseTemplates=CONSOLE_TEMPLATES,
                   resources=[am_resource("Console AM", secret="console-secret-99", clientId="console-client")],
                   labels=["console"])
    response = apim.put_api(console)
    assert response.status_code == 200, response.text
    before = apim.get_api(console["id"])

    task = api_task(sandbox, upstream_url=sandbox.urls["upstream_url"] + "/v2", resources=[am_resource()])
    run = playbook([task, dict(task, name="rerun")])
    assert run.rc == 0, run.output
    assert run.result("api")["changed"] is True and run.result("api")["api"]["id"] == console["id"]
    assert run.result("rerun")["changed"] is False
    assert write_paths(run) == [("PUT", "apis/%s" % console["id"])]

    after = apim.get_api(console["id"])
    for key in ("flows", "responseTemplates", "labels", "flowExecution", "analytics"):
        assert after[key] == before[key], key
    # The same PUT records that the start waits for a published plan (the API has none), after the Console's own.
    assert after["properties"] == before["properties"] + [
        {"key": "gravitee_community.mcp.start-pending", "value": "true", "encrypted": False, "dynamic": False}]
    assert after["resources"][0] == before["resources"][0]  # the Console resource, untouched, first
    assert [r["name"] for r in after["resources"]] == ["Console AM", "AM OAuth2 Resource"]
    assert after["endpointGroups"][0]["endpoints"][0]["configuration"]["target"].endswith("/mcp/v2")
    # The endpoint group's own settings (from the Console) are kept too.
    assert after["endpointGroups"][0]["sharedConfiguration"] == before["endpointGroups"][0]["sharedConfiguration"]


def test_type_proxy_is_its_own_identity(sandbox, playbook):
    ApimClient(sandbox).create_api(NAME, "/mcp-proxy/")  # an MCP_PROXY API of the same name
    task = api_task(sandbox, type="proxy", context_path="/plain-proxy")
    run = playbook([task, dict(task, name="rerun")])
    assert run.rc == 0, run.output
    assert run.result("api")["changed"] is True and run.result("rerun")["changed"] is False
    assert run.result("api")["api"]["type"] == "proxy"
    assert [w for w in run.writes if w["method"] != "GET"][0]["path"].endswith("/apis")
    proxies = [api for api in sandbox.apim.apis.values() if api["type"] == "PROXY"]
    assert len(proxies) == 1
    assert proxies[0]["listeners"][0]["entrypoints"][0]["type"] == "http-proxy"
    assert proxies[0]["endpointGroups"][0]["type"] == "http-proxy"
    assert len(sandbox.apim.apis) == 2


def test_check_mode_update_predicts_the_put(sandbox, playbook):
    apim = ApimClient(sandbox)
    apim.ok("POST", "/apis", 201, json=api_body(NAME, "/mcp-proxy/", sandbox.urls["upstream_url"]))
    task = api_task(sandbox, labels=["x"], resources=[am_resource()])
    check = playbook([task], check=True, diff=True)
    real = playbook([task])
    assert check.writes == [] and check.rc == 0
    guess, done = check.result("api"), real.result("api")
    assert guess["changed"] is done["changed"] is True
    assert guess["api"]["labels"] == done["api"]["labels"] == ["x"]
    assert guess["api"]["resources"][0]["configuration"]["clientSecret"] == "********"
    assert guess["diff"]["before"]["resources"] == [] and len(guess["diff"]["after"]["resources"]) == 1
