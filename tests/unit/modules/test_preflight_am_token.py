"""The preflight's return_am_access_token: the AM token it logged in for, handed on to the play's later AM tasks so
that a play logs in once (issue 14); never a token the task was given, never without being asked."""

import json

import pytest
import responses

from ansible_collections.gravitee_community.mcp.plugins.modules import preflight
from tests.unit.module_utils.support import AM, AM_ENV, AM_TOKEN_URL, APIM, APIM_ENV, module_args

JWT = "jwt.preflight.login-8841"
DOMAIN = {"id": "d-1", "hrid": "mcp", "name": "mcp", "path": "/mcp", "enabled": True}
BASE = {"apim_url": APIM, "apim_token": "apim-pat-1", "am_url": AM, "api_name": "API MCP Proxy",
        "domain": "mcp", "resource_identifier": "https://gw.example.com/mcp/", "checks": ["am"]}
LOGIN = {"am_username": "admin", "am_password": "am-pass-4242"}


@pytest.fixture
def run_module(capsys):
    def runner(args):
        with module_args(dict(BASE, **args)), pytest.raises(SystemExit):
            preflight.main()
        return json.loads(capsys.readouterr().out)
    return runner


def mock_am():
    responses.add(responses.POST, AM_TOKEN_URL, json={"access_token": JWT})
    responses.add(responses.GET, AM_ENV + "/domains/_hrid/mcp", json=DOMAIN)
    responses.add(responses.GET, AM_ENV + "/domains/d-1/protected-resources",
                  json={"data": [], "currentPage": 0, "totalCount": 0})


def exchanges():
    return sum(1 for c in responses.calls if c.request.url.startswith(AM_TOKEN_URL))


@responses.activate
def test_the_token_it_logged_in_for_is_returned_when_asked(run_module):
    mock_am()
    out = run_module(dict(LOGIN, return_am_access_token=True))
    assert out["am_access_token"] == JWT and exchanges() == 1
    # What the next task needs instead of a lookup: the domain id and its gateway path.
    assert out["am"]["domain"]["id"] == "d-1" and out["am"]["security_domain"] == "mcp"


@responses.activate
def test_no_token_is_returned_unless_asked(run_module):
    mock_am()
    out = run_module(LOGIN)
    assert "am_access_token" not in out and JWT not in json.dumps(out)


@responses.activate
def test_asked_without_an_am_check_it_logs_in_without_another_request(run_module):
    mock_am()
    empty = {"data": [], "pagination": {"page": 1, "perPage": 100, "pageCount": 0, "totalCount": 0}}
    responses.add(responses.GET, APIM_ENV, json={"id": "DEFAULT", "name": "Default"})
    responses.add(responses.POST, APIM_ENV + "/apis/_search", json=empty)
    responses.add(responses.GET, APIM_ENV + "/apis", json=empty)
    out = run_module(dict(LOGIN, checks=["apim"], return_am_access_token=True))
    assert out["am_access_token"] == JWT
    assert [c.request.method for c in responses.calls if c.request.url.startswith(AM)] == ["POST"]


@pytest.mark.parametrize("given", [{"am_token": "am-pat-77"}, dict(LOGIN, am_access_token="handed.jwt-55")],
                         ids=["am_token", "am_access_token"])
@responses.activate
def test_a_task_given_a_token_returns_none_and_does_not_log_in(run_module, given):
    mock_am()
    out = run_module(dict(given, return_am_access_token=True))
    assert out["changed"] is False and "am_access_token" not in out
    assert exchanges() == 0
    for value in given.values():
        assert value not in json.dumps(out)
