"""The upstream MCP server on its own: a real SDK server, no auth, with its DNS-rebinding guard on."""

import json

import httpx2

from tests.sandbox_tests.apim.gateway.helpers import (
    call_tool,
    initialize_body,
    open_session,
    post,
    rpc,
    rpc_result,
    tool_text,
)


def test_initialize_answers_with_server_info_and_a_session(sandbox):
    response = post(sandbox.urls["upstream_url"], initialize_body())

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["mcp-session-id"]
    result = rpc_result(response)["result"]
    assert result["serverInfo"]["name"] == "sandbox-upstream"
    assert "tools" in result["capabilities"]


def test_tools_list_and_calls(sandbox):
    url = sandbox.urls["upstream_url"]
    session_id = open_session(url)

    listed = rpc_result(post(url, rpc("tools/list", 2), session_id))["result"]
    assert {tool["name"] for tool in listed["tools"]} == {"echo", "add", "whoami", "countdown"}
    assert tool_text(call_tool(url, session_id, "echo", {"text": "hello"})) == "hello"
    assert tool_text(call_tool(url, session_id, "add", {"a": 2, "b": 40})) == "42"


def test_whoami_reports_authorization_without_echoing_it(sandbox):
    url = sandbox.urls["upstream_url"]
    session_id = open_session(url)

    seen = json.loads(tool_text(call_tool(url, session_id, "whoami", {},
                                          headers={"authorization": "Bearer abc"})))
    assert seen["authorization_present"] is True
    assert seen["authorization_scheme"] == "Bearer"
    assert "abc" not in json.dumps(seen)
    assert seen["mcp_session_id"] == session_id
    anonymous = json.loads(tool_text(call_tool(url, session_id, "whoami", {})))
    assert anonymous["authorization_present"] is False


def test_json_variant_answers_plain_json(sandbox):
    url = sandbox.urls["upstream_url"] + "-json"
    response = post(url, initialize_body())

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["result"]["serverInfo"]["name"] == "sandbox-upstream"


def test_trailing_slash_is_served_not_redirected(sandbox):
    response = post(sandbox.urls["upstream_url"] + "/", initialize_body())

    assert response.status_code == 200
    assert rpc_result(response)["result"]["protocolVersion"]


def test_dns_rebinding_guard_refuses_a_foreign_host(sandbox):
    response = post(sandbox.urls["upstream_url"], initialize_body(), headers={"host": "evil.example:80"})

    assert response.status_code == 421


def test_unknown_path_is_404(sandbox):
    response = httpx2.get(sandbox.urls["upstream_url"].rsplit("/", 1)[0] + "/nope")

    assert response.status_code == 404
