"""am_mcp_server's pure parts: identifier rules, the view, compare, PATCH/POST payloads and the refusal rules."""

import pytest

from ansible_collections.gravitee_community.mcp.plugins.module_utils.am import mcp_model as model
from ansible_collections.gravitee_community.mcp.plugins.module_utils.am import mcp_rules as rules
from ansible_collections.gravitee_community.mcp.plugins.module_utils.am.mcp_identifiers import (
    identifier_errors,
    identifier_problem,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import GraviteeError

# An AM GET document (enums lowercase, nulls left out, server-side fields).
STORED = {
    "id": "r-1", "clientId": "cid-1", "name": "Weather", "description": "Forecasts", "type": "mcp_server",
    "resourceIdentifiers": ["https://gw.example.com/weather", "https://gw.example.com/weather/"],
    "features": [
        {"key": "forecast", "type": "mcp_tool", "description": "Forecast", "scopes": ["read", "geo"],
         "createdAt": 1, "updatedAt": 2},
        {"key": "alerts", "type": "MCP_TOOL", "createdAt": 1, "updatedAt": 2},
    ],
    "settings": {"oauth": {"grantTypes": ["client_credentials"]}}, "updatedAt": 2,
}
CURRENT = model.server_view(STORED)


def desired(**changes):
    wanted = {"name": "Weather", "description": None, "client_id": None,
              "resource_identifiers": ["https://gw.example.com/weather/", "https://gw.example.com/weather"],
              "tools": None}
    wanted.update(changes)
    return wanted


# --- identifiers ----------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "https://gw.example.com/mcp", "https://gw.example.com/mcp/", "http://127.0.0.1:8082/mcp",
    "https://[::1]:8443/mcp", "https://gw.example.com:8443/a-b/c.d?x=1", "urn-like://host/path"])
def test_good_identifiers(value):
    assert identifier_problem(value) is None


@pytest.mark.parametrize("value, words", [
    ("https://GW.example.com/mcp", ["upper-case", "'https://gw.example.com/mcp'", "invalid_target"]),
    ("https://gw.example.com/MyMcp", ["upper-case", "'https://gw.example.com/mymcp'", "APIM entrypoint path"]),
    ("https://gw.example.com/mcp#tools", ["fragment", "RFC 8707"]),
    ("https://gw.example.com/mcp#", ["fragment"]),
    ("https://my_gw.example.com/mcp", ["'_'", "'my_gw.example.com'", "invalid"]),
    ("https://user@my_gw:8080/mcp", ["'my_gw'"]),
    ("gw.example.com/mcp", ["absolute URL", "scheme and a host"]),
    ("https:///mcp", ["absolute URL"]),
    (" https://gw.example.com/mcp", ["spaces"]),
    ("https://gw.example.com/m cp", ["spaces"]),
    ("", ["empty"]),
])
def test_bad_identifiers(value, words):
    problem = identifier_problem(value)
    assert problem is not None
    for word in words:
        assert word in problem


def test_identifier_list_rules():
    assert identifier_errors(["https://a.example.com/x"]) == []
    assert identifier_errors([]) == ["at least one identifier is required"]
    assert identifier_errors(["https://a.example.com/x", "https://a.example.com/x"]) == [
        "'https://a.example.com/x' is listed twice; list each identifier once"]
    errors = identifier_errors(["https://A.example.com/x", "https://b_c.example.com/"])
    assert len(errors) == 2 and errors[0].startswith("'https://A.example.com/x' contains upper-case")


# --- the view and the comparison --------------------------------------------------------

def test_view_of_an_am_document():
    assert CURRENT == {
        "id": "r-1", "name": "Weather", "description": "Forecasts", "client_id": "cid-1",
        "resource_identifiers": ["https://gw.example.com/weather", "https://gw.example.com/weather/"],
        "tools": [{"name": "forecast", "description": "Forecast", "scopes": ["read", "geo"]},
                  {"name": "alerts", "description": None, "scopes": []}]}
    # Only MCP tools are tools (enum compared without case); nothing else of AM's document leaks in.
    other = dict(STORED, features=[{"key": "x", "type": "something_else"}])
    assert model.server_view(other)["tools"] == []
    assert model.server_view(None) is None


