"""Sandbox mAPI v2: listing and searching APIs, pagination envelope (ApisResource.java, openapi-apis.yaml)."""

import pytest

from tests.sandbox.apim.testkit import ApimClient


@pytest.fixture
def apim(sandbox):
    client = ApimClient(sandbox)
    client.create_api("Weather MCP", "/weather/", description="forecasts")
    client.create_api("API MCP Proxy", "/mcp-proxy/")
    client.create_api("API MCP Proxy v2", "/mcp-proxy-v2/")
    billing = client.get_api(client.create_api("Billing", "/billing/", api_type="PROXY")["id"])
    client.put_api({**billing, "labels": ["money"]})  # labels are not part of the create body
    return client


def _names(response):
    return [api["name"] for api in response["data"]]


def test_list_is_sorted_by_name_with_the_pagination_envelope(apim):
    page = apim.ok("GET", "/apis?page=1&perPage=3", 200)
    assert _names(page) == ["API MCP Proxy", "API MCP Proxy v2", "Billing"]
    assert page["pagination"] == {"page": 1, "perPage": 3, "pageCount": 2, "pageItemsCount": 3, "totalCount": 4}
    assert page["links"]["next"].endswith("/apis?page=2&perPage=3")
    assert "previous" not in page["links"]
    past = apim.ok("GET", "/apis?page=9&perPage=3", 200)
    assert past["data"] == [] and "links" not in past   # repository pagination: no error past the end
    single = apim.ok("GET", "/apis", 200)
    assert single["links"] == {"self": apim.base + "/apis"}


def test_search_query_matches_tokens_and_ranks_the_exact_name_first(apim):
    found = apim.ok("POST", "/apis/_search", 200, json={"query": "API MCP Proxy"})
    assert _names(found)[0] == "API MCP Proxy"
    assert set(_names(found)) == {"API MCP Proxy", "API MCP Proxy v2", "Weather MCP"}
    assert _names(apim.ok("POST", "/apis/_search", 200, json={"query": "FORECAST"})) == ["Weather MCP"]
    assert _names(apim.ok("POST", "/apis/_search", 200, json={"query": "billing/"})) == ["Billing"]
    assert _names(apim.ok("POST", "/apis/_search", 200, json={"query": "money"})) == ["Billing"]
    assert apim.ok("POST", "/apis/_search", 200, json={"query": "nothing-like-it"})["data"] == []


def test_api_types_filter_uses_the_index_values(apim):
    mcp = apim.ok("POST", "/apis/_search", 200, json={"apiTypes": ["V4_MCP_PROXY"]})
    assert len(mcp["data"]) == 3
    http = apim.ok("POST", "/apis/_search", 200, json={"apiTypes": ["V4_HTTP_PROXY"]})
    assert _names(http) == ["Billing"]
    # The bare API type "MCP_PROXY" is not an indexed value (the index stores V4_MCP_PROXY): Lucene finds nothing.
    assert apim.ok("POST", "/apis/_search", 200, json={"apiTypes": ["MCP_PROXY"]})["data"] == []


def test_ids_and_state_filters(apim):
    weather = apim.ok("POST", "/apis/_search", 200, json={"query": "Weather"})["data"][0]
    by_id = apim.ok("POST", "/apis/_search", 200, json={"ids": [weather["id"]], "query": "MCP"})
    assert _names(by_id) == ["Weather MCP"]
    assert apim.ok("POST", "/apis/_search", 200, json={"statuses": ["STARTED"]})["data"] == []
    assert len(apim.ok("POST", "/apis/_search", 200, json={"definitionVersions": ["V4"]})["data"]) == 4


def test_search_sort_and_its_validation(apim):
    by_name_desc = apim.ok("POST", "/apis/_search?sortBy=-name", 200, json={})
    assert _names(by_name_desc) == ["Weather MCP", "Billing", "API MCP Proxy v2", "API MCP Proxy"]
    invalid = apim.request("POST", "/apis/_search?sortBy=colour", json={})
    assert invalid.status_code == 400
    assert invalid.json() == {"httpStatus": 400, "message": "Invalid sortBy parameter: colour"}


def test_search_needs_a_body(apim):
    response = apim.request("POST", "/apis/_search")
    assert response.status_code == 400 and response.json()["message"] == "Validation error"
