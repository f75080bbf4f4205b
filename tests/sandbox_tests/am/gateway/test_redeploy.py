"""The AM gateway's redeploy window after a domain change: login 500, RFC 7592 client management 404."""

import requests

from tests.sandbox_tests.am.gateway.helpers import LOOPBACK_REDIRECT, gateway_base, open_dcr, register
from tests.sandbox_tests.am.mgmt.helpers import AmClient

NO_IDP = "No identity provider found for client"


def _registered(sandbox):
    open_dcr(sandbox)
    answer = register(sandbox, {"redirect_uris": [LOOPBACK_REDIRECT], "token_endpoint_auth_method": "none",
                                "application_type": "native"})
    assert answer.status_code == 201, answer.text
    return answer.json()


def _change_domain(sandbox):
    client = AmClient(sandbox)
    assert client.patch(client.d(), json={"description": "changed"}).status_code == 200
    return sandbox.am.domain_by_path(sandbox.seed["am_domain"])["id"]


def _manage(method, registration):
    return requests.request(method, registration["registration_client_uri"], timeout=10,
                            headers={"Authorization": "Bearer " + registration["registration_access_token"]})


def _login_page(sandbox, client_id):
    return requests.get(gateway_base(sandbox) + "/login", params={"client_id": client_id}, timeout=10)


def test_after_a_domain_change_login_fails_and_clients_are_unknown_until_the_redeploy_ends(sandbox):
    sandbox.config.domain_redeploy_window = 60
    registration = _registered(sandbox)
    assert _login_page(sandbox, registration["client_id"]).status_code == 200
    domain_id = _change_domain(sandbox)

    page = _login_page(sandbox, registration["client_id"])
    assert page.status_code == 500 and NO_IDP in page.text
    posted = requests.post(gateway_base(sandbox) + "/login", data={"client_id": registration["client_id"]}, timeout=10)
    assert posted.status_code == 500 and NO_IDP in posted.text
    assert _manage("GET", registration).status_code == 404
    deleted = _manage("DELETE", registration)
    assert deleted.status_code == 404 and deleted.json()["error"] == "not_found"
    assert any(a["clientId"] == registration["client_id"] for a in sandbox.am.applications.values())
    # Discovery and DCR keep working during the window.
    assert requests.get(gateway_base(sandbox) + "/oidc/.well-known/openid-configuration", timeout=10).ok
    assert _registered(sandbox)["client_id"]

    sandbox.call_soon(lambda: sandbox.am.gateway["redeploying_until"].update({domain_id: 0}))
    assert _login_page(sandbox, registration["client_id"]).status_code == 200
    assert _manage("DELETE", registration).status_code == 204


def test_no_window_by_default_and_settable_through_the_control_endpoint(sandbox):
    registration = _registered(sandbox)
    _change_domain(sandbox)
    assert _login_page(sandbox, registration["client_id"]).status_code == 200
    assert _manage("GET", registration).status_code == 200
    answer = requests.post(sandbox.urls["apim_url"] + "/_sandbox/config", json={"domain_redeploy_window": 2.5},
                           timeout=5)
    assert answer.json()["domain_redeploy_window"] == 2.5 and sandbox.config.domain_redeploy_window == 2.5


def test_a_refusal_floor_keeps_the_window_open_past_its_time_until_that_many_requests_met_it(sandbox):
    sandbox.config.domain_redeploy_window = 0.001
    sandbox.config.domain_redeploy_refusals = 2
    registration = _registered(sandbox)
    _change_domain(sandbox)

    statuses = [_login_page(sandbox, registration["client_id"]).status_code for _ in range(3)]

    assert statuses == [500, 500, 200]
