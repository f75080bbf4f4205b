"""Sandbox mAPI v2: POST /apis (ApisResource.java)."""

import pytest

from tests.sandbox.apim.testkit import ApimClient, api_body


def _body(sandbox, **extra):
    return api_body("API MCP Proxy", "/mcp-proxy/", sandbox.urls["upstream_url"], **extra)


def test_new_api_is_stopped_created_private_with_location_and_etag(sandbox):
    apim = ApimClient(sandbox)
    response = apim.request("POST", "/apis", json=_body(sandbox))
    assert response.status_code == 201
    api = response.json()
    assert response.headers["location"] == f"{apim.base}/apis/{api['id']}"
    assert "etag" not in response.headers  # only GET/PUT/start/stop/deploy answers carry it
    assert (api["state"], api["lifecycleState"], api["visibility"]) == ("STOPPED", "CREATED", "PRIVATE")
    assert api["definitionVersion"] == "V4" and api["type"] == "MCP_PROXY"
    # Nothing was ever deployed: isSynchronized finds no event, so NEED_REDEPLOY.
    assert api["deploymentState"] == "NEED_REDEPLOY"
    assert apim.served(api["id"]) is None
    assert apim.ok("GET", f"/apis/{api['id']}/plans?statuses=STAGING,PUBLISHED,DEPRECATED,CLOSED", 200)["data"] == []


@pytest.mark.parametrize("sent, stored", [
    ("mcp-proxy", "/mcp-proxy/"), ("/mcp-proxy", "/mcp-proxy/"), ("mcp-proxy/", "/mcp-proxy/"),
    ("//a//b", "/a/b/"), ("", "/"),
])
def test_listener_paths_are_normalised(sandbox, sent, stored):
    body = _body(sandbox)
    body["listeners"][0]["paths"] = [{"path": sent}]
    api = ApimClient(sandbox).ok("POST", "/apis", 201, json=body)
    assert api["listeners"][0]["paths"] == [{"path": stored, "overrideAccess": False}]


def test_unknown_properties_and_non_create_fields_are_ignored(sandbox):
    body = _body(sandbox, resources=[{"name": "r", "type": "oauth2-am-resource", "configuration": {}}],
                 properties=[{"key": "k", "value": "v"}], services={"dynamicProperty": {}}, colour="blue",
                 state="STARTED", id="my-own-id")
    body["listeners"][0]["extra"] = True
    api = ApimClient(sandbox).ok("POST", "/apis", 201, json=body)
    assert api["resources"] == [] and api["properties"] == []
    assert "colour" not in api and "services" not in api and "extra" not in api["listeners"][0]
    assert api["state"] == "STOPPED" and api["id"] != "my-own-id"


def test_missing_required_fields_give_one_validation_error_with_details(sandbox):
    body = _body(sandbox)
    del body["name"]
    body["apiVersion"] = ""
    body["endpointGroups"] = []
    response = ApimClient(sandbox).request("POST", "/apis", json=body)
    assert response.status_code == 400
    error = response.json()
    assert error["message"] == "Validation error" and error["httpStatus"] == 400
    locations = {(d["location"], d["message"]) for d in error["details"]}
    assert locations == {("name", "must not be null"), ("apiVersion", "size must be between 1 and 2147483647"),
                         ("endpointGroups", "size must be between 1 and 2147483647")}


def test_enums_are_case_sensitive(sandbox):
    response = ApimClient(sandbox).request("POST", "/apis", json=_body(sandbox, type="mcp_proxy"))
    assert response.status_code == 400
    assert response.json() == {"httpStatus": 400, "message": "Unexpected value 'mcp_proxy'",
                               "technicalCode": "invalidValue",
                               "details": [{"message": "Unexpected value 'mcp_proxy'", "location": "type"}]}


def test_context_path_used_by_another_api_is_400_naming_the_path(sandbox):
    apim = ApimClient(sandbox)
    apim.create_api("First", "/mcp-proxy/")
    for clashing in ("/mcp-proxy", "/mcp-proxy/sub/", "/"):
        body = _body(sandbox)
        body["listeners"][0]["paths"] = [{"path": clashing}]
        response = apim.request("POST", "/apis", json=body)
        assert response.status_code == 400, clashing
        assert response.json() == {"httpStatus": 400, "message": "Path [/mcp-proxy/] already exists",
                                   "parameters": {}}
    body = _body(sandbox)
    body["listeners"][0]["paths"] = [{"path": "/mcp-proxy-2/"}]
    assert apim.request("POST", "/apis", json=body).status_code == 201