def test_in_sync_ignores_order_case_of_enums_and_trimming():
    tools = [{"name": "alerts", "description": None, "scopes": None},
             {"name": "forecast", "description": " Forecast ", "scopes": ["geo", "read", "geo"]}]
    assert model.in_sync(desired(tools=tools, name=" Weather ", description="Forecasts "), CURRENT)
    # Unmanaged keys (None) never count as a change.
    assert model.in_sync(desired(), CURRENT)
    # An empty description is no description (AM stores none).
    no_description = dict(CURRENT, description=None)
    assert model.in_sync(desired(description=""), no_description)


@pytest.mark.parametrize("changes, keys", [
    ({"name": "Weather 2"}, ["name"]),
    ({"description": "Other"}, ["description"]),
    ({"description": ""}, ["description"]),
    ({"resource_identifiers": ["https://gw.example.com/weather"]}, ["resource_identifiers"]),
    ({"tools": []}, ["tools"]),
    ({"tools": [{"name": "forecast", "description": None, "scopes": None}]}, ["tools"]),
    ({"tools": [{"name": "forecast", "description": None, "scopes": ["read"]},
                {"name": "alerts", "description": None, "scopes": None}]}, ["tools"]),
    ({"tools": [{"name": "forecast", "description": "New", "scopes": None},
                {"name": "alerts", "description": None, "scopes": None}]}, ["tools"]),
])
def test_each_difference_is_seen(changes, keys):
    wanted = desired(**changes)
    assert not model.in_sync(wanted, CURRENT)
    assert model.differing_keys(model.target_view(CURRENT, wanted), CURRENT) == keys


def test_patch_has_only_differing_keys_and_whole_lists():
    wanted = desired(name="Weather 2", tools=[
        {"name": "forecast", "description": None, "scopes": None},          # keeps stored description/scopes
        {"name": "alerts", "description": "Alerts", "scopes": None},
        {"name": "radar", "description": None, "scopes": ["read", "read"]}])
    patch = model.am_patch(model.target_view(CURRENT, wanted), CURRENT)
    assert patch == {"name": "Weather 2", "features": [
        {"key": "forecast", "type": "MCP_TOOL", "description": "Forecast", "scopes": ["read", "geo"]},
        {"key": "alerts", "type": "MCP_TOOL", "description": "Alerts"},
        {"key": "radar", "type": "MCP_TOOL", "scopes": ["read"]}]}
    # Identifiers are sent whole, in the order the user gave, when they change.
    wanted = desired(resource_identifiers=["https://gw.example.com/new", "https://gw.example.com/weather"])
    assert model.am_patch(model.target_view(CURRENT, wanted), CURRENT) == {
        "resourceIdentifiers": ["https://gw.example.com/new", "https://gw.example.com/weather"]}
    assert model.am_patch(model.target_view(CURRENT, desired()), CURRENT) == {}


def test_create_body_sends_only_known_fields_and_no_nulls():
    bare = model.target_view(None, desired(resource_identifiers=["https://gw.example.com/a"]))
    assert model.am_create_body(bare) == {"name": "Weather", "type": "MCP_SERVER",
                                          "resourceIdentifiers": ["https://gw.example.com/a"]}
    full = model.target_view(None, desired(
        resource_identifiers=["https://gw.example.com/a"], description="D", client_id="cid",
        tools=[{"name": "t1", "description": None, "scopes": None}]))
    assert model.am_create_body(full, "s3cret") == {
        "name": "Weather", "type": "MCP_SERVER", "resourceIdentifiers": ["https://gw.example.com/a"],
        "description": "D", "clientId": "cid", "clientSecret": "s3cret",
        "features": [{"key": "t1", "type": "MCP_TOOL"}]}


def test_check_mode_prediction_of_a_new_server():
    predicted = model.target_view(None, desired(client_id="cid", tools=[
        {"name": "t1", "description": "x", "scopes": ["a"]}]))
    assert predicted["id"] is None and predicted["client_id"] == "cid"
    assert predicted["tools"] == [{"name": "t1", "description": "x", "scopes": ["a"]}]


