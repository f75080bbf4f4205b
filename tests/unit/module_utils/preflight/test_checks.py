"""The secret plan of the preflight, and the wait for AM to accept a secret, without a server."""

import base64

import pytest
import responses

from ansible_collections.gravitee_community.mcp.plugins.module_utils.am.secret_check import (
    ACCEPTED,
    REJECTED,
    wait_for_acceptance,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import GraviteeError
from ansible_collections.gravitee_community.mcp.plugins.module_utils.preflight import checks as _preflight

SERVER = {"id": "r1", "name": "Weather", "clientId": "c1"}


class FakeCheck:
    """Answers like AM's introspection: accepted only for the secrets in ``valid``."""

    def __init__(self, *valid):
        self.valid, self.asked = set(valid), []

    def status(self, client_id, secret, wait=False):
        self.asked.append((client_id, secret, wait))
        return ACCEPTED if secret in self.valid else REJECTED


def api_with(client_id, secret):
    configuration = {"clientId": client_id, "clientSecret": secret}
    return {"id": "a1", "resources": [{"name": "AM OAuth2 Resource", "type": "oauth2-am-resource",
                                       "configuration": configuration}]}


def params(**overrides):
    base = {"client_id": None, "client_secret": None, "rotate_secret": False, "secret_recovery": "rotate",
            "resource_name": "AM OAuth2 Resource", "wait": False}
    base.update(overrides)
    return base


@pytest.fixture
def renewal(monkeypatch):
    """``renewal(supported)``: whether AM has the secrets API (4.11+)."""
    def set_support(supported):
        monkeypatch.setattr(_preflight, "renewal_supported", lambda client, server: supported)
    set_support(True)
    return set_support


def test_no_server_yet_means_create(renewal):
    assert _preflight.secret_plan(params(), FakeCheck(), None, None, None)["plan"] == "create"


def test_a_stored_secret_that_am_accepts_is_kept(renewal):
    check = FakeCheck("s1")
    plan = _preflight.secret_plan(params(), check, None, SERVER, api_with("c1", "s1"))
    assert plan["plan"] == "keep" and plan["stored"] == "accepted"
    assert check.asked == [("c1", "s1", False)]


@pytest.mark.parametrize("api, stored", [
    (api_with("c1", "revoked"), "rejected"),
    (api_with("other", "s1"), "other_client"),
    (None, "missing"),
])
def test_no_working_stored_secret_means_renew_on_4_11(renewal, api, stored):
    plan = _preflight.secret_plan(params(), FakeCheck("s1"), None, SERVER, api)
    assert (plan["plan"], plan["stored"]) == ("renew", stored)


def test_on_4_10_a_rejected_secret_fails_with_the_fix(renewal):
    renewal(False)
    with pytest.raises(GraviteeError) as raised:
        _preflight.secret_plan(params(), FakeCheck(), None, SERVER, api_with("c1", "revoked"))
    assert "cannot renew" in str(raised.value) and "secure_mcp_client_secret" in str(raised.value)


def test_recovery_fail_stops_with_the_choices(renewal):
    with pytest.raises(GraviteeError) as raised:
        _preflight.secret_plan(params(secret_recovery="fail"), FakeCheck(), None, SERVER, None)
    assert "secret_recovery (secure_mcp_secret_recovery" in str(raised.value)


def test_a_supplied_secret_is_checked_and_a_wrong_one_refused(renewal):
    assert _preflight.secret_plan(params(client_secret="s1"), FakeCheck("s1"), None, SERVER, None)["plan"] == \
        "supplied"
    with pytest.raises(GraviteeError) as raised:
        _preflight.secret_plan(params(client_secret="wrong"), FakeCheck("s1"), None, SERVER, None)
    assert "is not accepted by AM" in str(raised.value) and "wrong" not in str(raised.value)


def test_a_client_id_other_than_the_servers_is_refused(renewal):
    with pytest.raises(GraviteeError) as raised:
        _preflight.secret_plan(params(client_id="c2"), FakeCheck(), None, SERVER, None)
    assert "uses client id 'c1'" in str(raised.value)


def test_rotation_is_planned_on_4_11_and_refused_on_4_10(renewal):
    assert _preflight.secret_plan(params(rotate_secret=True), FakeCheck(), None, SERVER, None)["plan"] == "renew"
    renewal(False)
    with pytest.raises(GraviteeError) as raised:
        _preflight.secret_plan(params(rotate_secret=True), FakeCheck(), None, SERVER, None)
    assert "needs AM 4.11" in str(raised.value)


def test_the_wait_polls_until_accepted_and_gives_up_after_its_attempts(monkeypatch):
    answers = [REJECTED, REJECTED, ACCEPTED]
    asked = []

    def answer(*args):
        asked.append(args)
        return answers[len(asked) - 1]

    monkeypatch.setattr("ansible_collections.gravitee_community.mcp.plugins.module_utils.am.secret_check."
                        "secret_status", answer)
    slept = []
    assert wait_for_acceptance(None, "u", "c", "s", attempts=5, delay=0.5, sleep=slept.append) == ACCEPTED
    assert len(asked) == 3 and slept == [0.5, 0.5]
    asked.clear()
    monkeypatch.setattr("ansible_collections.gravitee_community.mcp.plugins.module_utils.am.secret_check."
                        "secret_status", lambda *args: asked.append(args) or REJECTED)
    assert wait_for_acceptance(None, "u", "c", "s", attempts=2, delay=0, sleep=slept.append) == REJECTED
    assert len(asked) == 2


@responses.activate
def test_introspection_with_basic_credentials_tells_accepted_from_rejected():
    from ansible_collections.gravitee_community.mcp.plugins.module_utils.am.secret_check import secret_status
    from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.http import HttpClient

    url = "https://am-gw.example.com/mcp-domain/oauth/introspect"
    responses.add(responses.POST, url, json={"active": False}, status=200)
    responses.add(responses.POST, url, json={"error": "invalid_client"}, status=401)
    client = HttpClient("https://am-gw.example.com", product="AM gateway", retry=0)
    assert secret_status(client, url, "c 1", "s+/=1") == ACCEPTED
    assert secret_status(client, url, "c 1", "s+/=1") == REJECTED
    sent = responses.calls[0].request
    # RFC 6749 section 2.3.1: each part form-encoded before Basic.
    assert sent.headers["Authorization"] == "Basic " + base64.b64encode(b"c%201:s%2B%2F%3D1").decode()
    assert sent.body.startswith("token=gravitee-mcp-check-")
    assert client.log.summary()["writes"] == 0
