"""Sandbox mAPI v2: plans, their state table and rules (ApiPlansResource.java)."""

import pytest

from tests.sandbox.apim.testkit import ApimClient

ALL = "?statuses=STAGING,PUBLISHED,DEPRECATED,CLOSED"


@pytest.fixture
def apim(sandbox):
    return ApimClient(sandbox)


@pytest.fixture
def api(apim):
    return apim.create_api()


def _in_state(apim, api_id, status, security_type="KEY_LESS", name="Plan"):
    config = {"oauthResource": "AM"} if security_type == "OAUTH2" else {}
    plan = apim.create_plan(api_id, name, security_type, config)
    for action in {"STAGING": [], "PUBLISHED": ["_publish"], "DEPRECATED": ["_publish", "_deprecate"],
                   "CLOSED": ["_close"]}[status]:
        assert apim.plan_action(api_id, plan["id"], action).status_code == 200
    return plan


OK = None
STATE_TABLE = [
    ("STAGING", "_publish", "PUBLISHED"), ("STAGING", "_deprecate", ("plan.notPublished", "is not yet published !")),
    ("STAGING", "_close", "CLOSED"),
    ("PUBLISHED", "_publish", ("plan.published", "is already published !")), ("PUBLISHED", "_deprecate", "DEPRECATED"),
    ("PUBLISHED", "_close", "CLOSED"),
    ("DEPRECATED", "_publish", ("plan.deprecated", "is already deprecated !")),
    ("DEPRECATED", "_deprecate", ("plan.deprecated", "is already deprecated !")), ("DEPRECATED", "_close", "CLOSED"),
    ("CLOSED", "_publish", ("plan.closed", "is already closed !")),
    ("CLOSED", "_deprecate", ("plan.closed", "is already closed !")),
    ("CLOSED", "_close", ("plan.closed", "is already closed !")),
]


@pytest.mark.parametrize("start, action, outcome", STATE_TABLE)
def test_state_table(apim, api, start, action, outcome):
    plan = _in_state(apim, api["id"], start)
    response = apim.plan_action(api["id"], plan["id"], action)
    if isinstance(outcome, str):
        assert response.status_code == 200
        assert response.json()["status"] == outcome
    else:
        code, text = outcome
        assert response.status_code == 400
        assert response.json() == {"httpStatus": 400, "message": f"Plan {plan['id']} {text}",
                                   "technicalCode": code, "parameters": {"plan": plan["id"]}}


@pytest.mark.parametrize("start", ["STAGING", "PUBLISHED", "DEPRECATED", "CLOSED"])
def test_delete_works_in_every_state_and_removes_the_plan(apim, api, start):
    plan = _in_state(apim, api["id"], start)
    assert apim.request("DELETE", f"/apis/{api['id']}/plans/{plan['id']}").status_code == 204
    assert apim.request("GET", f"/apis/{api['id']}/plans/{plan['id']}").status_code == 404
    assert apim.ok("GET", f"/apis/{api['id']}/plans{ALL}", 200)["data"] == []


def test_create_is_always_staging_with_defaults(apim, api):
    plan = apim.create_plan(api["id"], status="PUBLISHED", id="mine")
    assert plan["status"] == "STAGING" and plan["id"] != "mine"
    assert (plan["mode"], plan["definitionVersion"], plan["security"]["type"]) == ("STANDARD", "V4", "KEY_LESS")
    body = {"definitionVersion": "V4", "name": "P", "security": {"type": "KEY_LESS"}}
    assert apim.ok("POST", f"/apis/{api['id']}/plans", 201, json=body)["validation"] == "MANUAL"


def test_create_needs_definition_version_and_known_security_type(apim, api):
    missing = apim.request("POST", f"/apis/{api['id']}/plans", json={"name": "P", "security": {"type": "KEY_LESS"}})
    assert missing.status_code == 400 and missing.json()["technicalCode"] == "invalidValue"
    lower = apim.request("POST", f"/apis/{api['id']}/plans",
                         json={"definitionVersion": "V4", "name": "P", "security": {"type": "key_less"}})
    assert lower.status_code == 400 and lower.json()["message"] == "Unexpected value 'key_less'"
    none = apim.request("POST", f"/apis/{api['id']}/plans", json={"definitionVersion": "V4", "name": "P"})
    assert none.status_code == 400
    assert none.json()["message"] == "Security type is required for plan with 'STANDARD' mode"


