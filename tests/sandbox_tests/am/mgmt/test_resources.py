"""AM management API: protected resources / MCP servers (ProtectedResourcesResource.java), AM 4.10 and 4.11+."""

from tests.sandbox_tests.am.mgmt.helpers import ENV_PATH, MCP_URL, AmClient, assert_error, direct

UNKNOWN = "Property [{}] is not recognized as a valid property"
NOTHING = "You need to specify at least one value to update."
KEYS_410 = {"id", "clientId", "name", "description", "type", "resourceIdentifiers", "features", "updatedAt"}


def _tool(key, **fields):
    return {"key": key, "type": "MCP_TOOL", **fields}


def test_create_returns_the_secret_once_and_fills_defaults(sandbox):
    client = AmClient(sandbox)
    answer = client.create_resource(description="weather", resourceIdentifiers=["https://GW.Example.com/My-Mcp/"],
                                    features=[_tool("get_weather", description="  Weather  ")])
    assert answer.status_code == 201
    created = answer.json()
    assert set(created) == {"id", "name", "clientId", "clientSecret"}
    assert answer.headers["Location"].endswith(f"/domains/{client.domain_id}/protected-resources/{created['id']}")
    fetched = client.resource(created["id"])
    assert fetched.status_code == 200
    resource = fetched.json()
    assert created["clientSecret"] not in fetched.text
    assert resource["type"] == "mcp_server" and resource["clientId"] == created["clientId"]
    assert resource["resourceIdentifiers"] == ["https://gw.example.com/my-mcp/"]  # trimmed and lowercased in full
    assert resource["features"] == [{"key": "get_weather", "description": "Weather", "type": "mcp_tool",
                                     "createdAt": resource["updatedAt"]}]
    oauth = resource["settings"]["oauth"]
    assert (oauth["grantTypes"], oauth["responseTypes"], oauth["tokenEndpointAuthMethod"]) == (
        ["client_credentials"], ["code"], "client_secret_basic")
    assert oauth["clientId"] == created["clientId"] and "clientSecret" not in oauth
    assert resource["certificate"] == sandbox.am.default_certificate_id(client.domain_id)
    stored = sandbox.am.protected_resources[created["id"]]
    assert sandbox.am.secret_matches(stored, created["clientSecret"])
    assert created["clientSecret"] not in repr(stored)  # hashed only


def test_create_echoes_a_chosen_client_id_and_secret(sandbox):
    client = AmClient(sandbox)
    created = client.create_resource(clientId="mcp-server", clientSecret="s3cret").json()
    assert (created["clientId"], created["clientSecret"]) == ("mcp-server", "s3cret")
    assert sandbox.am.secret_matches(sandbox.am.protected_resources[created["id"]], "s3cret")


def test_create_validation_messages(sandbox):
    client = AmClient(sandbox)
    cases = [
        ({"name": None}, "[name: must not be blank]"),
        ({"name": " padded"}, "[ padded: Name must begin with a non-whitespace character]"),
        ({"name": "n" * 65}, f"[{'n' * 65}: Name must be between 1 and 64 characters]"),
        ({"type": None}, "[type: must not be empty]"),
        ({"type": "MCP_SERVERR"}, "[MCP_SERVERR: Available types: [MCP_SERVER]]"),
        ({"type": "mcp_server"}, "[mcp_server: Available types: [MCP_SERVER]]"),
        ({"resourceIdentifiers": None}, "[resourceIdentifiers: must not be empty]"),
        ({"resourceIdentifiers": []}, "[[]: must not be empty]"),
        ({"resourceIdentifiers": ["pl"]}, "[pl: Invalid URL]"),
        ({"resourceIdentifiers": [""]}, "[: must not be blank]"),
        ({"resourceIdentifiers": ["https://x.example.com/a#frag"]}, "[https://x.example.com/a#frag: Invalid URL]"),
        ({"resourceIdentifiers": [" https://x.example.com "]}, "[ https://x.example.com : Invalid URL]"),
        ({"resourceIdentifiers": ["https://my_host.example.com"]}, "[https://my_host.example.com: Invalid URL]"),
        ({"resourceIdentifiers": ["mailto:a@b.example.com"]}, "[mailto:a@b.example.com: Invalid URL]"),
        ({"features": [_tool("key$")]}, "[key$: must match regex ^[a-zA-Z0-9_-]+$]"),
        ({"features": [{"type": "MCP_TOOL"}]}, "[key: must not be blank]"),
        ({"features": [_tool("k" * 65)]}, f"[{'k' * 65}: Key must be between 1 and 64 characters]"),
    ]
    for fields, message in cases:
        body = {"name": "My MCP Server", "type": "MCP_SERVER", "resourceIdentifiers": [MCP_URL], **fields}
        body = {k: v for k, v in body.items() if v is not None}
        assert_error(client.post(client.d("/protected-resources"), json=body), 400, message)
    assert sandbox.am.protected_resources == {}


