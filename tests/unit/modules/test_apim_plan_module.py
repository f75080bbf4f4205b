"""apim_plan against a mocked APIM (responses): request sequences, payload mapping, error messages, masking."""

import json

import pytest
import responses
from responses import matchers

from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.plan_flow import explain_plan_error
from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.plan_model import desired_plan
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import GraviteeError
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.scrub import MASK
from ansible_collections.gravitee_community.mcp.plugins.modules import apim_plan
from tests.unit.module_utils.support import APIM, APIM_ENV, module_args

API = APIM_ENV + "/apis/a1"
PLANS = API + "/plans"
CONN = {"apim_url": APIM, "apim_token": "apim-pat-0042", "retries": 0}
SECRET = "introspection-secret-77"
RESOURCE = {"name": "AM", "type": "oauth2-am-resource", "enabled": True,
            "configuration": {"serverURL": "https://am", "securityDomain": "d", "clientId": "c",
                              "clientSecret": SECRET, "version": "V3_X"}}


def api_body(state="STARTED", deployment="DEPLOYED"):
    return {"id": "a1", "name": "MCP", "type": "MCP_PROXY", "state": state, "deploymentState": deployment,
            "resources": [RESOURCE]}


def page(items):
    return {"data": items, "pagination": {"page": 1, "perPage": 100, "pageCount": 1, "totalCount": len(items)}}


def stored_plan(plan_id="p1", status="PUBLISHED", security="OAUTH2", config=None, **extra):
    plan = {"id": plan_id, "name": "OAuth2", "apiId": "a1", "status": status, "mode": "STANDARD",
            "validation": "AUTO", "definitionVersion": "V4", "flows": [], "order": 1,
            "security": {"type": security, "configuration": config if config is not None else {"oauthResource": "AM"}}}
    plan.update(extra)
    return plan


def mock_reads(plans, api=None):
    responses.add(responses.POST, APIM_ENV + "/apis/_search",
                  json=page([{"id": "a1", "name": "MCP"}, {"id": "a2", "name": "MCP v2"}]))
    responses.add(responses.GET, API, json=api or api_body())
    responses.add(responses.GET, PLANS, json=page(plans),
                  match=[matchers.query_param_matcher({"statuses": "STAGING,PUBLISHED,DEPRECATED,CLOSED",
                                                       "page": "1", "perPage": "100"})])


@pytest.fixture
def run_module(capsys):
    def runner(**args):
        with module_args(dict(CONN, **args)), pytest.raises(SystemExit):
            apim_plan.main()
        return json.loads(capsys.readouterr().out)
    return runner


def calls():
    return [(c.request.method, c.request.url.split("/environments/DEFAULT/")[-1].split("?")[0])
            for c in responses.calls]


OAUTH2_TASK = {"api": "MCP", "name": "OAuth2", "security": "oauth2",
               "oauth2": {"resource": "AM", "required_scopes": ["mcp"], "mode_strict": False}}


@responses.activate
def test_create_publish_and_deploy_a_started_api(run_module):
    mock_reads([])
    created = stored_plan(status="STAGING", config={"oauthResource": "AM", "requiredScopes": ["mcp"],
                                                    "modeStrict": False})
    responses.add(responses.POST, PLANS, status=201, json=created, match=[matchers.json_params_matcher({
        "definitionVersion": "V4", "name": "OAuth2", "mode": "STANDARD", "validation": "AUTO", "flows": [],
        "security": {"type": "OAUTH2", "configuration": {"oauthResource": "AM", "requiredScopes": ["mcp"],
                                                         "modeStrict": False}}})])
    responses.add(responses.POST, PLANS + "/p1/_publish", json=dict(created, status="PUBLISHED"))
    responses.add(responses.POST, API + "/deployments", status=202,
                  match=[matchers.json_params_matcher({"deploymentLabel": "ansible"})])
    out = run_module(**OAUTH2_TASK)
    assert out["changed"] is True, out
    assert calls() == [("POST", "apis/_search"), ("GET", "apis/a1"), ("GET", "apis/a1/plans"),
                       ("POST", "apis/a1/plans"), ("POST", "apis/a1/plans/p1/_publish"),
                       ("POST", "apis/a1/deployments")]  # the deployment's result is known: no GET after it
    assert out["plan"] == {"id": "p1", "name": "OAuth2", "api_id": "a1", "security": "oauth2",
                           "security_type": "OAUTH2", "status": "PUBLISHED", "order": 1,
                           "configuration": {"oauthResource": "AM", "requiredScopes": ["mcp"], "modeStrict": False}}
    assert out["actions"] == ["create", "publish", "deploy"] and out["api_deployment_state"] == "DEPLOYED"
    assert SECRET not in json.dumps(out)


