"""Sandbox mAPI v2: start/stop/deploy, deploymentState and what the gateway serves (ApiResource.java)."""

import time

import pytest

from tests.sandbox.apim.testkit import ApimClient, am_resource


@pytest.fixture
def apim(sandbox):
    return ApimClient(sandbox)


def _deploy(apim, api_id, **kwargs):
    return apim.request("POST", f"/apis/{api_id}/deployments", **kwargs)


def test_start_and_deploy_need_a_published_plan(apim):
    api = apim.create_api()
    apim.create_plan(api["id"])  # staging only
    start = apim.request("POST", f"/apis/{api['id']}/_start")
    assert start.status_code == 400
    assert start.json() == {"httpStatus": 400, "technicalCode": "api.NotDeployable", "message":
                            f"The API {{{api['id']}}} can not be started without at least one published plan"}
    deploy = _deploy(apim, api["id"], json={"deploymentLabel": "x"})
    assert deploy.status_code == 400
    assert deploy.json()["message"] == (f"The api {{{api['id']}}} can not be deployed without at least one "
                                        f"published plan")
    assert apim.sandbox.apim.deploy_events == {}


def test_first_start_deploys_and_the_gateway_serves_after_the_sync_delay(sandbox, apim):
    sandbox.config.sync_delay = 0.3
    api = apim.create_api()
    plan = apim.publish(api["id"], apim.create_plan(api["id"])["id"])
    response = apim.request("POST", f"/apis/{api['id']}/_start")
    assert response.status_code == 204 and response.content == b""
    assert response.headers["etag"]
    assert sandbox.apim.gateway_apis() == []  # not visible yet
    served = apim.served(api["id"])
    assert served["state"] == "STARTED" and [p["id"] for p in served["plans"]] == [plan["id"]]
    current = apim.get_api(api["id"])
    assert current["state"] == "STARTED" and current["deploymentState"] == "DEPLOYED"
    assert current["deployedAt"]
    time.sleep(0.35)
    assert [a["id"] for a in sandbox.apim.gateway_apis()] == [api["id"]]


def test_already_started_and_already_stopped(apim):
    api, _ = apim.started_api()
    started = apim.request("POST", f"/apis/{api['id']}/_start")
    assert started.status_code == 400 and started.json() == {"httpStatus": 400, "message": "API is already started"}
    apim.ok("POST", f"/apis/{api['id']}/_stop", 204)
    stopped = apim.request("POST", f"/apis/{api['id']}/_stop")
    assert stopped.status_code == 400 and stopped.json() == {"httpStatus": 400, "message": "API is already stopped"}
    assert apim.served(api["id"]) is None


def test_definition_changes_need_a_redeploy_but_a_rename_does_not(apim):
    api, _ = apim.started_api()
    current = apim.get_api(api["id"])
    renamed = apim.put_api({**current, "name": "Renamed", "description": "only portal fields"}).json()
    assert renamed["deploymentState"] == "DEPLOYED"
    current["resources"] = [am_resource()]
    assert apim.put_api(current).json()["deploymentState"] == "NEED_REDEPLOY"
    assert apim.served(api["id"])["resources"] == []
    deploy = _deploy(apim, api["id"], json={"deploymentLabel": "resources"})
    assert deploy.status_code == 202 and deploy.content == b""
    assert apim.deployment_state(api["id"]) == "DEPLOYED"
    assert apim.served(api["id"])["resources"][0]["name"] == "AM OAuth2 Resource"


def test_restart_serves_the_last_deployed_definition_not_pending_edits(apim):
    api, _ = apim.started_api()
    apim.ok("POST", f"/apis/{api['id']}/_stop", 204)
    current = apim.get_api(api["id"])
    current["resources"] = [am_resource()]
    apim.put_api(current)
    apim.ok("POST", f"/apis/{api['id']}/_start", 204)
    assert apim.served(api["id"])["resources"] == []
    assert apim.deployment_state(api["id"]) == "NEED_REDEPLOY"


