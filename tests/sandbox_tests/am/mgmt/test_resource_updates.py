"""AM management API: PATCH and PUT of protected resources (PatchProtectedResource.java,
UpdateProtectedResource.java)."""

import time

from tests.sandbox_tests.am.mgmt.helpers import ENV_PATH, AmClient, assert_error, direct

UNKNOWN = "Property [{}] is not recognized as a valid property"
NOTHING = "You need to specify at least one value to update."


def _tool(key, **fields):
    return {"key": key, "type": "MCP_TOOL", **fields}


def _created(client, **fields):
    created = client.create_resource(**fields)
    assert created.status_code == 201, created.text
    return client.resource(created.json()["id"]).json()


def test_patch_changes_only_what_is_sent(sandbox):
    client = AmClient(sandbox)
    before = _created(client, description="first", features=[_tool("a")])
    time.sleep(0.002)
    answer = client.patch(client.d(f"/protected-resources/{before['id']}"), json={"name": "Renamed"})
    assert answer.status_code == 200
    after = answer.json()
    assert after["name"] == "Renamed" and after["description"] == "first"
    assert after["resourceIdentifiers"] == before["resourceIdentifiers"]
    assert after["updatedAt"] > before["updatedAt"]
    assert after == client.resource(before["id"]).json()


def test_patch_lists_replace_and_tool_timestamps_survive(sandbox):
    client = AmClient(sandbox)
    client.create_scope("weather_read")
    before = _created(client, features=[_tool("keep"), _tool("drop")])
    path = client.d(f"/protected-resources/{before['id']}")
    time.sleep(0.002)
    answer = client.patch(path, json={
        "resourceIdentifiers": ["https://NEW.example.com/mcp"],
        "features": [_tool("keep", description="kept", scopes=["weather_read"]), _tool("added")]})
    assert answer.status_code == 200, answer.text
    after = answer.json()
    assert after["resourceIdentifiers"] == ["https://new.example.com/mcp"]
    keep, added = after["features"]
    assert (keep["key"], keep["description"], keep["scopes"]) == ("keep", "kept", ["weather_read"])
    assert keep["createdAt"] == before["features"][0]["createdAt"]
    assert keep["updatedAt"] == after["updatedAt"] and added["createdAt"] == after["updatedAt"]
    # A feature as GET writes it (type "mcp_tool", timestamps) is accepted back from 4.11 on. The
    # timestamps are not in the spec's feature schema, so this call stays out of the contract log.
    status, body = direct(sandbox, "PATCH", ENV_PATH + path, client.token, {"features": [keep]})
    assert status == 200 and [f["key"] for f in body["features"]] == ["keep"]
    assert client.patch(path, json={"features": []}).json()["features"] == []


def test_patch_rules(sandbox):
    client = AmClient(sandbox)
    resource = _created(client, features=[_tool("a")])
    other = _created(client, resourceIdentifiers=["https://other.example.com/mcp"])
    path = client.d(f"/protected-resources/{resource['id']}")
    for body in ({}, {"resourceIdentifiers": None}, {"features": None}):
        assert_error(client.patch(path, json=body), 400, NOTHING)
    assert_error(client.patch(path, data=b""), 400, "[patchProtectedResource: must not be null]")
    assert_error(client.patch(path, json={"name": "x", "resourceIdentifiers": []}), 400,
                 "Field [resourceIdentifiers] must not be empty")
    assert_error(client.patch(path, json={"resourceIdentifiers": ["https://OTHER.example.com/mcp"]}), 400,
                 "Resource identifier already exists")
    assert_error(client.patch(path, json={"resourceIdentifiers": ["nope"]}), 400, "[nope: Invalid URL]")
    assert_error(client.patch(path, json={"name": " x"}), 400, "[ x: Name must begin with a non-whitespace character]")
    assert_error(client.patch(path, json={"features": [_tool("t", scopes=["nope"])]}), 400, "scope nope is not valid.")
    assert_error(client.patch(path, json={"features": [_tool("t"), _tool("t")]}), 400,
                 "Feature key names must be unique")
    for field in ("type", "clientId", "clientSecret", "id"):
        assert_error(client.patch(path, json={field: "x"}), 400, UNKNOWN.format(field))
    assert_error(client.patch(path, json={"certificate": "nope"}), 400, "Certificate nope not found")
    # Its own identifiers, in another case, are not a clash.
    upper = [i.upper() for i in resource["resourceIdentifiers"]]
    assert client.patch(path, json={"resourceIdentifiers": upper}).status_code == 200
    assert client.resource(other["id"]).json() == other
    assert_error(client.patch(client.d("/protected-resources/nope"), json={"name": "x"}), 404,
                 "ProtectedResource [nope] can not be found.")


