"""am_mcp_server run as Ansible would, against a mocked AM management API (HTTP via responses)."""

import json

import pytest
import responses
from responses import matchers

from ansible_collections.gravitee_community.mcp.plugins.modules import am_mcp_server
from tests.unit.module_utils.support import AM, AM_ENV, AM_TOKEN_URL, module_args

CONN = {"am_url": AM, "am_username": "admin", "am_password": "am-pass-4242"}
JWT = "jwt-mcp.unit.token"
D = AM_ENV + "/domains/d-1"
PR = D + "/protected-resources"
URL = "https://gw.example.com/weather"
NO_LOG = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
DOMAIN = {"id": "d-1", "hrid": "mcp", "name": "mcp", "path": "/mcp", "enabled": True}


def stored(**changes):
    resource = {"id": "r-1", "clientId": "cid-1", "name": "Weather", "type": "mcp_server",
                "resourceIdentifiers": [URL],
                "features": [{"key": "forecast", "type": "mcp_tool", "description": "Forecast", "scopes": ["read"],
                              "createdAt": 1, "updatedAt": 1}], "updatedAt": 1}
    resource.update(changes)
    return resource


@pytest.fixture
def run_module(capsys):
    def runner(args, check_mode=False):
        args = dict(CONN, **args)
        if check_mode:
            args["_ansible_check_mode"] = True
        args["_ansible_diff"] = True
        with module_args(args), pytest.raises(SystemExit):
            am_mcp_server.main()
        return json.loads(capsys.readouterr().out)
    return runner


def task(**options):
    base = {"domain": "mcp", "name": "Weather", "resource_identifier": [URL]}
    base.update(options)
    return {key: value for key, value in base.items() if value is not None}  # None: option not given


def mock_am(servers=(), scopes=("read", "geo")):
    responses.add(responses.POST, AM_TOKEN_URL, json={"access_token": JWT, "token_type": "bearer"})
    responses.add(responses.GET, AM_ENV + "/domains/_hrid/mcp", json=DOMAIN)
    responses.add(responses.GET, PR, match=[matchers.query_param_matcher(
        {"type": "MCP_SERVER", "page": "0", "size": "50"})],
        json={"data": list(servers), "currentPage": 0, "totalCount": len(servers)})
    responses.add(responses.GET, D + "/scopes", json={
        "data": [{"key": key} for key in scopes], "currentPage": 0, "totalCount": len(scopes)})


def writes():
    return [(c.request.method, c.request.url.split("?")[0].replace(AM_ENV, ""))
            for c in responses.calls if c.request.method in ("POST", "PATCH", "PUT", "DELETE")
            and c.request.url != AM_TOKEN_URL]


def body_of(method):
    return [json.loads(c.request.body) for c in responses.calls if c.request.method == method
            and c.request.url != AM_TOKEN_URL]


def token_exchanges():
    return sum(1 for c in responses.calls if c.request.url == AM_TOKEN_URL)


@responses.activate
def test_create_with_generated_credentials_returns_the_secret_once(run_module):
    mock_am()
    responses.add(responses.POST, PR, status=201,
                  json={"id": "r-1", "name": "Weather", "clientId": "gen-id", "clientSecret": "gen-secret-77"})
    responses.add(responses.GET, PR + "/r-1", match=[matchers.query_param_matcher({"type": "MCP_SERVER"})],
                  json=stored(clientId="gen-id"))
    out = run_module(task(tools=[{"name": "forecast", "description": "Forecast", "scopes": ["read"]}]))
    assert out["changed"] is True
    assert body_of("POST") == [{"name": "Weather", "type": "MCP_SERVER", "resourceIdentifiers": [URL],
                                "features": [{"key": "forecast", "type": "MCP_TOOL", "description": "Forecast",
                                              "scopes": ["read"]}]}]
    assert out["client_secret"] == "gen-secret-77"
    assert json.dumps(out).count("gen-secret-77") == 1  # under its one key, nowhere else
    assert out["mcp_server"] == {"id": "r-1", "name": "Weather", "description": None, "client_id": "gen-id",
                                 "resource_identifiers": [URL],
                                 "tools": [{"name": "forecast", "description": "Forecast", "scopes": ["read"]}]}
    assert out["diff"]["before"] == {} and out["diff"]["after"] == out["mcp_server"]
    assert token_exchanges() == 1