@responses.activate
def test_check_mode_sends_only_reads_and_predicts_the_run(run_module):
    mock_reads([stored_plan("k1", security="KEY_LESS", config={}, name="Keyless")])
    out = run_module(_ansible_check_mode=True, _ansible_diff=True, **OAUTH2_TASK)
    assert calls() == [("POST", "apis/_search"), ("GET", "apis/a1"), ("GET", "apis/a1/plans")]
    assert out["changed"] is True and out["actions"] == ["create", "publish", "deploy"]
    assert out["plan"]["id"] is None and out["plan"]["status"] == "PUBLISHED"
    assert out["api_deployment_state"] == "DEPLOYED"
    assert out["diff"]["before"] == {} and out["diff"]["after"]["configuration"]["requiredScopes"] == ["mcp"]


@responses.activate
def test_in_sync_plan_sends_no_write_but_a_pending_deployment_is_done(run_module):
    current = stored_plan(config={"oauthResource": "AM", "requiredScopes": ["mcp"], "modeStrict": False,
                                  "propagateAuthHeader": True, "extractPayload": False})
    mock_reads([current])
    out = run_module(**OAUTH2_TASK)
    assert out["changed"] is False and out["actions"] == [] and out["api_deployment_state"] == "DEPLOYED"
    assert [c[0] for c in calls()] == ["POST", "GET", "GET"]  # the POST is the read-only _search

    responses.reset()
    mock_reads([current], api=api_body(deployment="NEED_REDEPLOY"))
    responses.add(responses.POST, API + "/deployments", status=202)
    out = run_module(**OAUTH2_TASK)
    assert out["changed"] is True and out["actions"] == ["deploy"] and out["api_deployment_state"] == "DEPLOYED"


@responses.activate
def test_a_stopped_api_is_not_deployed(run_module):
    mock_reads([stored_plan(status="STAGING", config={"oauthResource": "AM", "requiredScopes": ["mcp"],
                                                      "modeStrict": False})],
               api=api_body(state="STOPPED", deployment="NEED_REDEPLOY"))
    responses.add(responses.POST, PLANS + "/p1/_publish", json=stored_plan())
    out = run_module(**OAUTH2_TASK)
    assert out["actions"] == ["publish p1"] and out["api_deployment_state"] == "NEED_REDEPLOY"
    assert ("POST", "apis/a1/deployments") not in calls() and calls()[-1] == ("POST", "apis/a1/plans/p1/_publish")


@responses.activate
def test_update_puts_the_whole_plan_back_with_the_managed_keys_changed(run_module):
    current = stored_plan(description="Console", flows=[{"name": "rate"}],
                          config={"oauthResource": "AM", "oauthCacheResource": "cache"})
    mock_reads([current])
    expected = dict(current, security={"type": "OAUTH2", "configuration": {
        "oauthResource": "AM", "oauthCacheResource": "cache", "requiredScopes": ["mcp"], "modeStrict": False}})
    responses.add(responses.PUT, PLANS + "/p1", json=expected, match=[matchers.json_params_matcher(expected)])
    responses.add(responses.POST, API + "/deployments", status=202)
    out = run_module(_ansible_diff=True, **OAUTH2_TASK)
    assert out["actions"] == ["update p1", "deploy"]
    assert out["diff"]["before"]["configuration"] == {"oauthResource": "AM", "oauthCacheResource": "cache"}
    assert out["diff"]["after"]["configuration"]["modeStrict"] is False