def test_patch_certificate_null_resets_it(sandbox):
    client = AmClient(sandbox)
    resource = _created(client)
    assert resource["certificate"]
    answer = client.patch(client.d(f"/protected-resources/{resource['id']}"), json={"certificate": None})
    assert answer.status_code == 200 and "certificate" not in answer.json()


def test_patch_on_4_10_knows_only_the_4_10_fields(sandbox):
    client = AmClient(sandbox)
    sandbox.config.am_version = "4.10.20"
    resource = _created(client)
    path = client.d(f"/protected-resources/{resource['id']}")
    for field in ("settings", "certificate", "secretSettings"):
        assert_error(client.patch(path, json={field: None}), 400, UNKNOWN.format(field))
    assert_error(client.patch(path, json={"features": [{"key": "a", "type": "mcp_tool"}]}), 400, "Malformed json")
    assert client.patch(path, json={"features": [_tool("a")]}).json()["features"][0]["type"] == "mcp_tool"


def test_put_replaces_the_whole_resource(sandbox):
    client = AmClient(sandbox)
    resource = _created(client, description="old", features=[_tool("a")],
                        settings={"oauth": {"grantTypes": ["client_credentials", "refresh_token"]}})
    path = client.d(f"/protected-resources/{resource['id']}")
    assert_error(client.put(path, json={"name": " New", "resourceIdentifiers": ["https://put.example.com"]}), 400,
                 "[ New: Name must begin with a non-whitespace character]")  # checked before trimming
    answer = client.put(path, json={"name": "New name  ", "resourceIdentifiers": ["https://put.example.com"]})
    assert answer.status_code == 200
    after = answer.json()
    assert after["name"] == "New name" and "description" not in after  # trimmed; missing fields are emptied
    assert after["features"] == [] and after["settings"]["oauth"]["grantTypes"] == ["client_credentials"]
    assert after["clientId"] == resource["clientId"]
    assert_error(client.put(path, json={"resourceIdentifiers": ["https://put.example.com"]}), 400,
                 "[name: must not be blank]")
    assert_error(client.put(path, json={"name": "x"}), 400, "[resourceIdentifiers: must not be empty]")


def test_put_ignores_unknown_fields_from_4_11(sandbox):
    client = AmClient(sandbox)
    client.create_scope("weather_read")
    resource = _created(client, features=[_tool("a", scopes=["weather_read"])])
    path = client.d(f"/protected-resources/{resource['id']}")
    # The GET document sent back as it is: id, type, updatedAt, feature timestamps... are ignored.
    answer = client.put(path, json=dict(resource, name="Round trip"))
    assert answer.status_code == 200, answer.text
    assert answer.json()["name"] == "Round trip" and answer.json()["features"][0]["scopes"] == ["weather_read"]

    sandbox.config.am_version = "4.10.20"
    old = _created(client, resourceIdentifiers=["https://old.example.com"])
    path = client.d(f"/protected-resources/{old['id']}")
    assert_error(client.put(path, json=dict(old)), 400, UNKNOWN.format("id"))
    body = {"name": "n", "resourceIdentifiers": ["https://old.example.com"], "features": [_tool("t", createdAt=1)]}
    assert_error(client.put(path, json=body), 400, UNKNOWN.format("createdAt"))
    assert client.put(path, json={"name": "n", "resourceIdentifiers": ["https://old.example.com"]}).status_code == 200
