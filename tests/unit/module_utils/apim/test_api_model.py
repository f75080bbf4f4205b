"""apim_api: payload mapping and compare logic (pure functions, no HTTP)."""

import copy

import pytest

from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim import api as helpers
from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim import api_model
from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim import api_paths as paths
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import GraviteeError

UPSTREAM = "http://mcp-server:3001/mcp"
AM_CONFIG = {"serverURL": "https://am-gw", "securityDomain": "d", "clientId": "c", "clientSecret": "s3cret",
             "version": "V3_X"}


def params(**overrides):
    base = {"name": "API MCP Proxy", "api_id": None, "state": "present", "type": "mcp_proxy",
            "context_path": "/mcp-proxy", "upstream_url": UPSTREAM, "description": None, "api_version": "1.0",
            "labels": None, "resources": None, "purge_resources": False, "deployed": True, "gateway_url": None}
    base.update(overrides)
    return base


def stored(desired, **extra):
    """The API as APIM stores a creation: sanitised path, defaults in resource configurations, extras."""
    api = api_model.predicted_creation(desired)
    api.update(id="a1", state="STOPPED", deploymentState="NEED_REDEPLOY", flows=[{"name": "console"}],
               properties=[{"key": "k", "value": "v"}], responseTemplates={"X": {}})
    for resource in api["resources"]:
        resource["configuration"].setdefault("userClaim", "sub")
    api.update(extra)
    return api


# --- create bodies ------------------------------------------------------------------------

@pytest.mark.parametrize("option, api_type, connector", [("mcp_proxy", "MCP_PROXY", "mcp-proxy"),
                                                          ("proxy", "PROXY", "http-proxy")])
def test_create_body_has_the_create_api_v4_shape(option, api_type, connector):
    body = api_model.create_body(api_model.desired_state(params(type=option, description="d")))
    assert body["definitionVersion"] == "V4" and body["type"] == api_type and body["apiVersion"] == "1.0"
    listener = body["listeners"][0]
    assert listener["type"] == "HTTP" and listener["paths"] == [{"path": "/mcp-proxy/"}]
    assert listener["entrypoints"] == [{"type": connector, "qos": "NONE", "configuration": {}}]
    group = body["endpointGroups"][0]
    assert group["type"] == connector and group["endpoints"][0]["type"] == connector
    assert group["endpoints"][0]["configuration"] == {"target": UPSTREAM}
    assert group["endpoints"][0]["inheritConfiguration"] is True and group["sharedConfiguration"]["http"]
    assert body["description"] == "d"
    # Not part of CreateApiV4: they are added with a PUT.
    assert "resources" not in body and "labels" not in body


def test_create_body_leaves_out_an_unset_description():
    assert "description" not in api_model.create_body(api_model.desired_state(params()))


@pytest.mark.parametrize("given, stored_path", [("/mcp-proxy", "/mcp-proxy/"), ("mcp-proxy/", "/mcp-proxy/"),
                                                ("//a//b", "/a/b/"), ("/a/b/", "/a/b/")])
def test_context_path_is_compared_as_apim_stores_it(given, stored_path):
    assert paths.sanitise_context_path(given) == stored_path
    desired = api_model.desired_state(params(context_path=given))
    assert api_model.in_sync(desired, stored(api_model.desired_state(params(context_path=stored_path))))


# --- compare ------------------------------------------------------------------------------

def test_server_defaults_and_console_extras_are_in_sync():
    desired = api_model.desired_state(params(resources=[{"name": "AM", "type": "oauth2-am-resource",
                                                        "configuration": AM_CONFIG, "enabled": None}]))
    api = stored(desired)
    api["resources"].append({"name": "Console", "type": "cache", "configuration": {}, "enabled": True})
    api["labels"] = ["from-console"]
    assert api_model.in_sync(desired, api)  # labels/description not managed, unlisted resource kept


