"""Sandbox mAPI v2: GET/PUT/DELETE one API, resources sanitising, If-Match (ApiResource.java)."""

from datetime import datetime

import pytest

from tests.sandbox.apim.testkit import ApimClient, am_resource


def _epoch_ms(iso_text):
    return round(datetime.fromisoformat(iso_text.replace("Z", "+00:00")).timestamp() * 1000)


@pytest.fixture
def apim(sandbox):
    return ApimClient(sandbox)


def test_get_has_deployment_state_and_the_etag_of_updated_at(apim):
    api = apim.create_api()
    response = apim.request("GET", f"/apis/{api['id']}")
    assert response.status_code == 200
    assert response.json()["deploymentState"] == "NEED_REDEPLOY"
    assert response.headers["etag"] == f'"{_epoch_ms(response.json()["updatedAt"])}"'
    assert response.headers["last-modified"].endswith("GMT")


def test_unknown_api_is_404_api_not_found(apim):
    response = apim.request("GET", "/apis/nope")
    assert response.status_code == 404
    assert response.json() == {"httpStatus": 404, "message": "Api [nope] cannot be found.",
                               "technicalCode": "api.notFound", "parameters": {"api": "nope"}}


def test_get_then_put_round_trips_with_read_only_fields_dropped(apim):
    api = apim.create_api()
    current = apim.get_api(api["id"])
    current["state"] = "STARTED"                 # read-only: ignored
    current["id"] = "other"                      # read-only: ignored
    current["resources"] = [am_resource()]
    response = apim.put_api({**current, "id": api["id"]})
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["state"] == "STOPPED"
    assert updated["crossId"] == api["crossId"] and updated["createdAt"] == api["createdAt"]
    assert updated["updatedAt"] != api["updatedAt"]


def test_put_is_a_full_replacement_except_the_kept_fields(apim):
    api = apim.create_api(description="first", labels=["x"])
    current = apim.get_api(api["id"])
    current.update(labels=["kept"], resources=[am_resource()], tags=[])
    assert apim.put_api(current).status_code == 200
    minimal = {k: current[k] for k in ("definitionVersion", "type", "name", "apiVersion", "listeners",
                                       "endpointGroups")}
    updated = apim.put_api({**minimal, "id": api["id"]}).json()
    assert "description" not in updated
    assert updated["resources"] == [] and updated["flows"] == []
    assert updated["labels"] == ["kept"] and updated["lifecycleState"] == "CREATED"


def test_resource_configuration_gets_defaults_and_keeps_unknown_keys(apim):
    api = apim.get_api(apim.create_api()["id"])
    resource = am_resource()
    del resource["configuration"]["version"]
    resource["configuration"]["useSystemProxy"] = True   # pre-4.0.0 key, kept: the schema is open
    resource["configuration"]["proxy"] = None            # nulls are dropped before validation
    api["resources"] = [resource]
    stored = apim.put_api(api).json()["resources"][0]
    assert stored["enabled"] is True
    assert stored["configuration"] == {**am_resource()["configuration"], "userClaim": "sub", "version": "V3_X",
                                       "useSystemProxy": True}


def test_resource_configuration_on_apim_4_9_defaults_use_system_proxy(sandbox, apim):
    sandbox.config.apim_version = "4.9.6"
    api = apim.get_api(apim.create_api(api_type="PROXY")["id"])
    api["resources"] = [am_resource()]
    assert apim.put_api(api).json()["resources"][0]["configuration"]["useSystemProxy"] is False


@pytest.mark.parametrize("change, message", [
    ({"clientSecret": None}, "#: required key [clientSecret] not found"),
    ({"version": "V9_X"}, "#/version: V9_X is not a valid enum value"),
    ({"serverURL": 42}, "#/serverURL: expected type: String, found: Integer"),
])
def test_invalid_resource_configuration_is_400_data_invalid(apim, change, message):
    api = apim.get_api(apim.create_api()["id"])
    resource = am_resource()
    resource["configuration"].update(change)
    api["resources"] = [resource]
    response = apim.put_api(api)
    assert response.status_code == 400
    assert response.json() == {"httpStatus": 400, "message": message, "technicalCode": "data.invalid"}


