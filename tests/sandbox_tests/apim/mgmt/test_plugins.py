"""Sandbox mAPI v2: the organisation plugin catalogue (openapi-plugins.yaml)."""

import pytest

from tests.sandbox.apim.testkit import ApimClient


def _plugins(sandbox, path):
    apim = ApimClient(sandbox, org_prefix=True)
    return apim.request("GET", apim.root + "/plugins" + path)


def _ids(sandbox, kind):
    response = _plugins(sandbox, "/" + kind)
    assert response.status_code == 200
    return [plugin["id"] for plugin in response.json()]


def test_enterprise_catalogue_has_the_mcp_proxy_connectors(sandbox):
    assert _ids(sandbox, "entrypoints") == ["http-proxy", "mcp-proxy"]
    assert _ids(sandbox, "endpoints") == ["http-proxy", "mcp-proxy"]
    assert _ids(sandbox, "resources") == ["oauth2-am-resource"]
    assert {"key-less", "oauth2"} <= set(_ids(sandbox, "policies"))
    endpoint = _plugins(sandbox, "/endpoints/mcp-proxy").json()
    assert endpoint["supportedApiType"] == "MCP_PROXY" and endpoint["deployed"] is True


@pytest.mark.parametrize("edition, version", [("ce", "4.12.17"), ("ee", "4.9.6")])
def test_no_mcp_proxy_on_community_edition_or_before_4_10(sandbox, edition, version):
    sandbox.config.apim_edition = edition
    sandbox.config.apim_version = version
    assert _ids(sandbox, "entrypoints") == ["http-proxy"]
    missing = _plugins(sandbox, "/endpoints/mcp-proxy/schema")
    assert missing.status_code == 404
    assert missing.json() == {"httpStatus": 404, "message": "Plugin [mcp-proxy] cannot be found.",
                              "technicalCode": "plugin.notFound", "parameters": {"plugin": "mcp-proxy"}}


def test_am_resource_schema_follows_the_bundled_plugin(sandbox):
    schema = _plugins(sandbox, "/resources/oauth2-am-resource/schema").json()
    assert schema["required"] == ["serverURL", "version", "securityDomain", "clientId", "clientSecret"]
    assert schema["properties"]["version"]["default"] == "V3_X" and "proxy" in schema["properties"]
    sandbox.config.apim_version = "4.9.6"
    old = _plugins(sandbox, "/resources/oauth2-am-resource/schema").json()
    assert "useSystemProxy" in old["properties"] and "proxy" not in old["properties"]
    assert _plugins(sandbox, "/resources/oauth2-am-resource").json()["version"] == "3.0.0"


@pytest.mark.parametrize("version, has_flag", [("4.10.0", True), ("4.10.11", True), ("4.10.12", False),
                                               ("4.12.17", False)])
def test_oauth2_policy_schema_has_www_authenticate_flag_only_on_early_4_10(sandbox, version, has_flag):
    sandbox.config.apim_version = version
    schema = _plugins(sandbox, "/policies/oauth2/schema").json()
    assert ("addWwwAuthenticateHeader" in schema["properties"]) is has_flag
    assert schema["required"] == ["oauthResource"] and schema["additionalProperties"] is False


def test_oauth2_plan_validation_follows_the_policy_version(sandbox):
    # On 4.10.0-4.10.11 the flag is part of the schema: a wrong type is an error there, ignored elsewhere.
    apim = ApimClient(sandbox)
    api = apim.create_api()
    body = {"definitionVersion": "V4", "name": "OAuth2",
            "security": {"type": "OAUTH2", "configuration": {"oauthResource": "AM", "addWwwAuthenticateHeader": 1}}}
    assert apim.request("POST", f"/apis/{api['id']}/plans", json=body).status_code == 201
    sandbox.config.apim_version = "4.10.5"
    rejected = apim.request("POST", f"/apis/{api['id']}/plans", json=body)
    assert rejected.status_code == 400
    assert rejected.json()["message"] == "#/addWwwAuthenticateHeader: expected type: Boolean, found: Integer"


def test_unknown_plugin_is_404_and_endpoints_have_a_shared_schema(sandbox):
    assert _plugins(sandbox, "/policies/rate-limit").status_code == 404
    assert _plugins(sandbox, "/endpoints/http-proxy/shared-configuration-schema").json()["type"] == "object"


def test_resource_plugins_outside_the_organisation_form(sandbox):
    # Measured on APIM CE 4.10.9: the v2 list without /organizations/{orgId} fails with an empty 500, while the
    # environment-level v1 list names the AM resource plugin.
    sandbox.config.apim_edition, sandbox.config.apim_version = "ce", "4.10.9"
    apim = ApimClient(sandbox)
    broken = apim.request("GET", sandbox.urls["apim_url"] + "/management/v2/plugins/resources")
    assert (broken.status_code, broken.content) == (500, b"")
    v1 = apim.request("GET", sandbox.urls["apim_url"]
                      + "/management/organizations/DEFAULT/environments/DEFAULT/resources")
    assert v1.status_code == 200
    assert [(p["id"], p["version"]) for p in v1.json()] == [("oauth2-am-resource", "4.0.0")]
    unknown_env = apim.request("GET", sandbox.urls["apim_url"] + "/management/organizations/DEFAULT/environments/"
                               "nope/resources")
    assert unknown_env.status_code == 404
    # The organisation form, which apim_api uses for the resource schema, works.
    assert _plugins(sandbox, "/resources/oauth2-am-resource/schema").status_code == 200