@pytest.mark.parametrize("change", [
    {"description": "new"}, {"api_version": "2"}, {"labels": ["x"]}, {"context_path": "/other"},
    {"upstream_url": "http://elsewhere/mcp"}, {"name": "Renamed"},
    {"resources": [{"name": "AM", "type": "oauth2-am-resource", "configuration": dict(AM_CONFIG, clientSecret="new"),
                    "enabled": None}]},
    {"resources": [{"name": "AM", "type": "oauth2-am-resource", "configuration": AM_CONFIG, "enabled": False}]},
    {"resources": [{"name": "AM", "type": "other-type", "configuration": AM_CONFIG, "enabled": None}]},
])
def test_each_managed_option_is_detected(change):
    resources = [{"name": "AM", "type": "oauth2-am-resource", "configuration": AM_CONFIG, "enabled": None}]
    api = stored(api_model.desired_state(params(resources=resources, labels=["a", "b"], description="old")))
    assert api_model.in_sync(api_model.desired_state(params(resources=resources, labels=["b", "a"])), api)
    assert not api_model.in_sync(api_model.desired_state(params(**dict({"resources": resources}, **change))), api)


def test_purge_is_a_change_only_when_unlisted_resources_exist():
    resources = [{"name": "AM", "type": "oauth2-am-resource", "configuration": AM_CONFIG, "enabled": None}]
    desired = api_model.desired_state(params(resources=resources))
    api = stored(desired)
    assert api_model.in_sync(desired, api, purge=True)
    api["resources"].append({"name": "Console", "type": "cache", "configuration": {}})
    assert not api_model.in_sync(desired, api, purge=True)
    assert api_model.in_sync(desired, api, purge=False)


def test_missing_entrypoint_is_a_change_and_is_added_back():
    desired = api_model.desired_state(params())
    api = stored(desired)
    api["listeners"][0]["entrypoints"] = [{"type": "other"}]
    assert not api_model.in_sync(desired, api)
    fixed = api_model.apply_desired(api, desired)
    assert [e["type"] for e in fixed["listeners"][0]["entrypoints"]] == ["other", "mcp-proxy"]


# --- apply --------------------------------------------------------------------------------

def test_apply_changes_only_managed_fields():
    desired = api_model.desired_state(params(description="d"))
    api = stored(desired)
    api["listeners"][0]["paths"].append({"path": "/second/", "host": "h.example.com"})
    api["listeners"][0]["paths"][0]["overrideAccess"] = True
    api["endpointGroups"][0]["endpoints"][0]["configuration"]["extra"] = 1
    original = copy.deepcopy(api)
    new = api_model.desired_state(params(context_path="/moved", upstream_url="http://new/mcp", api_version="3"))
    result = api_model.apply_desired(api, new)
    assert api == original  # the input is not modified
    assert result["listeners"][0]["paths"] == [{"path": "/moved/", "overrideAccess": True},
                                               {"path": "/second/", "host": "h.example.com"}]
    assert result["endpointGroups"][0]["endpoints"][0]["configuration"] == {"target": "http://new/mcp", "extra": 1}
    assert result["apiVersion"] == "3" and result["description"] == "d"  # unset description left alone
    for key in ("flows", "properties", "responseTemplates", "resources", "labels", "id"):
        assert result[key] == original[key], key


def test_apply_adds_an_endpoint_group_when_the_console_removed_it():
    desired = api_model.desired_state(params())
    api = stored(desired, endpointGroups=[{"name": "kafka", "type": "kafka", "endpoints": []}])
    result = api_model.apply_desired(api, desired)
    assert [g["type"] for g in result["endpointGroups"]] == ["kafka", "mcp-proxy"]
    assert api_model.in_sync(desired, result)


