"""apim_api against the sandbox: every failure ends with a clear message and changes nothing."""

from tests.integration.apim_api_support import MODULE, NAME, am_resource, api_task, write_paths
from tests.sandbox.apim.testkit import ApimClient


def failed(run, name="api"):
    result = run.result(name)
    assert result.get("failed") is True, result
    return result


def test_bad_credentials_name_the_options(sandbox, playbook):
    run = playbook([api_task(sandbox)], env={"GRAVITEE_APIM_PASSWORD": "wrong-password-123"})
    assert run.rc != 0
    result = failed(run)
    assert result["status"] == 401
    assert result["msg"].startswith("401 from APIM at POST ")
    assert "apim_username / apim_password" in result["msg"] and "GRAVITEE_APIM_PASSWORD" in result["msg"]
    assert "wrong-password-123" not in run.output
    assert run.writes == []


def test_unknown_api_id(sandbox, playbook):
    run = playbook([api_task(sandbox, api_id="0b4c1f9e-0000-4000-8000-000000000000")])
    result = failed(run)
    assert "No API with api_id '0b4c1f9e-0000-4000-8000-000000000000'" in result["msg"]
    assert "leave api_id out" in result["msg"]
    assert run.writes == [] and sandbox.apim.apis == {}


def test_duplicate_names_list_the_ids_and_ask_for_api_id(sandbox, playbook):
    apim = ApimClient(sandbox)
    first = apim.create_api(NAME, "/one/")
    second = apim.create_api(NAME, "/two/")
    run = playbook([api_task(sandbox, ignore_errors=True),
                    # deployed: false - a stopped API without a plan would otherwise record its pending start.
                    api_task(sandbox, task_name="pinned", api_id=second["id"], context_path="/two", deployed=False)])
    result = failed(run)
    assert "2 APIs are named 'API MCP Proxy'" in result["msg"]
    assert first["id"] in result["msg"] and second["id"] in result["msg"]
    assert "set api_id" in result["msg"]
    # With api_id the task works on the pinned one only.
    assert run.result("pinned")["changed"] is False and run.result("pinned")["api"]["id"] == second["id"]
    assert run.writes == []


def test_context_path_used_by_another_api_names_it(sandbox, playbook):
    apim = ApimClient(sandbox)
    other = apim.create_api("Weather API", "/mcp-proxy/")
    apim.create_api("Docs API", "/docs/")
    create = api_task(sandbox, task_name="create", ignore_errors=True, name="New MCP API")
    predicted = playbook([create], check=True)
    run = playbook([create, api_task(sandbox, task_name="made", name="New MCP API", context_path="/new"),
                    api_task(sandbox, task_name="move", name="New MCP API", context_path="/docs/v2",
                             ignore_errors=True)])
    for result in (failed(predicted, "create"), failed(run, "create")):
        assert ("context_path /mcp-proxy/ is already used by another API: 'Weather API' (id %s, path /mcp-proxy/)"
                % other["id"]) in result["msg"]
        assert "choose another context_path" in result["msg"]
    assert failed(run, "create")["status"] == 400
    moved = failed(run, "move")
    assert "context_path /docs/v2/ is already used by another API: 'Docs API'" in moved["msg"]
    assert predicted.writes == []
    made = run.result("made")["api"]["id"]
    # One refused POST, the creation and the PUT recording its pending start, one refused PUT: nothing else.
    assert write_paths(run) == [("POST", "apis"), ("POST", "apis")] + [("PUT", "apis/%s" % made)] * 2
    assert sandbox.apim.apis[made]["listeners"][0]["paths"][0]["path"] == "/new/"


def test_apim_5xx_on_first_try_is_retried(sandbox, playbook):
    api = ApimClient(sandbox).create_api(NAME, "/mcp-proxy/")
    sandbox.faults.add(component="apim_mgmt", method="GET", path="/apis/%s$" % api["id"], status=503, times=1)
    run = playbook([api_task(sandbox, description="after a 503")])
    assert run.rc == 0, run.output
    assert run.result("api")["changed"] is True
    gets = [(e["status"], e.get("fault", False)) for e in run.exchanges
            if e["method"] == "GET" and e["path"].endswith("/apis/%s" % api["id"])]
    assert gets[:2] == [(503, True), (200, False)]
    assert sandbox.apim.apis[api["id"]]["description"] == "after a 503"


def test_mcp_proxy_on_an_apim_without_it_says_use_proxy(sandbox, playbook):
    sandbox.config.apim_edition = "ce"
    community = playbook([api_task(sandbox)])
    sandbox.config.apim_edition = "ee"
    sandbox.config.apim_version = "4.9.5"
    old = playbook([api_task(sandbox)])
    for run in (community, old):
        result = failed(run)
        assert "This APIM cannot create a type mcp_proxy API" in result["msg"]
        assert "use type: proxy" in result["msg"]
    assert sandbox.apim.apis == {}


def test_wrong_input_types_and_values(sandbox, playbook):
    def bad(name, **options):
        return api_task(sandbox, task_name=name, ignore_errors=True, **options)

    no_upstream = {"name": "no upstream", "ignore_errors": True, MODULE: {"name": NAME, "context_path": "/x"}}
    run = playbook([
        bad("deployed not a bool", deployed="maybe"),
        bad("resources not a list of dicts", resources=["oauth2-am-resource"]),
        bad("resource without type", resources=[{"name": "AM", "configuration": {}}]),
        bad("labels not a list", labels={"team": "ai"}),
        bad("root context path", context_path="/"),
        bad("context path with spaces", context_path="/my api"),
        bad("upstream not a URL", upstream_url="mcp-server:3001"),
        bad("gateway not a URL", gateway_url="gateway"),
        bad("duplicate resources", resources=[am_resource(), am_resource()]),
        bad("purge without resources", purge_resources=True),
        bad("unknown type", type="llm_proxy"),
        no_upstream,
    ])
    expected = {
        "deployed not a bool": "argument 'deployed' is of type",
        # Ansible's own message for a list element that is no mapping (it does not name the option).
        "resources not a list of dicts": "dictionary requested, could not parse JSON or key=value",
        "resource without type": "missing required arguments: type found in resources",
        "labels not a list": "argument 'labels' is of type",
        "root context path": "context_path must be a URL path such as /mcp-proxy",
        "context path with spaces": "context_path must be a URL path such as /mcp-proxy",
        "upstream not a URL": "upstream_url must be an http:// or https:// URL with a host, got 'mcp-server:3001'",
        "gateway not a URL": "gateway_url must be an http:// or https:// URL with a host, got 'gateway'",
        "duplicate resources": "resources lists the name(s) AM OAuth2 Resource more than once",
        "purge without resources": "purge_resources is True but all of the following are missing: resources",
        "unknown type": "value of type must be one of: mcp_proxy, proxy, got: llm_proxy",
        "no upstream": "state is present but all of the following are missing: upstream_url",
    }
    for name, text in expected.items():
        assert text in failed(run, name)["msg"], (name, failed(run, name)["msg"])
    assert run.writes == [] and sandbox.apim.apis == {}
