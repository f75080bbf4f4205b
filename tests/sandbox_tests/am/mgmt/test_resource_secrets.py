"""AM management API: protected-resource secrets (ProtectedResourceSecretsResource.java), 4.11+."""

from tests.sandbox_tests.am.mgmt.helpers import ENV_PATH, AmClient, assert_error, direct


def _resource(client):
    created = client.create_resource(clientSecret="initial-secret")
    assert created.status_code == 201
    return created.json()["id"]


def _stored(sandbox, resource_id):
    return sandbox.am.protected_resources[resource_id]


def test_list_never_shows_values(sandbox):
    client = AmClient(sandbox)
    resource_id = _resource(client)
    answer = client.get(client.d(f"/protected-resources/{resource_id}/secrets"))
    assert answer.status_code == 200
    (secret,) = answer.json()
    assert secret["name"] == "Default" and set(secret) == {"id", "settingsId", "name", "createdAt"}
    assert "initial-secret" not in answer.text


def test_add_shows_the_new_secret_once(sandbox):
    client = AmClient(sandbox)
    resource_id = _resource(client)
    path = client.d(f"/protected-resources/{resource_id}/secrets")
    answer = client.post(path, json={"name": "rotation-2"})
    assert answer.status_code == 201
    added = answer.json()
    assert added["name"] == "rotation-2" and added["secret"]
    listed = client.get(path)
    assert added["secret"] not in listed.text and len(listed.json()) == 2
    stored = _stored(sandbox, resource_id)
    assert sandbox.am.secret_matches(stored, added["secret"]) and sandbox.am.secret_matches(stored, "initial-secret")
    assert_error(client.post(path, json={"name": " rotation-2 "}), 400,
                 "Secret with description rotation-2 already exists")
    assert_error(client.post(path, json={"name": ""}), 400, "[: must not be empty]")
    assert_error(client.post(path, json={}), 400, "[name: must not be empty]")
    assert_error(client.post(path, json={"name": "x", "secret": "mine"}), 400,
                 "Property [secret] is not recognized as a valid property")


def test_renew_replaces_the_value_and_shows_it_once(sandbox):
    client = AmClient(sandbox)
    resource_id = _resource(client)
    path = client.d(f"/protected-resources/{resource_id}/secrets")
    (default,) = client.get(path).json()
    answer = client.post(f"{path}/{default['id']}/_renew", json={})
    assert answer.status_code == 200
    renewed = answer.json()
    assert renewed["id"] == default["id"] and renewed["secret"] != "initial-secret"
    stored = _stored(sandbox, resource_id)
    assert sandbox.am.secret_matches(stored, renewed["secret"])
    assert not sandbox.am.secret_matches(stored, "initial-secret")
    assert renewed["secret"] not in client.get(path).text
    assert_error(client.post(f"{path}/nope/_renew"), 404, "Secret [nope] can not be found.")


def test_delete_keeps_at_least_one_secret(sandbox):
    client = AmClient(sandbox)
    resource_id = _resource(client)
    path = client.d(f"/protected-resources/{resource_id}/secrets")
    (default,) = client.get(path).json()
    assert_error(client.delete(f"{path}/{default['id']}"), 400, "Cannot remove last secret")
    assert_error(client.delete(f"{path}/nope"), 400, "Cannot remove last secret")  # checked first
    extra = client.post(path, json={"name": "second"}).json()
    assert_error(client.delete(f"{path}/nope"), 404, "Secret [nope] can not be found.")
    assert client.delete(f"{path}/{default['id']}").status_code == 204
    assert [s["id"] for s in client.get(path).json()] == [extra["id"]]
    assert not sandbox.am.secret_matches(_stored(sandbox, resource_id), "initial-secret")


def test_at_most_ten_secrets(sandbox):
    client = AmClient(sandbox)
    resource_id = _resource(client)
    path = client.d(f"/protected-resources/{resource_id}/secrets")
    for index in range(9):
        assert client.post(path, json={"name": f"s{index}"}).status_code == 201
    assert_error(client.post(path, json={"name": "eleventh"}), 400,
                 "Too many Client Secrets. Cannot create more than 10 secrets")


def test_secrets_api_is_4_11_and_later(sandbox):
    client = AmClient(sandbox)
    sandbox.config.am_version = "4.10.20"
    resource_id = _resource(client)
    path = ENV_PATH + client.d(f"/protected-resources/{resource_id}/secrets")
    missing = (404, {"message": "HTTP 404 Not Found", "http_status": 404})
    assert direct(sandbox, "GET", path, client.token) == missing
    assert direct(sandbox, "POST", path, client.token, {"name": "x"}) == missing
    secret_id = _stored(sandbox, resource_id)["_secrets"][0]["id"]
    assert direct(sandbox, "POST", f"{path}/{secret_id}/_renew", client.token, {}) == missing
    assert direct(sandbox, "DELETE", f"{path}/{secret_id}", client.token) == missing
