"""AM management API: scopes (ScopesResource.java)."""

from tests.sandbox_tests.am.mgmt.helpers import AmClient, assert_error

LIST_KEYS = {"id", "key", "name", "description", "system", "discovery", "parameterized"}


def test_list_the_domain_scopes(sandbox):
    client = AmClient(sandbox)
    page = client.get(client.d("/scopes")).json()
    keys = [s["key"] for s in page["data"]]
    assert {"openid", "profile", "email", "offline_access", "dcr_admin"} <= set(keys)
    assert keys == sorted(keys) and page["totalCount"] == len(keys) and page["currentPage"] == 0
    assert all(set(s) == LIST_KEYS and s["system"] for s in page["data"])
    page = client.get(client.d("/scopes"), params={"size": 2, "page": 1}).json()
    assert len(page["data"]) == 2 and page["currentPage"] == 1


def test_search_scopes(sandbox):
    client = AmClient(sandbox)

    def found(query):
        return [s["key"] for s in client.get(client.d("/scopes"), params={"q": query}).json()["data"]]

    assert found("openid") == ["openid"]
    assert found("OPENID") == []  # exact key
    assert found("OFF*") == ["offline_access"]  # prefix, case-insensitive
    assert found("dcr*") == ["dcr", "dcr_admin"]


def test_create_scope(sandbox):
    client = AmClient(sandbox)
    answer = client.post(client.d("/scopes"), json={"key": "weather read", "name": "Weather read",
                                                    "description": "Read the weather"})
    assert answer.status_code == 201
    scope = answer.json()
    assert answer.headers["Location"].endswith(f"/scopes/{scope['id']}")
    assert scope["key"] == "weather_read"  # whitespace separates scopes, so AM replaces it
    assert (scope["system"], scope["discovery"], scope["domain"]) == (False, False, client.domain_id)
    searched = client.get(client.d("/scopes"), params={"q": "weather*"}).json()["data"]
    assert "weather_read" in [s["key"] for s in searched]
    assert_error(client.post(client.d("/scopes"), json={"key": "weather_read", "name": "n", "description": "d"}), 400,
                 f"A scope [weather_read] already exists for domain [{client.domain_id}]")
    assert_error(client.post(client.d("/scopes"), json={"key": "k", "name": "n"}), 400,
                 "[description: must not be null]")
    assert_error(client.post(client.d("/scopes"), json={"key": "k", "name": "n", "description": "d", "x": 1}), 400,
                 "Property [x] is not recognized as a valid property")
