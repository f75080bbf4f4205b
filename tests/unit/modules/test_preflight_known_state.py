"""The preflight's return_known_state, api_id and known_domain (issue 14): what it read handed on to the later
tasks (the API without secret values and its plans, the domain), and what an earlier read spares it."""

import json

import pytest
import responses

from ansible_collections.gravitee_community.mcp.plugins.modules import preflight
from tests.unit.module_utils.support import AM, AM_ENV, AM_TOKEN_URL, APIM, APIM_ENV, module_args

DOMAIN = {"id": "d-1", "hrid": "mcp", "name": "mcp", "path": "/mcp", "enabled": True}
SECRET = "stored-resource-secret-7301"
API = {"id": "api-1", "name": "API MCP Proxy", "type": "MCP_PROXY", "state": "STARTED", "deploymentState": "DEPLOYED",
       "listeners": [{"type": "HTTP", "paths": [{"path": "/mcp-proxy/"}], "entrypoints": [{"type": "mcp-proxy"}]}],
       "endpointGroups": [{"name": "g", "type": "mcp-proxy", "endpoints": [
           {"name": "e", "type": "mcp-proxy", "configuration": {"target": "http://up/mcp"},
            "sharedConfigurationOverride": {"headers": [{"name": "X-Upstream-Key", "value": "upstream-key-99"}]}}]}],
       "resources": [{"name": "AM OAuth2 Resource", "type": "oauth2-am-resource", "enabled": True,
                      "configuration": {"clientId": "c-1", "clientSecret": SECRET, "serverURL": "http://am"}}],
       "flows": [{"name": "console flow"}], "analytics": {"enabled": True}}
PLANS = {"data": [{"id": "p-1", "name": "OAuth2", "status": "PUBLISHED", "security": {"type": "OAUTH2"}}],
         "pagination": {"page": 1, "perPage": 100, "pageCount": 1, "totalCount": 1}}
EMPTY = {"data": [], "pagination": {"page": 1, "perPage": 100, "pageCount": 0, "totalCount": 0}}
BASE = {"apim_url": APIM, "apim_token": "apim-pat-1", "am_url": AM, "am_token": "am-pat-1", "api_name": "API MCP Proxy",
        "domain": "mcp", "resource_identifier": "https://gw.example.com/mcp/", "context_path": "/mcp-proxy"}


@pytest.fixture
def run_module(capsys):
    def runner(args):
        with module_args(dict(BASE, **args)), pytest.raises(SystemExit) as exited:
            preflight.main()
        return json.loads(capsys.readouterr().out), exited.value.code
    return runner


def mock_apim(found=True):
    responses.add(responses.GET, APIM_ENV, json={"id": "DEFAULT", "name": "Default"})
    responses.add(responses.POST, APIM_ENV + "/apis/_search", json=dict(EMPTY, data=[API] if found else []))
    responses.add(responses.GET, APIM_ENV + "/apis/api-1", json=API)
    responses.add(responses.GET, APIM_ENV + "/apis/api-1/plans", json=PLANS)
    responses.add(responses.GET, APIM_ENV + "/apis", json=EMPTY)


def mock_am():
    responses.add(responses.GET, AM_ENV + "/domains/_hrid/mcp", json=DOMAIN)
    responses.add(responses.GET, AM_ENV + "/domains/d-1/protected-resources", json={"data": [], "totalCount": 0})


def calls():
    return [(c.request.method, c.request.url.split("?")[0]) for c in responses.calls]


@responses.activate
def test_known_state_is_the_api_without_secrets_its_plans_and_the_domain(run_module):
    mock_apim()
    mock_am()
    out, code = run_module({"checks": ["apim", "am", "context_path"], "return_known_state": True})
    assert code == 0, out
    known = out["known_api"]
    assert known["api"]["id"] == "api-1" and [p["id"] for p in known["plans"]] == ["p-1"]
    text = json.dumps(known)
    assert SECRET not in text and "upstream-key-99" not in text and "console flow" not in text
    assert known["api"]["resources"][0]["configuration"] == {"clientId": "c-1", "serverURL": "http://am"}
    assert out["known_domain"] == DOMAIN
    assert (responses.GET, APIM_ENV + "/apis/api-1/plans") in calls()


@responses.activate
def test_without_return_known_state_nothing_more_is_read_or_returned(run_module):
    mock_apim()
    mock_am()
    out, code = run_module({"checks": ["apim", "am", "context_path"]})
    assert code == 0 and "known_api" not in out and "known_domain" not in out
    assert (responses.GET, APIM_ENV + "/apis/api-1/plans") not in calls()


@responses.activate
def test_an_absent_api_is_known_as_null_and_every_api_is_listed_once(run_module):
    mock_apim(found=False)
    mock_am()
    out, code = run_module({"checks": ["apim", "am", "context_path"], "return_known_state": True})
    assert code == 0, out
    assert out["known_api"] == {"api": None, "plans": []}
    # The name's fallback and the context path check share one list of every API.
    assert calls().count((responses.GET, APIM_ENV + "/apis")) == 1


@responses.activate
def test_api_id_reads_the_api_by_id_and_known_domain_spares_the_domain_read(run_module):
    mock_apim()
    mock_am()
    out, code = run_module({"checks": ["apim", "am"], "api_id": "api-1", "known_domain": DOMAIN})
    assert code == 0, out
    assert out["api"]["id"] == "api-1" and out["am"]["domain"]["id"] == "d-1"
    assert (responses.POST, APIM_ENV + "/apis/_search") not in calls()
    assert (responses.GET, AM_ENV + "/domains/_hrid/mcp") not in calls()


@responses.activate
def test_a_known_domain_of_another_domain_fails_naming_the_option(run_module):
    mock_apim()
    mock_am()
    out, code = run_module({"checks": ["am"], "known_domain": dict(DOMAIN, id="d-2", hrid="other", name="other")})
    assert code == 1 and "known_domain" in out["msg"]
    assert [c for c in calls() if c[1].startswith(AM)] == []
    assert AM_TOKEN_URL not in json.dumps(calls())