def test_scopes_in_use():
    assert model.scopes_in_use([{"name": "a", "scopes": ["s1", "s2"]}, {"name": "b", "scopes": ["s1"]},
                                {"name": "c", "scopes": []}]) == {"s1": ["a", "b"], "s2": ["a"]}


# --- refusal rules ------------------------------------------------------------------------

DOMAIN = {"id": "d-1", "hrid": "mcp-domain", "name": "MCP"}


def test_tool_rules():
    assert rules.check_tools([{"name": "get_forecast-2"}]) == []
    problems = rules.check_tools([{"name": "bad name"}, {"name": "a"}, {"name": "a", "scopes": [" "]}])
    assert any("'bad name'" in p and "a-z, A-Z, 0-9" in p for p in problems)
    assert any("unique" in p and ": a." in p for p in problems)
    assert any("empty scope: remove it, or give the key of a scope" in p for p in problems)
    assert rules.check_tools([{"name": "x" * 65}])


def test_client_id_cannot_change_on_an_existing_server():
    with pytest.raises(GraviteeError) as caught:
        rules.check_client_id(DOMAIN, CURRENT, "other-id", [])
    text = str(caught.value)
    assert "client_id" in text and "'cid-1'" in text and "'other-id'" in text and "state: absent" in text
    rules.check_client_id(DOMAIN, CURRENT, "cid-1", [STORED])  # same id: fine
    rules.check_client_id(DOMAIN, CURRENT, None, [STORED])     # not managed: fine


def test_client_id_of_another_server_is_refused_before_creating():
    with pytest.raises(GraviteeError) as caught:
        rules.check_client_id(DOMAIN, None, "cid-1", [STORED])
    text = str(caught.value)
    assert "'cid-1' is already the client id of MCP server 'Weather' (id r-1" in text
    assert "'mcp-domain'" in text and "leave it out" in text
    rules.check_client_id(DOMAIN, None, "free-id", [STORED])


def test_update_secret_always_is_refused_on_an_existing_server_only():
    rules.check_update_secret(None, "always")
    rules.check_update_secret(CURRENT, "on_create")
    with pytest.raises(GraviteeError) as caught:
        rules.check_update_secret(CURRENT, "always")
    text = str(caught.value)
    assert text.startswith("update_secret: always cannot be honoured")
    for words in ("random", "on_create", "rotate_secret: true", "state: absent"):
        assert words in text


def test_duplicate_identifier_names_both_servers():
    other = dict(STORED, id="r-2", clientId="cid-2", name="Other", resourceIdentifiers=["https://x.example.com/"])
    err = rules.duplicate_identifier_error(DOMAIN, [(STORED, ["https://gw.example.com/weather"]),
                                                    (other, ["https://x.example.com/"])])
    text = str(err)
    assert text.startswith("resource_identifier: the identifiers belong to 2 different MCP servers")
    assert "'https://gw.example.com/weather' held by MCP server 'Weather' (id r-1" in text
    assert "'https://x.example.com/' held by MCP server 'Other' (id r-2" in text


def test_write_errors_get_a_hint():
    def am_400(message):
        return GraviteeError("400 from AM at POST u: %s." % message, product="AM", status=400, method="POST",
                             url="u", gravitee_message=message)

    wanted = desired(client_id="taken")
    err = rules.explain_write_error(am_400("A client [taken] already exists for domain [d-1]"), DOMAIN, wanted)
    assert "client_id 'taken' is already used by an application or another MCP server" in str(err)
    assert err.status == 400 and err.hint.startswith("client_id 'taken'")
    err = rules.explain_write_error(am_400("scope nope is not valid."), DOMAIN, wanted)
    assert "Every scope in tools" in str(err)
    err = rules.explain_write_error(am_400("Resource identifier already exists"), DOMAIN, wanted)
    assert "run the task again" in str(err)
    plain = am_400("Something else")
    assert rules.explain_write_error(plain, DOMAIN, wanted) is plain


def test_unknown_scopes_message():
    text = str(rules.unknown_scopes_error(DOMAIN, {"weather_read": ["forecast", "alerts"]}))
    assert "'weather_read' (tools: forecast, alerts)" in text and "Settings > Scopes" in text