@responses.activate
def test_create_with_supplied_credentials(run_module):
    mock_am()
    responses.add(responses.POST, PR, status=201,
                  json={"id": "r-1", "name": "Weather", "clientId": "my-id", "clientSecret": "my-secret-123"})
    responses.add(responses.GET, PR + "/r-1", json=stored(clientId="my-id", features=[]))
    out = run_module(task(client_id="my-id", client_secret="my-secret-123", description="D"))
    assert body_of("POST") == [{"name": "Weather", "type": "MCP_SERVER", "resourceIdentifiers": [URL],
                                "description": "D", "clientId": "my-id", "clientSecret": "my-secret-123"}]
    # The user's own secret is a no_log option: Ansible hides the returned copy, and it is nowhere else.
    assert out["client_secret"] == NO_LOG
    assert "my-secret-123" not in json.dumps(out)
    assert out["mcp_server"]["client_id"] == "my-id"


@responses.activate
def test_rerun_in_sync_sends_no_write_and_no_secret(run_module):
    mock_am([stored(name=" Weather ", resourceIdentifiers=[URL + "/", URL])])
    out = run_module(task(resource_identifier=[URL, URL + "/"], client_id="cid-1", client_secret="ignored-1",
                          tools=[{"name": "forecast", "scopes": ["read"]}]))
    assert out["changed"] is False
    assert writes() == []
    assert "client_secret" not in out
    assert out["mcp_server"]["id"] == "r-1"


@responses.activate
def test_update_patches_only_what_differs(run_module):
    mock_am([stored()])
    responses.add(responses.PATCH, PR + "/r-1", json=stored(name="Weather 2", description="New"))
    out = run_module(task(name="Weather 2", description="New", client_secret="not-used-on-update"))
    assert writes() == [("PATCH", "/domains/d-1/protected-resources/r-1")]
    assert body_of("PATCH") == [{"name": "Weather 2", "description": "New"}]
    assert out["changed"] is True and "client_secret" not in out
    assert out["diff"]["before"]["name"] == "Weather" and out["diff"]["after"]["name"] == "Weather 2"


@responses.activate
def test_changing_tools_sends_the_whole_list_and_checks_scopes(run_module):
    mock_am([stored()])
    responses.add(responses.PATCH, PR + "/r-1", json=stored())
    run_module(task(tools=[{"name": "forecast"}, {"name": "radar", "scopes": ["geo"]}]))
    assert body_of("PATCH") == [{"features": [
        {"key": "forecast", "type": "MCP_TOOL", "description": "Forecast", "scopes": ["read"]},
        {"key": "radar", "type": "MCP_TOOL", "scopes": ["geo"]}]}]
    assert any(c.request.url.startswith(D + "/scopes") for c in responses.calls)


@responses.activate
def test_unknown_tool_scope_fails_before_any_write(run_module):
    mock_am([stored()], scopes=("read",))
    out = run_module(task(tools=[{"name": "forecast", "scopes": ["read", "weather_write"]}]))
    assert out["failed"] is True
    assert "tools: these scopes do not exist in domain 'mcp': 'weather_write' (tools: forecast)" in out["msg"]
    assert writes() == []


@pytest.mark.parametrize("existing", [False, True])
@responses.activate
def test_check_mode_sends_no_write(run_module, existing):
    mock_am([stored()] if existing else [])
    out = run_module(task(name="Weather 2", tools=[{"name": "radar"}]), check_mode=True)
    assert out["changed"] is True and writes() == [] and "client_secret" not in out
    assert out["mcp_server"]["name"] == "Weather 2"
    assert out["mcp_server"]["id"] == ("r-1" if existing else None)


@responses.activate
def test_absent_deletes_with_the_type_parameter(run_module):
    mock_am([stored()])
    responses.add(responses.DELETE, PR + "/r-1", match=[matchers.query_param_matcher({"type": "MCP_SERVER"})],
                  status=204)
    out = run_module({"domain": "mcp", "resource_identifier": URL, "state": "absent"})
    assert out["changed"] is True and out["mcp_server"] is None
    assert writes() == [("DELETE", "/domains/d-1/protected-resources/r-1")]
    assert out["diff"]["before"]["id"] == "r-1" and out["diff"]["after"] == {}


@responses.activate
def test_absent_when_missing_changes_nothing(run_module):
    mock_am([stored(resourceIdentifiers=["https://other.example.com/"])])
    out = run_module({"domain": "mcp", "resource_identifier": URL, "state": "absent"})
    assert out["changed"] is False and writes() == []


