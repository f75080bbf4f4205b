"""Sandbox mAPI v2: authentication, environments, organisation prefix, unknown routes (openapi-apis.yaml,
openapi-environments.yaml)."""

import pytest
import requests

from tests.sandbox.apim.testkit import ApimClient


def _get(sandbox, path, **kwargs):
    return requests.get(sandbox.urls["apim_url"] + "/management/v2" + path, timeout=10, **kwargs)


def test_basic_auth_with_the_seeded_admin_is_accepted(sandbox):
    response = _get(sandbox, "/environments/DEFAULT/apis", auth=("admin", "Sbx-7kq2-Vw9p"))
    assert response.status_code == 200
    assert response.json()["data"] == []


def test_personal_access_token_is_accepted_as_bearer(sandbox):
    token = sandbox.seed["apim_token"]
    response = _get(sandbox, "/environments/DEFAULT/apis", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


@pytest.mark.parametrize("headers, challenged", [
    ({}, True),
    ({"Authorization": "Basic YWRtaW46d3Jvbmc="}, True),          # admin:wrong
    ({"Authorization": "Basic not-base64!"}, True),
    ({"Authorization": "Bearer not-a-known-token"}, False),
    ({"Authorization": "Token sandbox-apim-personal-access-token"}, True),
])
def test_anything_else_is_401_with_the_error_body(sandbox, headers, challenged):
    response = _get(sandbox, "/environments/DEFAULT/apis", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"httpStatus": 401, "message": "Unauthorized"}
    assert ("www-authenticate" in response.headers) is challenged
    if challenged:
        assert response.headers["www-authenticate"] == 'Basic realm="Gravitee.io Management API"'


def test_authentication_is_checked_before_the_environment(sandbox):
    assert _get(sandbox, "/environments/NOPE/apis").status_code == 401


def test_environment_list_is_a_bare_array_and_one_environment_by_id_or_hrid(sandbox):
    apim = ApimClient(sandbox)
    listed = apim.ok("GET", apim.root + "/environments", 200)
    assert listed == [{"id": "DEFAULT", "name": "Default environment", "description": "Default environment"}]
    assert apim.ok("GET", apim.root + "/environments/DEFAULT", 200)["id"] == "DEFAULT"
    org = ApimClient(sandbox, org_prefix=True)
    assert org.ok("GET", org.root + "/environments/DEFAULT", 200)["name"] == "Default environment"


def test_environment_can_be_addressed_by_its_hrid(sandbox):
    sandbox.call_soon(lambda: sandbox.apim.environments["DEFAULT"].update(id="a1b2c3-uuid"))
    apim = ApimClient(sandbox, env="DEFAULT")
    assert apim.ok("GET", apim.root + "/environments/DEFAULT", 200)["id"] == "a1b2c3-uuid"
    created = apim.create_api()
    by_id = ApimClient(sandbox, env="a1b2c3-uuid")
    assert by_id.get_api(created["id"])["name"] == "API MCP Proxy"


def test_unknown_environment_is_404_with_apim_error_body(sandbox):
    apim = ApimClient(sandbox, env="PROD")
    response = apim.request("GET", "/apis")
    assert response.status_code == 404
    assert response.json() == {"httpStatus": 404, "message": "Environment [PROD] cannot be found.",
                               "technicalCode": "environment.notFound", "parameters": {"environment": "PROD"}}
    assert apim.request("GET", apim.root + "/environments/PROD").status_code == 404


def test_organisation_prefix_reaches_the_same_data_and_unknown_org_is_404(sandbox):
    created = ApimClient(sandbox).create_api()
    org = ApimClient(sandbox, org_prefix=True)
    assert org.get_api(created["id"])["id"] == created["id"]
    response = requests.get(sandbox.urls["apim_url"] + "/management/v2/organizations/ACME/environments/DEFAULT/apis",
                            auth=("admin", "Sbx-7kq2-Vw9p"), timeout=10)
    assert response.status_code == 404
    assert response.json()["technicalCode"] == "organization.notFound"