def test_duplicated_and_invalid_paths_are_refused(sandbox):
    apim = ApimClient(sandbox)
    body = _body(sandbox)
    body["listeners"][0]["paths"] = [{"path": "/a"}, {"path": "/a/"}]
    assert apim.request("POST", "/apis", json=body).json()["message"] == "Path [/a/] is duplicated"
    body["listeners"][0]["paths"] = [{"path": "/a b"}]
    assert apim.request("POST", "/apis", json=body).json()["message"] == "Path [/a b] is invalid"


def test_mcp_proxy_is_refused_without_the_enterprise_plugin(sandbox):
    sandbox.config.apim_edition = "ce"
    response = ApimClient(sandbox).request("POST", "/apis", json=_body(sandbox))
    assert response.status_code == 404
    assert response.json() == {"httpStatus": 404, "message": "Plugin [mcp-proxy] cannot be found.",
                               "technicalCode": "plugin.notFound", "parameters": {"plugin": "mcp-proxy"}}
    proxy = ApimClient(sandbox).request("POST", "/apis", json=_body(sandbox, type="PROXY"))
    assert proxy.status_code == 404  # the body still names mcp-proxy connectors
    assert ApimClient(sandbox).create_api(api_type="PROXY")["type"] == "PROXY"


def test_mcp_proxy_type_does_not_exist_before_4_10(sandbox):
    sandbox.config.apim_version = "4.9.6"
    response = ApimClient(sandbox).request("POST", "/apis", json=_body(sandbox))
    assert response.status_code == 400
    assert response.json()["message"] == "Unexpected value 'MCP_PROXY'"
    assert response.json()["technicalCode"] == "invalidValue"


def test_mcp_proxy_is_accepted_on_ee_from_4_10(sandbox):
    sandbox.config.apim_version = "4.10.0"
    assert ApimClient(sandbox).create_api()["type"] == "MCP_PROXY"


def test_endpoint_group_must_serve_the_api_type(sandbox):
    body = _body(sandbox, type="PROXY")
    body["listeners"][0]["entrypoints"][0]["type"] = "http-proxy"
    response = ApimClient(sandbox).request("POST", "/apis", json=body)
    assert response.status_code == 400
    assert response.json() == {"httpStatus": 400, "message": "The endpoint group type [mcp-proxy] is invalid.",
                               "technicalCode": "api.endpointsGroup.type.invalid",
                               "parameters": {"api.endpointsGroup[].type": "mcp-proxy"}}


def test_endpoint_configuration_is_validated_against_the_connector(sandbox):
    body = _body(sandbox)
    body["endpointGroups"][0]["endpoints"][0]["configuration"] = '{"url": "http://nowhere"}'
    response = ApimClient(sandbox).request("POST", "/apis", json=body)
    assert response.status_code == 400
    assert response.json() == {"httpStatus": 400, "message": "#: required key [target] not found",
                               "technicalCode": "data.invalid"}


def test_configuration_sent_as_a_string_comes_back_as_an_object(sandbox):
    body = _body(sandbox)
    body["endpointGroups"][0]["endpoints"][0]["configuration"] = '{"target": "http://up/mcp"}'
    api = ApimClient(sandbox).ok("POST", "/apis", 201, json=body)
    assert api["endpointGroups"][0]["endpoints"][0]["configuration"] == {"target": "http://up/mcp"}


def test_http_selectors_are_refused_on_an_mcp_proxy_api(sandbox):
    flows = [{"name": "tools", "selectors": [{"type": "HTTP", "path": "/", "pathOperator": "STARTS_WITH"}]}]
    response = ApimClient(sandbox).request("POST", "/apis", json=_body(sandbox, flows=flows))
    assert response.status_code == 400
    assert response.json()["message"] == "The flow [tools] contains selectors that couldn't apply to mcp-proxy API"
    mcp_flows = [{"name": "tools", "selectors": [{"type": "MCP", "methods": ["tools/call"]}]}]
    assert ApimClient(sandbox).ok("POST", "/apis", 201, json=_body(sandbox, flows=mcp_flows))["flows"][0]["enabled"]