@responses.activate
def test_apim_state_errors_get_advice_and_stay_masked(run_module):
    mock_reads([])
    # Another task published a keyless plan meanwhile: APIM's refusal comes back with what to do.
    responses.add(responses.POST, PLANS, status=201, json=stored_plan("k9", "STAGING", "KEY_LESS", {}, name="Open"))
    responses.add(responses.POST, PLANS + "/k9/_publish", status=400, json={
        "httpStatus": 400, "message": "A key-less plan is already published (or has been deprecated)!",
        "technicalCode": "plan.keyless.exists", "parameters": {"plan": "k9"}})
    out = run_module(api="MCP", name="Open", security="keyless")
    assert out["failed"] is True
    assert out["msg"].startswith("Cannot publish plan 'Open' of API 'MCP': APIM allows one published or deprecated "
                                 "keyless plan per API")
    assert "APIM said: 400 from APIM at POST" in out["msg"] and out["technical_code"] == "plan.keyless.exists"

    responses.reset()
    mock_reads([])
    # An error body that echoes the resource's secret (as a misbehaving proxy might): masked everywhere.
    responses.add(responses.POST, PLANS, status=400, json={
        "httpStatus": 400, "message": "Security type not allowed (%s)" % SECRET,
        "parameters": {"securityType": "OAUTH2"}})
    out = run_module(**OAUTH2_TASK)
    assert "The security type is disabled in this APIM environment" in out["msg"]
    assert SECRET not in json.dumps(out) and MASK in out["msg"]


@responses.activate
def test_secrets_nested_in_the_api_resources_stay_masked_too(run_module):
    nested = "keystore-password-31"
    cache = {"name": "Cache", "type": "cache-redis", "configuration": {"ssl": {"keyStore": {"password": nested}}}}
    mock_reads([], api=dict(api_body(), resources=[RESOURCE, cache]))
    responses.add(responses.POST, PLANS, status=400, json={
        "httpStatus": 400, "message": "Security type not allowed (%s)" % nested})
    out = run_module(**OAUTH2_TASK)
    assert out["failed"] is True and nested not in json.dumps(out) and MASK in out["msg"]


def test_explain_plan_error_leaves_other_errors_alone():
    other = GraviteeError("500 from APIM", status=500)
    assert explain_plan_error(other, "publish plan 'P'") is other
    unknown = GraviteeError("400 from APIM: odd", status=400, technical_code="something.else")
    assert explain_plan_error(unknown, "publish plan 'P'") is unknown
    closed = explain_plan_error(GraviteeError("400 from APIM: closed", status=400, technical_code="plan.closed",
                                              url="u", method="POST"), "publish plan 'P' of API 'X'")
    assert str(closed).startswith("Cannot publish plan 'P' of API 'X': The plan is closed and APIM never reopens")
    assert (closed.status, closed.url, closed.method) == (400, "u", "POST")


@pytest.mark.parametrize("params, message", [
    ({"state": "published", "security": None}, "security is required with state: published"),
    ({"state": "deprecated", "security": "oauth2", "oauth2": None}, "security: oauth2 needs oauth2.resource"),
    ({"state": "staging", "security": "keyless", "oauth2": {"resource": "AM"}}, "apply only to security: oauth2"),
])
def test_usage_errors(params, message):
    base = {"name": "P", "oauth2": None, "replace_on_security_change": False}
    with pytest.raises(GraviteeError, match=message):
        desired_plan(dict(base, **params))


def test_option_mapping():
    params = {"name": "P", "state": "published", "security": "oauth2", "replace_on_security_change": True,
              "oauth2": {"resource": "AM", "required_scopes": ["a"], "check_required_scopes": True,
                         "mode_strict": None, "propagate_auth_header": False, "extract_payload": True}}
    desired = desired_plan(params)
    assert (desired.name, desired.state, desired.security, desired.replace_on_security_change) == (
        "P", "published", "OAUTH2", True)
    assert desired.configuration == {"oauthResource": "AM", "requiredScopes": ["a"], "checkRequiredScopes": True,
                                     "propagateAuthHeader": False, "extractPayload": True}
    closed = desired_plan(dict(params, state="closed", security=None))
    assert closed.security is None and closed.configuration == {}