def test_merge_resources_by_name_keeps_order_config_keys_and_unlisted():
    current = [{"name": "Cache", "type": "cache", "configuration": {"ttl": 1}, "enabled": True},
               {"name": "AM", "type": "oauth2-am-resource", "configuration": dict(AM_CONFIG, userClaim="email"),
                "enabled": True}]
    desired = [{"name": "New", "type": "oauth2-am-resource", "configuration": AM_CONFIG, "enabled": None},
               {"name": "AM", "type": "oauth2-am-resource", "configuration": {"clientId": "c2"}, "enabled": False}]
    merged = helpers.merge_resources(current, desired)
    assert [r["name"] for r in merged] == ["Cache", "AM", "New"]
    assert merged[1]["configuration"] == dict(AM_CONFIG, userClaim="email", clientId="c2")
    assert merged[1]["enabled"] is False and merged[2]["enabled"] is True
    assert [r["name"] for r in helpers.merge_resources(current, desired, purge=True)] == ["AM", "New"]
    assert helpers.merge_resources(current, None) == current
    # A type change replaces the configuration instead of mixing two plugins' keys.
    swapped = helpers.merge_resources(current, [{"name": "Cache", "type": "redis", "configuration": {"host": "r"}}])
    assert swapped[0] == {"name": "Cache", "type": "redis", "configuration": {"host": "r"}, "enabled": True}


def test_find_resource_by_name_and_type():
    api = {"resources": [{"name": "AM", "type": "cache"}, {"name": "AM", "type": helpers.AM_RESOURCE_TYPE}]}
    assert helpers.find_resource(api, "AM", helpers.AM_RESOURCE_TYPE) is api["resources"][1]
    assert helpers.find_resource(api, "AM") is api["resources"][0]
    assert helpers.find_resource(api, "other") is None and helpers.find_resource(None, "AM") is None


# --- paths, output, input -----------------------------------------------------------------

@pytest.mark.parametrize("first, second, overlap", [
    ("/a/", "/a/b/", True), ("/a/b", "/a", True), ("/a/", "/ab/", False), ("/mcp/", "/mcp-proxy/", False),
    ("/x", "/x/", True)])
def test_paths_overlap_like_apim(first, second, overlap):
    assert paths.paths_overlap(first, second) is overlap


def test_summary_with_entrypoint_url():
    api = stored(api_model.desired_state(params()))
    result = api_model.summary(api, "https://gw.example.com/")
    assert result["entrypoint_url"] == "https://gw.example.com/mcp-proxy/"
    assert (result["type"], result["state"], result["deployment_state"]) == ("mcp_proxy", "STOPPED", "NEED_REDEPLOY")
    assert "entrypoint_url" not in api_model.summary(api)


def test_secret_values_are_collected_from_nested_configurations():
    resources = [{"name": "AM", "configuration": {"clientSecret": "s1", "ssl": {"keyStore": {"password": "p2"}},
                                                  "clientId": "not-secret", "apiToken": 42, "enabled": True}}]
    assert sorted(helpers.secret_values(resources)) == ["42", "p2", "s1"]


@pytest.mark.parametrize("override, message", [
    ({"context_path": "/"}, "context_path must be a URL path"),
    ({"context_path": "/a b"}, "context_path must be a URL path"),
    ({"context_path": "/a?b"}, "context_path must be a URL path"),
    ({"upstream_url": "mcp:3001"}, "upstream_url must be an http:// or https:// URL"),
    ({"gateway_url": "ftp://gw"}, "gateway_url must be an http:// or https:// URL"),
    ({"api_version": ""}, "api_version must not be empty: give the version of the API, for example 1.0"),
    ({"resources": [{"name": "A", "configuration": {}}, {"name": "A", "configuration": {}}]},
     "resources lists the name(s) A more than once"),
])
def test_bad_values_are_refused_before_any_request(override, message):
    with pytest.raises(GraviteeError) as raised:
        api_model.validate_params(params(**override))
    assert message in str(raised.value)
    assert raised.value.kind == "usage"


def test_absent_needs_no_path_or_upstream():
    api_model.validate_params(params(state="absent", context_path=None, upstream_url=None))