def test_create_on_unknown_api_is_404(apim):
    response = apim.request("POST", "/apis/nope/plans", json={"definitionVersion": "V4", "name": "P",
                                                              "security": {"type": "KEY_LESS"}})
    assert response.status_code == 404
    assert response.json() == {"httpStatus": 404, "message": "Api not found.", "parameters": {"id": "nope"}}


def test_oauth2_configuration_needs_oauth_resource(apim, api):
    response = apim.request("POST", f"/apis/{api['id']}/plans", json={
        "definitionVersion": "V4", "name": "OAuth2", "security": {"type": "OAUTH2", "configuration": {}}})
    assert response.status_code == 400
    assert response.json() == {"httpStatus": 400, "message": "#: required key [oauthResource] not found",
                               "technicalCode": "data.invalid"}
    wrong_type = apim.request("POST", f"/apis/{api['id']}/plans", json={
        "definitionVersion": "V4", "name": "OAuth2",
        "security": {"type": "OAUTH2", "configuration": {"oauthResource": "AM", "modeStrict": "yes"}}})
    assert wrong_type.json()["message"] == "#/modeStrict: expected type: Boolean, found: String"


def test_oauth2_configuration_is_validated_but_stored_as_sent(apim, api):
    # PlanValidatorDomainService discards the sanitised copy: no defaults, unknown keys kept (4.12.17).
    config = {"oauthResource": "AM OAuth2 Resource", "addWwwAuthenticateHeader": True}
    plan = apim.create_plan(api["id"], "OAuth2", "OAUTH2", config)
    assert plan["security"]["configuration"] == config
    assert apim.ok("GET", f"/apis/{api['id']}/plans/{plan['id']}", 200)["security"]["configuration"] == config


def test_only_one_keyless_plan_published_or_deprecated(apim, api):
    first = _in_state(apim, api["id"], "DEPRECATED", name="Keyless 1")
    second = apim.create_plan(api["id"], "Keyless 2")
    response = apim.plan_action(api["id"], second["id"], "_publish")
    assert response.status_code == 400
    assert response.json() == {"httpStatus": 400, "message": "A key-less plan is already published (or has been "
                                                             "deprecated)!", "technicalCode": "plan.keyless.exists",
                               "parameters": {"plan": second["id"]}}
    oauth2 = apim.create_plan(api["id"], "OAuth2", "OAUTH2", {"oauthResource": "AM"})
    assert apim.plan_action(api["id"], oauth2["id"], "_publish").status_code == 200
    assert apim.plan_action(api["id"], first["id"], "_close").status_code == 200
    assert apim.plan_action(api["id"], second["id"], "_publish").status_code == 200


def test_list_defaults_to_published_and_filters_by_status_and_security(apim, api):
    published = _in_state(apim, api["id"], "PUBLISHED", name="Keyless")
    _in_state(apim, api["id"], "STAGING", "OAUTH2", name="OAuth2 staging")
    closed = _in_state(apim, api["id"], "CLOSED", "OAUTH2", name="OAuth2 closed")
    names = [p["name"] for p in apim.ok("GET", f"/apis/{api['id']}/plans", 200)["data"]]
    assert names == ["Keyless"]
    oauth2 = apim.ok("GET", f"/apis/{api['id']}/plans{ALL}&securities=OAUTH2", 200)["data"]
    assert sorted(p["name"] for p in oauth2) == ["OAuth2 closed", "OAuth2 staging"]
    closed_only = apim.ok("GET", f"/apis/{api['id']}/plans?statuses=CLOSED", 200)["data"]
    assert [p["id"] for p in closed_only] == [closed["id"]]
    without_flows = apim.ok("GET", f"/apis/{api['id']}/plans?fields=-flow", 200)["data"]
    assert without_flows[0]["id"] == published["id"] and "flows" not in without_flows[0]


