"""am_mcp_server with what the play hands on (issue 14): the AM token of an earlier login (am_access_token) and the
domain's id (domain_id), so that the task neither logs in nor looks the domain up; and no read after its create."""

import json

import pytest
import responses
from responses import matchers

from ansible_collections.gravitee_community.mcp.plugins.modules import am_mcp_server
from tests.unit.module_utils.support import AM, AM_ENV, AM_TOKEN_URL, module_args

HANDED = "handed.session.jwt-4711"
D = AM_ENV + "/domains/d-1"
PR = D + "/protected-resources"
URL = "https://gw.example.com/weather"
LIST_QUERY = {"type": "MCP_SERVER", "page": "0", "size": "50"}


@pytest.fixture
def run_module(capsys):
    def runner(args):
        base = {"am_url": AM, "am_access_token": HANDED, "domain": "mcp", "name": "Weather",
                "resource_identifier": [URL], "_ansible_diff": True}
        with module_args(dict(base, **args)), pytest.raises(SystemExit):
            am_mcp_server.main()
        return json.loads(capsys.readouterr().out)
    return runner


def calls():
    return [(c.request.method, c.request.url.split("?")[0].replace(AM_ENV, "")) for c in responses.calls]


def list_servers(servers=(), status=200, body=None):
    handed = matchers.header_matcher({"Authorization": "Bearer " + HANDED})
    responses.add(responses.GET, PR, status=status, match=[matchers.query_param_matcher(LIST_QUERY), handed],
                  json=body if body is not None else {"data": list(servers), "currentPage": 0,
                                                      "totalCount": len(servers)})


@responses.activate
def test_a_rerun_with_the_handed_token_and_domain_id_reads_the_server_list_only(run_module):
    list_servers([{"id": "r-1", "clientId": "cid-1", "name": "Weather", "type": "mcp_server",
                   "resourceIdentifiers": [URL]}])
    out = run_module({"domain_id": "d-1"})
    assert out["changed"] is False and out["mcp_server"]["id"] == "r-1"
    assert calls() == [("GET", "/domains/d-1/protected-resources")]  # no login, no domain lookup
    # The domain was not read, so its gateway path is not known: not returned rather than guessed.
    assert "security_domain" not in out
    assert HANDED not in json.dumps(out)


@responses.activate
def test_a_create_is_not_read_back_the_answer_and_the_options_make_the_view(run_module):
    list_servers()
    responses.add(responses.POST, PR, status=201,
                  json={"id": "r-9", "name": "Weather", "clientId": "gen-id", "clientSecret": "gen-secret-77"})
    out = run_module({"domain_id": "d-1", "name": " Weather ", "description": "Forecasts ",
                      "tools": [{"name": "forecast", "scopes": []}]})
    assert calls() == [("GET", "/domains/d-1/protected-resources"), ("POST", "/domains/d-1/protected-resources")]
    assert out["changed"] is True and out["client_secret"] == "gen-secret-77"
    assert out["mcp_server"] == {"id": "r-9", "name": "Weather", "description": "Forecasts", "client_id": "gen-id",
                                 "resource_identifiers": [URL],
                                 "tools": [{"name": "forecast", "description": None, "scopes": []}]}


@responses.activate
def test_an_unknown_domain_id_fails_naming_the_option_before_any_write(run_module):
    list_servers(status=404, body={"message": "Domain [d-1] can not be found.", "http_status": 404})
    out = run_module({"domain_id": "d-1"})
    assert out["failed"] is True
    assert "domain_id 'd-1' is not the id of an AM domain" in out["msg"]
    assert "leave it out to look the domain up" in out["msg"]
    assert calls() == [("GET", "/domains/d-1/protected-resources")]


@responses.activate
def test_an_expired_handed_token_is_renewed_with_the_login_once(run_module):
    responses.add(responses.GET, PR, status=401, json={"message": "Unauthorized"},
                  match=[matchers.header_matcher({"Authorization": "Bearer " + HANDED})])
    responses.add(responses.POST, AM_TOKEN_URL, json={"access_token": "fresh.jwt"})
    responses.add(responses.GET, PR, json={"data": [], "currentPage": 0, "totalCount": 0},
                  match=[matchers.header_matcher({"Authorization": "Bearer fresh.jwt"})])
    out = run_module({"domain_id": "d-1", "am_username": "admin", "am_password": "am-pass-4242", "state": "absent"})
    assert out["changed"] is False, out
    assert [c[0] for c in calls()] == ["GET", "POST", "GET"]
    assert "fresh.jwt" not in json.dumps(out) and HANDED not in json.dumps(out)


@responses.activate
def test_an_expired_handed_token_without_login_fails_naming_am_access_token(run_module):
    responses.add(responses.GET, PR, status=401, json={"message": "Unauthorized"})
    out = run_module({"domain_id": "d-1"})
    assert out["failed"] is True and "Check am_access_token (GRAVITEE_AM_ACCESS_TOKEN)" in out["msg"]
    assert HANDED not in json.dumps(out)
    assert len(responses.calls) == 1