def test_disabled_resources_are_not_validated(apim):
    api = apim.get_api(apim.create_api()["id"])
    api["resources"] = [{"name": "off", "type": "oauth2-am-resource", "enabled": False, "configuration": {}}]
    assert apim.put_api(api).json()["resources"][0]["configuration"] == {}


def test_resource_without_configuration_is_a_validation_error(apim):
    api = apim.get_api(apim.create_api()["id"])
    api["resources"] = [{"name": "AM", "type": "oauth2-am-resource"}]
    response = apim.put_api(api)
    assert response.status_code == 400
    assert response.json()["details"] == [{"message": "must not be null", "location": "resources[0].configuration"}]


def test_if_match_with_a_stale_etag_is_412_without_body(apim):
    api = apim.create_api()
    etag = apim.request("GET", f"/apis/{api['id']}").headers["etag"]
    current = apim.get_api(api["id"])
    assert apim.put_api(current, **{"If-Match": etag}).status_code == 200
    stale = apim.put_api(current, **{"If-Match": etag})
    assert stale.status_code == 412 and stale.content == b""
    fresh = apim.request("GET", f"/apis/{api['id']}").headers["etag"]
    assert apim.put_api(current, **{"If-Match": f"W/{fresh}"}).status_code == 200
    assert apim.put_api(current, **{"If-Match": "*"}).status_code == 200


def test_put_keeps_its_own_path_but_not_another_apis(apim):
    first = apim.create_api("First", "/first/")
    apim.create_api("Second", "/second/")
    current = apim.get_api(first["id"])
    assert apim.put_api(current).status_code == 200
    current["listeners"][0]["paths"] = [{"path": "/second/deeper"}]
    response = apim.put_api(current)
    assert response.status_code == 400
    assert response.json()["message"] == "Path [/second/] already exists"


def test_type_cannot_change(apim):
    current = apim.get_api(apim.create_api(api_type="PROXY")["id"])
    current["type"] = "MESSAGE"
    response = apim.put_api(current)
    assert response.status_code == 400
    assert response.json()["technicalCode"] == "apiType.notAllowed"


def test_lifecycle_cannot_go_back_from_archived(apim):
    current = apim.get_api(apim.create_api()["id"])
    assert apim.put_api({**current, "lifecycleState": "ARCHIVED"}).status_code == 200
    response = apim.put_api({**current, "lifecycleState": "PUBLISHED"})
    assert response.status_code == 400
    assert response.json()["message"] == "The API lifecycle state cannot be changed to PUBLISHED."


def test_put_without_definition_version_is_a_mapping_error(apim):
    current = apim.get_api(apim.create_api()["id"])
    del current["definitionVersion"]
    response = apim.put_api(current)
    assert response.status_code == 400
    assert response.json()["technicalCode"] == "invalidValue"


def test_delete_needs_a_stopped_api_and_closed_plans_unless_close_plans(apim):
    api, plan = apim.started_api()
    running = apim.request("DELETE", f"/apis/{api['id']}")
    assert running.status_code == 400
    assert running.json() == {"httpStatus": 400, "technicalCode": "api.running", "parameters": {"api": api["id"]},
                              "message": f"API [{api['id']}] is still running and must be stopped before being "
                                         f"deleted !"}
    apim.ok("POST", f"/apis/{api['id']}/_stop", 204)
    published = apim.request("DELETE", f"/apis/{api['id']}")
    assert published.status_code == 400
    assert published.json()["message"] == "Plan(s) [Keyless] must be closed before being able to delete the API !"
    assert apim.request("DELETE", f"/apis/{api['id']}?closePlans=true").status_code == 204
    assert apim.request("GET", f"/apis/{api['id']}").status_code == 404
    assert apim.sandbox.apim.plans == {}
    assert apim.served(api["id"]) is None
    assert apim.create_api("Again", "/mcp-proxy/")["name"] == "Again"  # the path is free again