def test_create_refuses_unknown_fields_and_bad_feature_types(sandbox):
    client = AmClient(sandbox)
    assert_error(client.create_resource(id="x"), 400, UNKNOWN.format("id"))
    assert_error(client.create_resource(secretSettings=[]), 400, UNKNOWN.format("secretSettings"))
    assert_error(client.create_resource(features=[_tool("k", createdAt=1)]), 400, UNKNOWN.format("createdAt"))
    for feature in ({"key": "k", "type": "mcp_tool"}, {"key": "k", "type": "ABC"}, {"key": "k"}):
        assert_error(client.create_resource(features=[feature]), 400, "Malformed json")
    assert_error(client.create_resource(features=[_tool("k"), _tool("k")]), 400, "Feature key names must be unique")
    # Create does not check tool scopes (PATCH and PUT do).
    assert client.create_resource(features=[_tool("k", scopes=["not_a_scope"])]).status_code == 201


def test_identifiers_are_unique_per_domain_after_lowercasing(sandbox):
    client = AmClient(sandbox)
    assert client.create_resource(resourceIdentifiers=["https://Dup.example.com/MCP"]).status_code == 201
    assert_error(client.create_resource(resourceIdentifiers=["https://dup.example.com/mcp"]), 400,
                 "Resource identifier already exists")
    # Names need not be unique.
    assert client.create_resource(resourceIdentifiers=["https://other.example.com/mcp"]).status_code == 201


def test_client_id_is_unique_among_applications_and_resources(sandbox):
    client = AmClient(sandbox)
    app = client.post(client.d("/applications"), json={"name": "svc", "type": "SERVICE", "clientId": "shared"})
    assert app.status_code == 201, app.text
    assert_error(client.create_resource(clientId="shared"), 400,
                 f"A client [shared] already exists for domain [{client.domain_id}]")
    assert client.create_resource(clientId="mine").status_code == 201
    answer = client.post(client.d("/applications"), json={"name": "svc2", "type": "SERVICE", "clientId": "mine"})
    assert_error(answer, 400, f"A client [mine] already exists for domain [{client.domain_id}]")


def test_settings_exist_from_4_11(sandbox):
    client = AmClient(sandbox)
    settings = {"oauth": {"grantTypes": ["client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"]}}
    created = client.create_resource(settings=settings).json()
    oauth = client.resource(created["id"]).json()["settings"]["oauth"]
    assert oauth["grantTypes"] == settings["oauth"]["grantTypes"] and oauth["responseTypes"] == ["code"]
    assert_error(client.create_resource(settings={"oauth": {"nope": 1}}), 400, UNKNOWN.format("nope"))

    sandbox.config.am_version = "4.10.20"
    assert_error(client.create_resource(resourceIdentifiers=["https://b.example.com"], settings=settings), 400,
                 UNKNOWN.format("settings"))
    old = client.create_resource(resourceIdentifiers=["https://b.example.com"]).json()
    resource = client.resource(old["id"]).json()
    assert set(resource) == KEYS_410 - {"description"}  # no settings, secretSettings or certificate before 4.11