@responses.activate
def test_list_reads_every_page(run_module):
    """Identity is by identifier, which AM's q search does not cover: every page is read (4.10 and 4.11+)."""
    first = [stored(id="r-%d" % i, clientId="c-%d" % i, resourceIdentifiers=["https://gw.example.com/%d" % i])
             for i in range(50)]
    responses.add(responses.POST, AM_TOKEN_URL, json={"access_token": JWT})
    responses.add(responses.GET, AM_ENV + "/domains/_hrid/mcp", json=DOMAIN)
    responses.add(responses.GET, PR, match=[matchers.query_param_matcher(
        {"type": "MCP_SERVER", "page": "0", "size": "50"})], json={"data": first, "currentPage": 0, "totalCount": 51})
    responses.add(responses.GET, PR, match=[matchers.query_param_matcher(
        {"type": "MCP_SERVER", "page": "1", "size": "50"})], json={"data": [stored(id="r-last")], "currentPage": 1,
                                                                  "totalCount": 51})
    out = run_module(task())
    assert out["changed"] is False and out["mcp_server"]["id"] == "r-last"


@responses.activate
def test_rotation_renews_the_secret_and_returns_it(run_module):
    mock_am([stored()])
    responses.add(responses.GET, PR + "/r-1/secrets", json=[
        {"id": "s-1", "name": "Default", "settingsId": "x", "createdAt": 1}])
    responses.add(responses.POST, PR + "/r-1/secrets/s-1/_renew",
                  json={"id": "s-1", "name": "Default", "secret": "renewed-secret-9", "createdAt": 1})
    out = run_module(task(rotate_secret=True))
    assert out["changed"] is True
    assert out["client_secret"] == "renewed-secret-9" and json.dumps(out).count("renewed-secret-9") == 1
    assert writes() == [("POST", "/domains/d-1/protected-resources/r-1/secrets/s-1/_renew")]
    renew = [c for c in responses.calls if c.request.url.endswith("/_renew")][0]
    assert not renew.request.body  # the endpoint takes no body
    assert token_exchanges() == 1


@responses.activate
def test_rotation_in_check_mode_reads_but_does_not_renew(run_module):
    mock_am([stored()])
    responses.add(responses.GET, PR + "/r-1/secrets", json=[{"id": "s-1", "name": "Default"}])
    out = run_module(task(rotate_secret=True), check_mode=True)
    assert out["changed"] is True and writes() == [] and "client_secret" not in out


@responses.activate
def test_rotation_with_several_secrets_renews_default_and_warns(run_module):
    mock_am([stored()])
    responses.add(responses.GET, PR + "/r-1/secrets", json=[
        {"id": "s-2", "name": "rotation-2", "createdAt": 0}, {"id": "s-1", "name": "Default", "createdAt": 5}])
    responses.add(responses.POST, PR + "/r-1/secrets/s-1/_renew", json={"id": "s-1", "secret": "n3w"})
    out = run_module(task(rotate_secret=True))
    assert writes() == [("POST", "/domains/d-1/protected-resources/r-1/secrets/s-1/_renew")]
    warnings = json.dumps(out["warnings"])  # plain strings, or structured events on ansible-core 2.19+
    assert "has 2 client secrets" in warnings and "renews 'Default' only" in warnings


@responses.activate
def test_rotation_on_am_410_fails_before_any_write(run_module):
    mock_am([stored()])
    # AM 4.10 has no such route: Jersey's 404.
    responses.add(responses.GET, PR + "/r-1/secrets", status=404,
                  json={"message": "HTTP 404 Not Found", "http_status": 404})
    out = run_module(task(name="Renamed", rotate_secret=True))
    assert out["failed"] is True
    assert out["msg"].startswith("rotate_secret: this AM has no secrets API for MCP servers")
    assert "AM 4.11 or later" in out["msg"] and "state: absent" in out["msg"]
    assert writes() == []  # not even the rename


@responses.activate
def test_rotation_of_a_server_created_now_is_just_the_creation(run_module):
    mock_am()
    responses.add(responses.POST, PR, status=201, json={"id": "r-1", "clientId": "g", "clientSecret": "fresh-1"})
    responses.add(responses.GET, PR + "/r-1", json=stored(clientId="g"))
    out = run_module(task(rotate_secret=True))
    assert out["client_secret"] == "fresh-1"
    assert writes() == [("POST", "/domains/d-1/protected-resources")]


@responses.activate
def test_update_secret_always_fails_on_an_existing_server(run_module):
    mock_am([stored()])
    out = run_module(task(client_secret="wanted-secret-5", update_secret="always", name="Renamed"))
    assert out["failed"] is True and out["msg"].startswith("update_secret: always cannot be honoured")
    assert writes() == [] and "wanted-secret-5" not in json.dumps(out)