def test_deploying_a_stopped_api_records_it_without_serving_it(apim):
    api, _ = apim.started_api()
    apim.ok("POST", f"/apis/{api['id']}/_stop", 204)
    assert _deploy(apim, api["id"]).status_code == 202
    assert apim.served(api["id"]) is None
    assert apim.deployment_state(api["id"]) == "DEPLOYED"


def test_plan_publish_and_close_need_a_redeploy_deprecate_does_not(apim):
    api, keyless = apim.started_api()
    oauth2 = apim.create_plan(api["id"], "OAuth2", "OAUTH2", {"oauthResource": "AM"})
    assert apim.deployment_state(api["id"]) == "DEPLOYED"           # staging plans do not count
    apim.publish(api["id"], oauth2["id"])
    assert apim.deployment_state(api["id"]) == "NEED_REDEPLOY"
    apim.ok("POST", f"/apis/{api['id']}/deployments", 202)
    assert {p["name"] for p in apim.served(api["id"])["plans"]} == {"Keyless", "OAuth2"}
    apim.ok("POST", f"/apis/{api['id']}/plans/{oauth2['id']}/_deprecate", 200)
    assert apim.deployment_state(api["id"]) == "DEPLOYED"
    apim.ok("POST", f"/apis/{api['id']}/plans/{keyless['id']}/_close", 200)
    assert apim.deployment_state(api["id"]) == "NEED_REDEPLOY"
    apim.ok("POST", f"/apis/{api['id']}/deployments", 202)
    assert [p["name"] for p in apim.served(api["id"])["plans"]] == ["OAuth2"]


def test_plan_security_update_needs_a_redeploy(apim):
    api, _ = apim.started_api()
    oauth2 = apim.create_plan(api["id"], "OAuth2", "OAUTH2", {"oauthResource": "AM"})
    apim.publish(api["id"], oauth2["id"])
    apim.ok("POST", f"/apis/{api['id']}/deployments", 202)
    same = {"definitionVersion": "V4", "name": "OAuth2", "validation": "AUTO", "flows": [],
            "security": {"configuration": {"oauthResource": "AM"}}}
    apim.ok("PUT", f"/apis/{api['id']}/plans/{oauth2['id']}", 200, json=same)
    assert apim.deployment_state(api["id"]) == "DEPLOYED"
    same["security"]["configuration"]["requiredScopes"] = ["tools"]
    apim.ok("PUT", f"/apis/{api['id']}/plans/{oauth2['id']}", 200, json=same)
    assert apim.deployment_state(api["id"]) == "NEED_REDEPLOY"


def test_closing_the_last_published_plan_of_a_started_api(apim):
    api, keyless = apim.started_api()
    closed = apim.ok("POST", f"/apis/{api['id']}/plans/{keyless['id']}/_close", 200)
    assert closed["status"] == "CLOSED" and closed["closedAt"]
    current = apim.get_api(api["id"])
    assert current["state"] == "STARTED" and current["deploymentState"] == "NEED_REDEPLOY"
    assert [p["id"] for p in apim.served(api["id"])["plans"]] == [keyless["id"]]  # old deployment still served
    assert _deploy(apim, api["id"]).json()["technicalCode"] == "api.NotDeployable"
    apim.ok("POST", f"/apis/{api['id']}/_stop", 204)
    assert apim.request("POST", f"/apis/{api['id']}/_start").json()["technicalCode"] == "api.NotDeployable"


def test_deleting_a_published_plan_is_invisible_to_deployment_state(apim):
    api, keyless = apim.started_api()
    oauth2 = apim.publish(api["id"], apim.create_plan(api["id"], "OAuth2", "OAUTH2", {"oauthResource": "AM"})["id"])
    apim.ok("POST", f"/apis/{api['id']}/deployments", 202)
    apim.ok("DELETE", f"/apis/{api['id']}/plans/{keyless['id']}", 204)
    # isSynchronized only looks at existing plans: the deleted one leaves no trace, the gateway still has it.
    assert apim.deployment_state(api["id"]) == "DEPLOYED"
    assert {p["id"] for p in apim.served(api["id"])["plans"]} == {keyless["id"], oauth2["id"]}


