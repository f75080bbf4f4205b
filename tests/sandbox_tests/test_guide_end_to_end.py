"""Proof that the sandbox is realistic: the guide by plain HTTP, then a client nobody here wrote."""

import json

import pytest

from tests.support import guide_http
from tests.support.headless_browser import LoginFailed
from tests.support.mcp_client import oauth_session, open_session, run


def _sse_or_json(response):
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        data = [line[5:].strip() for line in response.text.splitlines() if line.startswith("data:")]
        return json.loads(data[-1])
    return response.json()


def test_guide_sequence_by_plain_http(sandbox):
    outcome = guide_http.secure_by_hand(sandbox.urls, sandbox.seed)

    opened = outcome["open_answer"]
    assert opened.status_code == 200, opened.text
    assert _sse_or_json(opened)["result"]["serverInfo"]["name"]

    closed = outcome["closed_answer"]
    assert closed.status_code == 401
    challenge = closed.headers["www-authenticate"]
    assert challenge.startswith("Bearer ")
    assert 'resource_metadata="' + sandbox.urls["apim_gateway_url"] + "/.well-known/oauth-protected-resource" \
        in challenge


def test_open_phase_lists_tools_through_the_gateway(sandbox):
    urls, seed = sandbox.urls, sandbox.seed
    apim = guide_http.Apim(urls["apim_url"], seed["apim_username"], seed["apim_password"])
    api = apim.create_api("Open MCP", "/open-mcp/", urls["upstream_url"])
    apim.create_published_plan(api["id"], "Keyless", "KEY_LESS", {})
    apim.call("POST", f"/apis/{api['id']}/_start", 204)
    mcp_url = urls["apim_gateway_url"] + "/open-mcp/"
    assert guide_http.wait_for_status(mcp_url, 200).status_code == 200

    outcome = run(open_session(mcp_url, "echo", {"text": "hi"}))

    assert "echo" in outcome["tools"]
    assert outcome["call"] and "hi" in outcome["call"][0]


def test_official_sdk_oauth_client_logs_in_and_calls_a_tool(sandbox):
    outcome = guide_http.secure_by_hand(sandbox.urls, sandbox.seed)
    mcp_url = outcome["mcp_url"]

    result = run(oauth_session(mcp_url, sandbox.seed["am_user"], sandbox.seed["am_user_password"],
                               "echo", {"text": "secured"}))

    assert "echo" in result["tools"]
    assert result["call"] and "secured" in result["call"][0]
    assert result["client_id"], "the client registered itself through DCR"
    assert any(step[0] == "POST" for step in result["login_steps"]), "a login form was submitted"
    # The token works; no token still does not.
    assert guide_http.mcp_initialize(mcp_url, result["token"]).status_code == 200
    assert guide_http.mcp_initialize(mcp_url).status_code == 401


def _leaf_errors(error):
    if hasattr(error, "exceptions"):  # an exception group
        return [leaf for inner in error.exceptions for leaf in _leaf_errors(inner)]
    return [error]


def test_sdk_client_with_wrong_password_gets_no_token(sandbox):
    outcome = guide_http.secure_by_hand(sandbox.urls, sandbox.seed)
    with pytest.raises(BaseException) as raised:  # noqa: B017 - anyio wraps it in exception groups
        run(oauth_session(outcome["mcp_url"], sandbox.seed["am_user"], "wrong-password", "echo", {"text": "x"}))
    failures = [e for e in _leaf_errors(raised.value) if isinstance(e, LoginFailed)]
    assert failures and "login_failed" in str(failures[0])
