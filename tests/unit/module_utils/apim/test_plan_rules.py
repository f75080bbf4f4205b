"""apim_plan's decision logic (pure): which requests, in which order, and what is refused before any write."""

import pytest

from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.plan_model import (
    NEW,
    Desired,
    changed_configuration_keys,
    effective_configuration,
    merged_configuration,
    security_configuration,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.plan_rules import (
    check_oauth2_resource,
    decide,
    simulate,
    touches_gateway,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import GraviteeError

RESOURCE = {"name": "AM", "type": "oauth2-am-resource", "enabled": True, "configuration": {"clientSecret": "s"}}
STARTED = {"id": "a1", "name": "MCP", "state": "STARTED", "deploymentState": "DEPLOYED", "resources": [RESOURCE]}
STOPPED = dict(STARTED, state="STOPPED")


def plan(plan_id, status="PUBLISHED", security="KEY_LESS", name="P", config=None, **extra):
    body = {"id": plan_id, "name": name, "status": status, "apiId": "a1",
            "security": {"type": security, "configuration": config if config is not None else (
                {"oauthResource": "AM"} if security == "OAUTH2" else {})},
            "flows": [], "order": 1}
    body.update(extra)
    return body


def keyless(state="published", name="P", **kw):
    return Desired(name=name, state=state, security="KEY_LESS", **kw)


def oauth2(state="published", name="P", **config):
    replace = config.pop("replace", False)
    return Desired(name=name, state=state, security="OAUTH2", configuration=dict({"oauthResource": "AM"}, **config),
                   replace_on_security_change=replace)


def actions(decision):
    return [step.describe() for step in decision.steps]


def refused(desired, plans, api=STARTED):
    with pytest.raises(GraviteeError) as err:
        decide(desired, plans, api)
    return str(err.value)


# --- creating and publishing ------------------------------------------------------------------------------
def test_no_plan_is_created_then_brought_to_the_state():
    assert actions(decide(keyless(), [], STARTED)) == ["create", "publish"]
    assert actions(decide(keyless("staging"), [], STARTED)) == ["create"]
    assert actions(decide(keyless("deprecated"), [], STARTED)) == ["create", "publish", "deprecate"]
    created = decide(oauth2(requiredScopes=["x"]), [], STARTED).steps[0]
    assert created.plan_id == NEW
    assert created.body == {"definitionVersion": "V4", "name": "P", "mode": "STANDARD", "validation": "AUTO",
                            "security": {"type": "OAUTH2", "configuration": {"oauthResource": "AM",
                                                                             "requiredScopes": ["x"]}},
                            "flows": []}


def test_existing_plans_move_along_the_state_table():
    assert actions(decide(keyless(), [plan("p1", "STAGING")], STARTED)) == ["publish p1"]
    assert actions(decide(keyless(), [plan("p1")], STARTED)) == []
    assert actions(decide(keyless("deprecated"), [plan("p1")], STARTED)) == ["deprecate p1"]
    assert actions(decide(keyless("deprecated"), [plan("p1", "STAGING")], STARTED)) == ["publish p1", "deprecate p1"]
    assert actions(decide(keyless("deprecated"), [plan("p1", "DEPRECATED")], STARTED)) == []
    assert actions(decide(keyless("staging"), [plan("p1", "STAGING")], STARTED)) == []


def test_plans_are_matched_by_exact_name_in_every_status():
    plans = [plan("other", security="OAUTH2", name="p"), plan("c1", "CLOSED"), plan("p2", "STAGING", name="P ")]
    # Only a closed "P": a closed plan never reopens, so a new one is created.
    decision = decide(keyless(), plans, STARTED)
    assert actions(decision) == ["create", "publish"]
    assert decision.before is None and decision.target_id == NEW


def test_impossible_moves_are_refused_with_advice():
    message = refused(keyless("staging"), [plan("p1")])
    assert "is PUBLISHED; APIM cannot move a plan back to staging" in message and "state: closed" in message
    message = refused(keyless("staging"), [plan("p1", "DEPRECATED")])
    assert "is DEPRECATED; APIM cannot move a plan back to staging" in message
    message = refused(keyless(), [plan("p1", "DEPRECATED")])
    assert "cannot publish a deprecated plan again (plan.deprecated)" in message


def test_several_open_plans_with_the_name_are_ambiguous():
    message = refused(keyless(), [plan("p1"), plan("p2", "STAGING")])
    assert "several open plans named 'P'" in message and "p1 [PUBLISHED, keyless]" in message and "p2" in message


def test_only_one_served_keyless_plan_per_api():
    message = refused(keyless(name="New"), [plan("k1", "DEPRECATED", name="Old")])
    assert "one published or deprecated keyless plan per API" in message and "k1 [DEPRECATED, keyless]" in message
    # A staging keyless plan can exist next to a published one; an OAuth2 plan is no obstacle.
    assert actions(decide(keyless("staging", name="New"), [plan("k1", name="Old")], STARTED)) == ["create"]
    assert actions(decide(keyless(name="New"), [plan("o1", security="OAUTH2", name="Old")], STARTED)) == [
        "create", "publish"]


# --- configuration ---------------------------------------------------------------------------------------
def test_configuration_update_keeps_the_rest_of_the_plan():
    current = plan("p1", security="OAUTH2", description="from the Console", flows=[{"name": "f"}],
                   config={"oauthResource": "AM", "oauthCacheResource": "cache", "modeStrict": True})
    decision = decide(oauth2(modeStrict=False), [current], STARTED)
    assert actions(decision) == ["update p1"]
    body = decision.steps[0].body
    assert body["description"] == "from the Console" and body["flows"] == [{"name": "f"}]
    assert body["definitionVersion"] == "V4"
    assert body["security"] == {"type": "OAUTH2", "configuration": {
        "oauthResource": "AM", "oauthCacheResource": "cache", "modeStrict": False}}
    # An update of a staging plan comes before its publication.
    staged = plan("p1", "STAGING", security="OAUTH2")
    assert actions(decide(oauth2(extractPayload=True), [staged], STARTED)) == ["update p1", "publish p1"]


def configuration_in_sync(type_name, desired, current):
    return not changed_configuration_keys(type_name, desired, current)


def test_defaults_missing_keys_and_scope_order_are_in_sync():
    stored = {"oauthResource": "AM", "requiredScopes": ["b", "a"]}
    desired = {"oauthResource": "AM", "requiredScopes": ["a", "b"], "modeStrict": True, "propagateAuthHeader": True,
               "extractPayload": False, "checkRequiredScopes": False}
    assert configuration_in_sync("OAUTH2", desired, stored)
    assert configuration_in_sync("OAUTH2", {"requiredScopes": []}, {"oauthResource": "AM"})
    assert changed_configuration_keys("OAUTH2", {"modeStrict": False, "requiredScopes": ["a"]}, stored) == [
        "modeStrict", "requiredScopes"]
    # Booleans are compared strictly (True is not 1), unknown stored keys (dropped or kept by APIM) do not matter.
    assert not configuration_in_sync("OAUTH2", {"extractPayload": True}, {"extractPayload": 1})
    assert configuration_in_sync("OAUTH2", {"oauthResource": "AM"}, {"oauthResource": "AM",
                                                                     "addWwwAuthenticateHeader": True})
    assert effective_configuration("KEY_LESS", {}) == {}


def test_configuration_helpers():
    assert security_configuration({"security": {"configuration": '{"oauthResource": "AM"}'}}) == {
        "oauthResource": "AM"}
    assert security_configuration({"security": {"configuration": "not json"}}) == {}
    assert security_configuration({}) == {}
    assert merged_configuration({"modeStrict": False, "x": None}, {"modeStrict": True, "keep": 1}) == {
        "modeStrict": False, "keep": 1}


# --- replacing the security -------------------------------------------------------------------------------
def test_security_change_needs_replace_on_security_change():
    message = refused(oauth2(), [plan("k1")])
    assert "has security keyless, the task asks for oauth2" in message
    assert "replace_on_security_change: true" in message and "k1 [PUBLISHED, keyless]" in message


@pytest.mark.parametrize("old_type, desired", [("KEY_LESS", oauth2(replace=True)),
                                               ("OAUTH2", keyless(replace_on_security_change=True))])
def test_replacement_publishes_the_new_plan_before_closing_the_old(old_type, desired):
    decision = decide(desired, [plan("old", security=old_type)], STARTED)
    assert actions(decision) == ["create", "publish", "close old"]
    assert decision.replaced == ["old"] and decision.before["id"] == "old" and decision.target_id == NEW
    # At every step the API keeps a published plan.
    plans = [plan("old", security=old_type)]
    for step in decision.steps:
        plans = simulate(plans, [step])
        assert any(p["status"] == "PUBLISHED" for p in plans), step


def test_replacement_resumes_after_an_interrupted_run():
    # A previous run published the new plan but failed before closing the old one.
    plans = [plan("old"), plan("new", security="OAUTH2")]
    decision = decide(oauth2(replace=True), plans, STARTED)
    assert actions(decision) == ["close old"] and decision.target_id == "new"


def test_replacement_never_leaves_a_started_api_without_a_published_plan():
    message = refused(oauth2("staging", replace=True), [plan("old")])
    assert "Cannot replace plan 'P'" in message and "last published plan of started API 'MCP' (a1)" in message
    # Stopped: nothing is served, so it is allowed.
    assert actions(decide(oauth2("staging", replace=True), [plan("old")], STOPPED)) == ["create", "close old"]


# --- closing and deleting ---------------------------------------------------------------------------------
def test_closed_closes_every_open_plan_of_the_name():
    plans = [plan("p1", "STAGING"), plan("c1", "CLOSED"), plan("k2", name="Other")]
    decision = decide(Desired("P", "closed"), plans, STARTED)
    assert actions(decision) == ["close p1"] and decision.target_id == "p1"
    quiet = decide(Desired("P", "closed"), [plan("c1", "CLOSED", closedAt="2024"), plan("c2", "CLOSED",
                                                                                       closedAt="2025")], STARTED)
    assert actions(quiet) == [] and quiet.target_id == "c2"
    assert decide(Desired("P", "closed"), [], STARTED).target_id is None


def test_absent_deletes_every_plan_of_the_name_closed_ones_too():
    plans = [plan("p1", "STAGING"), plan("c1", "CLOSED"), plan("k2", name="Other")]
    assert actions(decide(Desired("P", "absent"), plans, STARTED)) == ["delete p1", "delete c1"]
    assert actions(decide(Desired("P", "absent"), [plan("k2", name="Other")], STARTED)) == []


@pytest.mark.parametrize("state, verb", [("closed", "close"), ("absent", "delete")])
def test_the_last_published_plan_of_a_started_api_stays(state, verb):
    message = refused(Desired("P", state), [plan("p1"), plan("c1", "CLOSED", name="Other")])
    assert message.startswith("Cannot %s plan 'P': it is the last published plan of started API 'MCP' (a1)" % verb)
    assert "api.NotDeployable" in message and "stop the API" in message
    # Fine when another plan serves, or when the API is stopped.
    assert actions(decide(Desired("P", state), [plan("p1"), plan("o1", "DEPRECATED", "OAUTH2", "O")], STARTED))
    assert actions(decide(Desired("P", state), [plan("p1")], STOPPED))
    # A staging plan serves nothing: closing it is fine even when nothing else is published.
    assert actions(decide(Desired("P", state), [plan("s1", "STAGING")], STARTED)) == ["%s s1" % verb]


# --- the OAuth2 resource ----------------------------------------------------------------------------------
def test_oauth2_resource_must_be_an_enabled_am_resource_of_the_api():
    with pytest.raises(GraviteeError, match="has no resource named 'Nope'.*Resources of the API: 'AM' "
                                            r"\(oauth2-am-resource\)"):
        decide(oauth2(oauthResource="Nope"), [], STARTED)
    other_type = dict(STARTED, resources=[dict(RESOURCE, type="oauth2")])
    with pytest.raises(GraviteeError, match="is of type 'oauth2'; an OAuth2 plan of this collection needs an "
                                            "oauth2-am-resource"):
        decide(oauth2(), [], other_type)
    disabled = dict(STARTED, resources=[dict(RESOURCE, enabled=False)])
    with pytest.raises(GraviteeError, match="is disabled"):
        decide(oauth2(), [], disabled)
    none = dict(STARTED, resources=None)
    with pytest.raises(GraviteeError, match="Resources of the API: none"):
        decide(oauth2(), [], none)


def test_oauth2_resource_only_warns_in_check_mode_and_for_expressions():
    warnings = check_oauth2_resource(STARTED, "Nope", check_mode=True)
    assert len(warnings) == 1 and "check mode: assuming an earlier task creates it" in warnings[0]
    assert "is an expression" in check_oauth2_resource(STARTED, "{#context.attributes['r']}")[0]
    assert check_oauth2_resource(STARTED, "AM") == []
    decision = decide(oauth2(oauthResource="Nope"), [], STARTED, check_mode=True)
    assert actions(decision) == ["create", "publish"] and decision.warnings


# --- what the gateway would see ---------------------------------------------------------------------------
def test_which_steps_call_for_a_deployment():
    staging = [plan("s1", "STAGING")]
    assert not touches_gateway([], decide(keyless("staging"), [], STARTED).steps)
    staged_oauth2 = [plan("s1", "STAGING", "OAUTH2")]
    steps = decide(oauth2("staging", modeStrict=False), staged_oauth2, STARTED).steps
    assert [s.action for s in steps] == ["update"] and not touches_gateway(staged_oauth2, steps)
    assert touches_gateway([], decide(keyless(), [], STARTED).steps)
    served = [plan("o1", security="OAUTH2")]
    assert touches_gateway(served, decide(oauth2(modeStrict=False), served, STARTED).steps)
    assert touches_gateway(staging, decide(Desired("P", "closed"), staging, STARTED).steps)
    closed = [plan("c1", "CLOSED"), plan("k1", name="K")]
    assert not touches_gateway(closed, decide(Desired("P", "absent"), closed, STARTED).steps)
    both = [plan("p1"), plan("k1", "PUBLISHED", "OAUTH2", "K")]
    assert touches_gateway(both, decide(Desired("P", "absent"), both, STARTED).steps)
