"""mcp_probe retries every network step on a transient failure (5xx, 429, no answer), bounded by
probe_retries/probe_delay, and retries the RFC 7592 cleanup on 404 (the AM gateway redeploying a domain does not
know the client)."""

import json

import pytest
import requests
import responses

from ansible_collections.gravitee_community.mcp.plugins.modules import mcp_probe
from tests.unit.module_utils.support import module_args
from tests.unit.modules.test_mcp_probe_module import AM_BASE, AM_DISCOVERY, ISSUER, PASSWORD, PRM_URL, URL, FakeStack

LOGIN = {"username": "alice", "password": PASSWORD}
ALL_OK = ["challenge", "resource_metadata", "resource", "authorization_server", "issuer", "registration_endpoint",
          "pkce", "bogus_token", "registration", "login", "initialize", "tools_list"]


@pytest.fixture
def run_module(capsys):
    def runner(**args):
        args.setdefault("url", URL)
        args.setdefault("probe_delay", 0)
        with module_args(args), pytest.raises(SystemExit) as exited:
            mcp_probe.main()
        return json.loads(capsys.readouterr().out), None, exited.value.code
    return runner


def calls(method, url):
    return [c for c in responses.calls if c.request.method == method and c.request.url.split("?")[0] == url]


@pytest.mark.parametrize("method, url, status", [
    ("GET", PRM_URL, 503),
    ("GET", AM_DISCOVERY, 502),
    ("POST", ISSUER + "/register", 503),
    ("GET", AM_BASE + "/login", 500),
    ("POST", AM_BASE + "/login", 500),
    ("POST", AM_BASE + "/oauth/token", 429),
    ("POST", URL, 503),
])
@responses.activate
def test_a_transient_failure_at_any_step_is_retried_and_the_probe_passes(run_module, method, url, status):
    # The failing answer is registered first: responses hands it out once, then the stack's own answer.
    responses.add(method, url, status=status, body="busy")
    FakeStack().install()

    result, _out, code = run_module(probe_retries=2, **LOGIN)

    assert code == 0, result["msg"]
    assert [c["name"] for c in result["checks"] if c["ok"]] == ALL_OK
    assert result["registration"]["deleted"] is True
    statuses = [c.response.status_code for c in calls(method, url)]
    assert status in statuses and statuses.index(status) < len(statuses) - 1


@responses.activate
def test_a_connection_error_on_a_discovery_read_is_retried(run_module):
    responses.add(responses.GET, AM_DISCOVERY, body=requests.exceptions.ConnectionError("reset by peer"))
    FakeStack().install()

    result, _out, code = run_module(probe_retries=1, checks=["authorization_server", "issuer"])

    assert code == 0, result["msg"]
    assert len(calls("GET", AM_DISCOVERY)) == 2


@responses.activate
def test_a_permanent_failure_still_fails_clearly_after_the_retries(run_module):
    for _ in range(3):
        responses.add(responses.POST, ISSUER + "/register", status=503, body="down")
    FakeStack().install()

    result, _out, code = run_module(probe_retries=2, register_client=True)

    registration = {c["name"]: c for c in result["checks"]}["registration"]
    assert code == 1 and result["failed_checks"] == ["registration"]
    assert len(calls("POST", ISSUER + "/register")) == 3
    assert registration["attempts"] == 3
    assert registration["got"].startswith("503: down (tried 3 times; the last transient failure: POST ")
    assert result["msg"].startswith("1 of 9 MCP checks failed. registration: expected 201")


@responses.activate
def test_retries_are_bounded_and_a_4xx_is_not_retried(run_module):
    for _ in range(5):
        responses.add(responses.GET, AM_DISCOVERY, status=503)
    responses.add(responses.POST, ISSUER + "/register", status=400,
                  json={"error": "invalid_redirect_uri", "error_description": "no"})
    FakeStack().install()

    result, _out, code = run_module(probe_retries=1, checks=["authorization_server"])
    assert code == 1 and len(calls("GET", AM_DISCOVERY)) == 2

    responses.calls.reset()
    result, _out, code = run_module(probe_retries=3, checks=["registration"])
    assert code == 1 and len(calls("POST", ISSUER + "/register")) == 1


@responses.activate
def test_the_cleanup_delete_is_retried_on_404_while_am_redeploys(run_module):
    responses.add(responses.DELETE, ISSUER + "/register/c-probe", status=404,
                  json={"error": "not_found", "error_description": "client not found"})
    FakeStack().install()

    result, _out, code = run_module(probe_retries=2, register_client=True)

    assert code == 0 and result["registration"]["deleted"] is True
    assert result["registration"]["cleanup"].endswith("/register/c-probe) after 2 tries")
    assert [c.response.status_code for c in calls("DELETE", ISSUER + "/register/c-probe")] == [404, 204]


@responses.activate
def test_the_cleanup_gives_up_after_the_retries_and_names_the_client(run_module):
    for _ in range(3):
        responses.add(responses.DELETE, ISSUER + "/register/c-probe", status=404)
    FakeStack().install()

    result, _out, code = run_module(probe_retries=2, register_client=True)

    assert code == 0 and result["registration"]["deleted"] is False
    cleanup = result["registration"]["cleanup"]
    assert cleanup.startswith("the RFC 7592 DELETE answered 404 after 3 tries (the AM gateway answers so while")
    assert "client 'gravitee-mcp-probe' (client_id c-probe) is left in AM" in cleanup
    assert "is left in AM" in json.dumps(result.get("warnings"))


@responses.activate
def test_a_transient_failure_then_a_real_refusal_reports_both(run_module):
    responses.add(responses.POST, ISSUER + "/register", status=503, body="busy")
    responses.add(responses.POST, ISSUER + "/register", status=400,
                  json={"error": "invalid_client_metadata", "error_description": "no"})
    FakeStack().install()

    result, _out, code = run_module(probe_retries=3, register_client=True)

    registration = {c["name"]: c for c in result["checks"]}["registration"]
    assert code == 1 and len(calls("POST", ISSUER + "/register")) == 2
    assert registration["got"].startswith("400: invalid_client_metadata: no (tried 2 times; the last transient "
                                          "failure: POST %s/register answered 503)" % ISSUER)