@responses.activate
def test_update_secret_always_creates_with_the_secret(run_module):
    mock_am()
    responses.add(responses.POST, PR, status=201, json={"id": "r-1", "clientId": "g", "clientSecret": "wanted-5"})
    responses.add(responses.GET, PR + "/r-1", json=stored(clientId="g"))
    run_module(task(client_secret="wanted-5", update_secret="always"))
    assert body_of("POST")[0]["clientSecret"] == "wanted-5"


@responses.activate
def test_client_id_clash_reported_by_am_is_explained(run_module):
    mock_am()
    responses.add(responses.POST, PR, status=400, json={
        "message": "A client [app-client] already exists for domain [d-1]", "http_status": 400})
    out = run_module(task(client_id="app-client"))
    assert out["failed"] is True
    assert "A client [app-client] already exists" in out["msg"]
    assert "client_id 'app-client' is already used by an application or another MCP server" in out["msg"]


@responses.activate
def test_am_older_than_410_is_named(run_module):
    responses.add(responses.POST, AM_TOKEN_URL, json={"access_token": JWT})
    responses.add(responses.GET, AM_ENV + "/domains/_hrid/mcp", json=DOMAIN)
    responses.add(responses.GET, PR, status=404, json={"message": "HTTP 404 Not Found", "http_status": 404})
    out = run_module(task())
    assert out["failed"] is True and "MCP servers need AM 4.10 or later" in out["msg"]


@pytest.mark.parametrize("options, words", [
    ({"resource_identifier": ["https://GW.example.com/weather"]}, ["resource_identifier:", "upper-case"]),
    ({"resource_identifier": ["https://gw.example.com/weather#x"]}, ["resource_identifier:", "fragment"]),
    ({"resource_identifier": ["https://g_w.example.com/weather"]}, ["resource_identifier:", "'_'"]),
    ({"tools": [{"name": "a b"}]}, ["tools: name 'a b'"]),
    ({"name": " "}, ["name: must be 1 to 64 characters"]),
    ({"state": "absent", "rotate_secret": True}, ["rotate_secret: has no meaning with state=absent"]),
])
@responses.activate
def test_bad_input_fails_before_any_request(run_module, options, words):
    out = run_module(task(**options))
    assert out["failed"] is True
    for word in words:
        assert word in out["msg"]
    assert len(responses.calls) == 0


@pytest.mark.parametrize("options, words", [
    ({"name": None}, ["state is present but all of the following are missing: name"]),
    ({"update_secret": "always"}, ["update_secret is always but all of the following are missing: client_secret"]),
])
def test_required_options(run_module, options, words):
    out = run_module(task(**options))
    assert out["failed"] is True and all(w in out["msg"] for w in words)


def test_options_match_the_documentation():
    import yaml

    from ansible_collections.gravitee_community.mcp.plugins.doc_fragments import am_domain

    documented = yaml.safe_load(am_mcp_server.DOCUMENTATION)["options"]
    documented.update(yaml.safe_load(am_domain.ModuleDocFragment.DOCUMENTATION)["options"])
    documented.update(yaml.safe_load(am_domain.ModuleDocFragment.DOMAIN_ID)["options"])
    assert set(documented) == set(am_mcp_server.ARGUMENT_SPEC)
    assert set(documented["tools"]["suboptions"]) == set(am_mcp_server.ARGUMENT_SPEC["tools"]["options"])


@responses.activate
@pytest.mark.parametrize("state", ["present", "absent"])
def test_the_domain_path_is_returned_for_the_apim_resource(run_module, state):
    # Found by name, served under its path: APIM's AM resource needs the path segment.
    responses.add(responses.POST, AM_TOKEN_URL, json={"access_token": JWT, "token_type": "bearer"})
    responses.add(responses.GET, AM_ENV + "/domains/_hrid/MCP%20Domain", status=404, json={"message": "nope"})
    responses.add(responses.GET, AM_ENV + "/domains", json={
        "data": [dict(DOMAIN, name="MCP Domain", hrid="mcp-domain", path="/tools-domain/")],
        "currentPage": 0, "totalCount": 1})
    responses.add(responses.GET, D, json=dict(DOMAIN, name="MCP Domain", hrid="mcp-domain", path="/tools-domain/"))
    responses.add(responses.GET, PR, json={"data": [stored()], "currentPage": 0, "totalCount": 1})
    responses.add(responses.DELETE, PR + "/r-1", status=204)
    options = task(domain="MCP Domain", tools=None) if state == "present" else {
        "domain": "MCP Domain", "resource_identifier": URL, "state": "absent"}
    out = run_module(options, check_mode=True)
    assert out["security_domain"] == "tools-domain"
    assert writes() == []