def test_list_enum_filters_are_upper_case_only(apim, api):
    response = apim.request("GET", f"/apis/{api['id']}/plans?statuses=published")
    assert response.status_code == 400
    assert response.json()["message"] == "Query parameter statuses does not have a valid format"


def test_list_of_unknown_api_is_404(apim):
    assert apim.request("GET", "/apis/nope/plans").json()["technicalCode"] == "api.notFound"


def test_list_pagination_and_past_the_end(apim, api):
    for index in range(3):
        apim.create_plan(api["id"], f"P{index}", "OAUTH2", {"oauthResource": "AM"})
    page = apim.ok("GET", f"/apis/{api['id']}/plans{ALL}&page=2&perPage=2", 200)
    assert page["pagination"] == {"page": 2, "perPage": 2, "pageCount": 2, "pageItemsCount": 1, "totalCount": 3}
    assert "next" not in page["links"] and "page=1" in page["links"]["previous"]
    past = apim.request("GET", f"/apis/{api['id']}/plans{ALL}&page=3&perPage=2")
    assert past.status_code == 400
    assert past.json() == {"httpStatus": 400, "message": "Pagination is not valid",
                           "technicalCode": "pagination.invalid"}
    empty = apim.ok("GET", f"/apis/{api['id']}/plans?page=5", 200)
    assert empty["data"] == [] and empty["pagination"]["totalCount"] == 0
    bad = apim.request("GET", f"/apis/{api['id']}/plans?perPage=0")
    assert bad.status_code == 400 and bad.json()["details"][0]["location"] == "perPage"


def test_put_replaces_but_never_changes_the_security_type(apim, api):
    plan = apim.create_plan(api["id"], "OAuth2", "OAUTH2", {"oauthResource": "AM"}, description="d",
                            characteristics=["c"], tags=[])
    update = {"definitionVersion": "V4", "security": {"type": "KEY_LESS",
                                                      "configuration": {"oauthResource": "Other"}}}
    updated = apim.ok("PUT", f"/apis/{api['id']}/plans/{plan['id']}", 200, json=update)
    assert updated["security"] == {"type": "OAUTH2", "configuration": {"oauthResource": "Other"}}
    assert updated["name"] == "OAuth2" and updated["validation"] == "AUTO"        # kept when omitted
    assert "description" not in updated and updated["characteristics"] == []    # overwritten
    invalid = apim.request("PUT", f"/apis/{api['id']}/plans/{plan['id']}",
                           json={"definitionVersion": "V4", "security": {"configuration": {}}})
    assert invalid.status_code == 400 and invalid.json()["technicalCode"] == "data.invalid"


def test_plan_of_another_api_is_not_found(apim, api):
    other = apim.create_api("Other", "/other/")
    plan = apim.create_plan(other["id"])
    response = apim.request("GET", f"/apis/{api['id']}/plans/{plan['id']}")
    assert response.status_code == 404
    assert response.json() == {"httpStatus": 404, "message": f"Plan [{plan['id']}] cannot be found.",
                               "technicalCode": "plan.notFound", "parameters": {"plan": plan["id"]}}
    assert apim.plan_action(api["id"], plan["id"], "_publish").status_code == 404


def test_push_plans_have_no_security(apim, api):
    body = {"definitionVersion": "V4", "name": "Push", "mode": "PUSH"}
    refused = apim.request("POST", f"/apis/{api['id']}/plans", json={**body, "security": {"type": "KEY_LESS"}})
    assert refused.status_code == 400
    assert refused.json()["message"] == "Security type is forbidden for plan with 'Push' mode"
    push = apim.ok("POST", f"/apis/{api['id']}/plans", 201, json=body)
    assert "security" not in push
    apim.publish(api["id"], push["id"])
    assert apim.ok("GET", f"/apis/{api['id']}/plans?securities=KEY_LESS", 200)["data"] == []