def test_list_needs_the_type_and_pages(sandbox):
    client = AmClient(sandbox)
    ids = [client.create_resource(name=f"srv-{i}", resourceIdentifiers=[f"https://s{i}.example.com"]).json()["id"]
           for i in range(3)]
    path = client.d("/protected-resources")
    # Real AM 4.10.8 and 4.11.1 answer a missing type with an unmapped exception: 500 "Internal error".
    for version in ("4.10.8", "4.11.1", "4.12.4"):
        sandbox.config.am_version = version
        assert_error(client.get(path), 500, "Internal error")
        assert_error(client.get(path, params={"type": "OTHER"}), 500, "Internal error")
    page = client.get(path, params={"type": "mcp_server", "sort": "name.asc"}).json()
    assert [r["name"] for r in page["data"]] == ["srv-0", "srv-1", "srv-2"]
    assert page["data"][1] == client.resource(ids[1]).json()  # list entries are full resources
    page = client.get(path, params={"type": "MCP_SERVER", "size": 2, "page": 1, "sort": "name.asc"}).json()
    assert (page["currentPage"], page["totalCount"], [r["name"] for r in page["data"]]) == (1, 3, ["srv-2"])
    assert_error(client.get(path, params={"type": "MCP_SERVER", "page": "first"}), 404, "HTTP 404 Not Found")


def test_search_with_q_from_4_11(sandbox):
    client = AmClient(sandbox)
    for name, client_id in (("Weather Server", "weather-1"), ("Weather Backup", "weather-2"), ("Maps", "maps")):
        client.create_resource(name=name, clientId=client_id, resourceIdentifiers=[f"https://{client_id}.example.com"])
    path = client.d("/protected-resources")

    def found(query):
        return sorted(r["clientId"] for r in client.get(path, params={"type": "MCP_SERVER", "q": query}).json()["data"])

    assert found("maps") == ["maps"]  # clientId
    assert found("WEATHER SERVER") == ["weather-1"]  # name, case-insensitive
    assert found("weath*") == ["weather-1", "weather-2"]
    assert found("Weather") == []
    # 4.10 has no q: it is ignored and every resource of the type comes back.
    sandbox.config.am_version = "4.10.20"
    status, page = direct(sandbox, "GET", ENV_PATH + path, client.token, query="type=MCP_SERVER&q=maps")
    assert status == 200 and page["totalCount"] == 3


def test_get_and_delete(sandbox):
    client = AmClient(sandbox)
    created = client.create_resource().json()
    path = client.d(f"/protected-resources/{created['id']}")
    assert_error(client.get(path), 500, "Internal error")
    assert_error(client.delete(path), 500, "Internal error")
    assert_error(client.get(client.d("/protected-resources/nope"), params={"type": "MCP_SERVER"}), 404,
                 "ProtectedResource [nope] can not be found.")
    other = client.post("/domains", json={"name": "other", "dataPlaneId": "default"}).json()
    assert_error(client.get(f"/domains/{other['id']}/protected-resources/{created['id']}",
                            params={"type": "MCP_SERVER"}), 404,
                 f"ProtectedResource [{created['id']}] can not be found.")
    answer = client.delete(path, params={"type": "MCP_SERVER"})
    assert answer.status_code == 204 and answer.content == b""
    assert_error(client.delete(path, params={"type": "MCP_SERVER"}), 404,
                 f"ProtectedResource [{created['id']}] can not be found.")
    assert_error(client.resource(created["id"]), 404, f"ProtectedResource [{created['id']}] can not be found.")
    # The client id is free again: recreate with the same one (the 4.10 way to rotate a secret).
    assert client.create_resource(clientId=created["clientId"]).status_code == 201


def test_endpoints_do_not_exist_before_4_10(sandbox):
    client = AmClient(sandbox)
    sandbox.config.am_version = "4.9.3"
    path = ENV_PATH + client.d("/protected-resources")
    assert direct(sandbox, "GET", path, client.token, query="type=MCP_SERVER") == (
        404, {"message": "HTTP 404 Not Found", "http_status": 404})
    assert direct(sandbox, "POST", path, client.token, {"name": "x"})[0] == 404
    assert direct(sandbox, "DELETE", path + "/abc", client.token, query="type=MCP_SERVER")[0] == 404
