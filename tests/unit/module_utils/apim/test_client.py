"""APIM URL helpers and shared lookups."""

import pytest
import responses
from responses import matchers

from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim import client as _apim

from ..support import APIM_ENV


def test_bases_and_paths():
    assert _apim.apim_env_base("https://apim.example.com/", "DEFAULT", "DEFAULT") == (
        "https://apim.example.com/management/v2/organizations/DEFAULT/environments/DEFAULT")
    assert _apim.apim_org_base("https://h/prefix", "O") == "https://h/prefix/management/v2/organizations/O"
    assert _apim.api_path() == "apis" and _apim.api_path("a/1") == "apis/a%2F1"
    assert _apim.api_action_path("a1", "_start") == "apis/a1/_start"
    assert _apim.plans_path("a1") == "apis/a1/plans" and _apim.plans_path("a1", "p1") == "apis/a1/plans/p1"
    assert _apim.plan_action_path("a1", "p1", "_publish") == "apis/a1/plans/p1/_publish"
    assert _apim.plugin_path("resources", "oauth2-am-resource") == "plugins/resources/oauth2-am-resource"
    with pytest.raises(ValueError):
        _apim.plugin_path("reporters")


@responses.activate
def test_find_apis_by_exact_name_with_a_read_only_search(make_client):
    responses.add(responses.POST, APIM_ENV + "/apis/_search", json={
        "data": [{"id": "1", "name": "API MCP Proxy"}, {"id": "2", "name": "API MCP Proxy v2"},
                 {"id": "3", "name": "api mcp proxy"}],
        "pagination": {"page": 1, "perPage": 100, "pageCount": 1}},
        match=[matchers.json_params_matcher({"query": "API MCP Proxy", "apiTypes": ["MCP_PROXY"]}),
               matchers.query_param_matcher({"page": "1", "perPage": "100", "expands": "deploymentState"})])
    client = make_client(forbid_writes=True)
    assert [a["id"] for a in _apim.find_apis_by_name(client, "API MCP Proxy", ["MCP_PROXY"])] == ["1"]
    assert client.log.writes == 0


@responses.activate
def test_list_plans_asks_for_every_status(make_client):
    responses.add(responses.GET, APIM_ENV + "/apis/a1/plans", json={"data": [{"id": "p1"}], "pagination": {
        "pageCount": 1}}, match=[matchers.query_param_matcher({
            "statuses": "STAGING,PUBLISHED,DEPRECATED,CLOSED", "securities": "KEY_LESS", "page": "1",
            "perPage": "100"})])
    assert _apim.list_plans(make_client(), "a1", securities=["KEY_LESS"]) == [{"id": "p1"}]
