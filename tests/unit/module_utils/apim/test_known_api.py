"""apim/known_api.py: what apim_api hands on (compact, without secrets) and the checks of the known_api option."""

import pytest

from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.api_model import in_sync, managed_view
from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.api_rollout import START_PENDING
from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.known_api import (
    KnownApi,
    compact_api,
    known_result,
    parse_known_api,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import GraviteeError

API = {"id": "a-1", "name": "API", "type": "MCP_PROXY", "apiVersion": "1.0", "description": "d", "labels": ["x"],
       "state": "STARTED", "deploymentState": "DEPLOYED", "deployedAt": "2026-01-01T00:00:00Z",
       "listeners": [{"type": "HTTP", "paths": [{"path": "/mcp/"}], "entrypoints": [
           {"type": "mcp-proxy", "configuration": {"token": "entrypoint-token-1"}}]}],
       "endpointGroups": [{"name": "g", "type": "mcp-proxy", "sharedConfiguration": {"headers": [{"value": "h-1"}]},
                           "endpoints": [{"name": "e", "type": "mcp-proxy",
                                          "configuration": {"target": "http://up/mcp", "password": "p-1"}}]}],
       "resources": [{"name": "AM", "type": "oauth2-am-resource", "enabled": True,
                      "configuration": {"clientId": "c", "clientSecret": "s-1", "nested": {"apiKey": "k-1"}}}],
       "properties": [{"key": START_PENDING, "value": "true"}, {"key": "other", "value": "v-1"}],
       "flows": [{"name": "f"}], "analytics": {"enabled": True}}
DESIRED = {"name": "API", "type": "MCP_PROXY", "context_path": "/mcp/", "upstream_url": "http://up/mcp",
           "description": None, "api_version": "1.0", "labels": None, "resources": None, "start_pending": True}


def test_the_compact_api_decides_as_the_whole_one_and_holds_no_secret_nor_configuration():
    compact = compact_api(API)
    assert managed_view(compact) == dict(managed_view(API), resources=[
        {"name": "AM", "type": "oauth2-am-resource", "enabled": True,
         "configuration": {"clientId": "c", "nested": {}}}])
    assert in_sync(DESIRED, compact) and in_sync(DESIRED, API)
    text = repr(compact)
    for value in ("s-1", "k-1", "p-1", "h-1", "entrypoint-token-1", "v-1", "'f'", "analytics"):
        assert value not in text
    assert compact["deployedAt"] == API["deployedAt"] and compact["state"] == "STARTED"


def test_known_result_holds_plans_without_secrets_and_none_for_an_absent_api():
    plans = [{"id": "p", "security": {"type": "JWT", "configuration": {"secret": "jwt-secret-1"}}}]
    assert known_result(None, []) == {"api": None, "plans": []}
    assert "jwt-secret-1" not in repr(known_result(API, plans)["plans"])


@pytest.mark.parametrize("value, params, words", [
    ("text", {"name": "API"}, "must be a dict"),
    ({"api": None}, {"name": "API"}, "exactly 'api'"),
    ({"api": [], "plans": []}, {"name": "API"}, "exactly 'api'"),
    ({"api": {"name": "API"}, "plans": []}, {"name": "API"}, "has no id"),
    ({"api": {"id": "a-1", "name": "Other"}, "plans": []}, {"name": "API"}, "name 'API'"),
    ({"api": {"id": "a-1", "name": "API"}, "plans": []}, {"name": "API", "api_id": "a-2"}, "api_id a-2"),
])
def test_bad_known_api_is_refused_naming_the_option(value, params, words):
    with pytest.raises(GraviteeError) as raised:
        parse_known_api(value, params)
    assert "known_api" in str(raised.value) and words in str(raised.value)


def test_good_known_api():
    assert parse_known_api(None, {"name": "API"}) is None
    assert parse_known_api({}, {"name": "API"}) == KnownApi(None, None)  # nothing known
    assert parse_known_api({"api": None, "plans": []}, {"name": "API"}) == KnownApi(None, [])  # read as absent
    known = parse_known_api({"api": {"id": "a-1", "name": "Renamed"}, "plans": []}, {"name": "API", "api_id": "a-1"})
    assert known.api["id"] == "a-1"