def test_if_match_applies_to_start_and_stop(apim):
    api = apim.create_api()
    apim.publish(api["id"], apim.create_plan(api["id"])["id"])
    etag = apim.request("GET", f"/apis/{api['id']}").headers["etag"]
    apim.put_api(apim.get_api(api["id"]))
    stale = apim.request("POST", f"/apis/{api['id']}/_start", headers={"If-Match": etag})
    assert stale.status_code == 412
    fresh = apim.request("GET", f"/apis/{api['id']}").headers["etag"]
    assert apim.request("POST", f"/apis/{api['id']}/_start", headers={"If-Match": fresh}).status_code == 204


def test_deployment_label_is_limited_to_32_characters(apim):
    api, _ = apim.started_api()
    response = _deploy(apim, api["id"], json={"deploymentLabel": "x" * 33})
    assert response.status_code == 400 and response.json()["message"] == "Validation error"


def test_current_deployment_is_the_current_definition_with_served_plans(apim):
    api, keyless = apim.started_api()
    apim.create_plan(api["id"], "Staging")
    current = apim.get_api(api["id"])
    current["resources"] = [am_resource()]
    apim.put_api(current)
    definition = apim.ok("GET", f"/apis/{api['id']}/deployments/current", 200)
    assert definition["type"] == "mcp-proxy" and definition["definitionVersion"] == "4.0.0"
    assert definition["resources"][0]["name"] == "AM OAuth2 Resource"  # not deployed yet, still "current"
    assert [(p["id"], p["security"]["type"], p["status"]) for p in definition["plans"]] == \
        [(keyless["id"], "key-less", "published")]


def test_list_and_search_expand_deployment_state_only_on_request(apim):
    started, _ = apim.started_api()
    apim.create_api("Fresh", "/fresh/")
    plain = apim.ok("GET", "/apis", 200)["data"]
    assert all("deploymentState" not in a for a in plain)
    expanded = apim.ok("GET", "/apis?expands=deploymentState", 200)["data"]
    assert {a["name"]: a["deploymentState"] for a in expanded} == {"API MCP Proxy": "DEPLOYED",
                                                                   "Fresh": "NEED_REDEPLOY"}
    found = apim.ok("POST", "/apis/_search?expands=deploymentState", 200, json={"ids": [started["id"]]})["data"]
    assert [a["deploymentState"] for a in found] == ["DEPLOYED"]


def test_every_deploy_start_and_stop_is_an_event_for_the_gateway(sandbox, apim):
    api, _ = apim.started_api()
    apim.ok("POST", f"/apis/{api['id']}/deployments", 202)
    apim.ok("POST", f"/apis/{api['id']}/_stop", 204)
    apim.ok("POST", f"/apis/{api['id']}/_start", 204)
    events = sandbox.apim.deploy_events[api["id"]]
    assert [(e["kind"], e["started"]) for e in events] == [("PUBLISH_API", True), ("PUBLISH_API", True),
                                                          ("STOP_API", False), ("START_API", True)]


def test_gateway_snapshot_is_the_mapi_shape_without_sandbox_bookkeeping(apim):
    api, plan = apim.started_api()
    served = apim.served(api["id"])
    assert served["type"] == "MCP_PROXY" and served["listeners"][0]["paths"][0]["path"] == "/mcp-proxy/"
    assert served["plans"] == [apim.ok("GET", f"/apis/{api['id']}/plans/{plan['id']}", 200)]
    assert "_sandbox" not in served and all("_sandbox" not in p for p in served["plans"])
