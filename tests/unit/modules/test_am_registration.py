"""am_registration: option -> loginSettings mapping and whole module runs against a mocked AM (responses)."""

import json

import pytest
import responses
from responses import matchers

from ansible_collections.gravitee_community.mcp.plugins.module_utils.am import registration as model
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import GraviteeError
from ansible_collections.gravitee_community.mcp.plugins.modules import am_registration
from tests.unit.module_utils.support import AM, AM_ENV, AM_TOKEN_URL, module_args

DOMAIN_URL = AM_ENV + "/domains/d-1"
CONN = {"am_url": AM, "am_token": "am-personal-token-77"}
LOGIN = {"inherited": False, "registerEnabled": False, "forgotPasswordEnabled": True, "rememberMeEnabled": False,
         "passwordlessEnabled": False, "hideForm": False, "identifierFirstEnabled": False}


def params(**options):
    base = {name: spec.get("default") for name, spec in am_registration.ARGUMENT_SPEC.items()}
    base.update(domain="mcp", **options)
    return base


def domain(login):
    doc = {"id": "d-1", "hrid": "mcp", "name": "mcp", "path": "/mcp", "enabled": True}
    if login is not None:
        doc["loginSettings"] = login
    return doc


@pytest.fixture
def run_module(capsys):
    def runner(args):
        with module_args(dict(CONN, **args)), pytest.raises(SystemExit):
            am_registration.main()
        return json.loads(capsys.readouterr().out)
    return runner


def mock_am(login, patched=None):
    responses.add(responses.GET, AM_ENV + "/domains/_hrid/mcp", json=domain(login))
    if patched is not None:
        # AM replaces loginSettings whole: the module must send the complete object it read.
        sent = {k: v for k, v in dict(login or {}, **patched).items() if v is not None}
        responses.add(responses.PATCH, DOMAIN_URL, json=domain(dict({"inherited": True}, **sent)), match=[
            matchers.json_params_matcher({"loginSettings": sent}, strict_match=True),
            matchers.header_matcher({"Authorization": "Bearer am-personal-token-77"})])


def patches():
    return [c for c in responses.calls if c.request.method == "PATCH"]


@pytest.mark.parametrize("options, expected", [
    ({}, {"registerEnabled": True, "forgotPasswordEnabled": None, "rememberMeEnabled": None}),
    ({"enabled": False, "remember_me": True},
     {"registerEnabled": False, "forgotPasswordEnabled": None, "rememberMeEnabled": True}),
    ({"state": "absent", "forgot_password": False},
     {"registerEnabled": False, "forgotPasswordEnabled": False, "rememberMeEnabled": None}),
])
def test_options_map_to_login_settings_and_unset_ones_are_not_managed(options, expected):
    assert model.desired_settings(params(**options)) == expected


def test_absent_with_enabled_true_is_refused():
    with pytest.raises(GraviteeError) as caught:
        model.desired_settings(params(state="absent", enabled=True))
    assert str(caught.value) == ("state=absent turns self-registration off, but enabled=true asks for it on: remove "
                                 "one of the two.")


@responses.activate
def test_enabling_sends_the_whole_login_settings_with_register_enabled_changed(run_module):
    mock_am(LOGIN, patched={"registerEnabled": True})
    out = run_module({"domain": "mcp", "_ansible_diff": True})
    assert out["changed"] is True and len(patches()) == 1
    assert out["registration"] == dict(LOGIN, registerEnabled=True)
    assert out["diff"] == {"before": {"registerEnabled": False}, "after": {"registerEnabled": True}}


@responses.activate
def test_a_domain_without_login_settings_counts_as_all_off(run_module):
    mock_am(None)
    out = run_module({"domain": "mcp", "enabled": False, "remember_me": False})
    assert out["changed"] is False and patches() == []
    assert out["registration"] == {"registerEnabled": False, "forgotPasswordEnabled": False,
                                   "rememberMeEnabled": False}


@responses.activate
def test_neighbour_switches_change_only_when_given(run_module):
    mock_am(dict(LOGIN, registerEnabled=True), patched={"forgotPasswordEnabled": False, "rememberMeEnabled": True})
    out = run_module({"domain": "mcp", "forgot_password": False, "remember_me": True, "_ansible_diff": True})
    assert out["changed"] is True
    assert out["diff"]["before"] == {"registerEnabled": True, "forgotPasswordEnabled": True, "rememberMeEnabled": False}
    assert out["diff"]["after"] == {"registerEnabled": True, "forgotPasswordEnabled": False, "rememberMeEnabled": True}


@responses.activate
def test_check_mode_and_absent(run_module):
    mock_am(dict(LOGIN, registerEnabled=True))
    out = run_module({"domain": "mcp", "state": "absent", "_ansible_check_mode": True})
    assert out["changed"] is True and patches() == []
    assert out["registration"]["registerEnabled"] is False
    assert out["registration"]["forgotPasswordEnabled"] is True


@responses.activate
def test_a_disabled_domain_is_refused_before_any_write(run_module):
    responses.add(responses.GET, AM_ENV + "/domains/_hrid/mcp", json=dict(domain(LOGIN), enabled=False))
    out = run_module({"domain": "mcp"})
    assert out["failed"] is True and patches() == []
    assert out["msg"].startswith("AM domain 'mcp' (hrid 'mcp', id 'd-1') is disabled.")
    assert "am-personal-token-77" not in json.dumps(out)
    assert not any(c.request.url.startswith(AM_TOKEN_URL) for c in responses.calls)


@responses.activate
def test_unmanaged_switches_are_sent_back_unchanged(run_module):
    login = dict(LOGIN, passwordlessEnabled=True, hideForm=True, identifierFirstEnabled=True,
                 passwordlessEnforcePasswordMaxAge=60, certificateBasedAuthUrl=None)
    # AM 4.10 shows a computed flag it refuses back: not part of what is sent.
    responses.add(responses.GET, AM_ENV + "/domains/_hrid/mcp",
                  json=domain(dict(login, enforcePasswordPolicyEnabled=False)))
    mock_am(login, patched={"registerEnabled": True, "rememberMeEnabled": True})
    out = run_module({"domain": "mcp", "remember_me": True})
    assert out["changed"] is True and len(patches()) == 1
    sent = json.loads(patches()[0].request.body)["loginSettings"]
    assert "certificateBasedAuthUrl" not in sent  # AM's null is its default: not sent
    assert sent["passwordlessEnabled"] is sent["hideForm"] is sent["identifierFirstEnabled"] is True
    assert out["registration"]["passwordlessEnforcePasswordMaxAge"] == 60


# --- known_domain: the domain an earlier task read ------------------------------------------------------------

@responses.activate
def test_a_known_domain_in_sync_sends_no_request_at_all(run_module):
    out = run_module({"domain": "mcp", "known_domain": domain(dict(LOGIN, registerEnabled=True))})
    assert out["changed"] is False and out["registration"]["registerEnabled"] is True
    assert len(responses.calls) == 0


@responses.activate
def test_a_write_is_built_from_a_fresh_read_not_from_the_known_domain(run_module):
    # loginSettings is replaced whole: a body from the stale copy would turn hideForm, set since, off again.
    now = dict(LOGIN, hideForm=True)
    mock_am(now, patched={"registerEnabled": True})
    out = run_module({"domain": "mcp", "known_domain": domain(LOGIN), "_ansible_diff": True})
    assert out["changed"] is True and len(patches()) == 1
    assert json.loads(patches()[0].request.body) == {"loginSettings": dict(now, registerEnabled=True)}
    assert [c.request.method for c in responses.calls] == ["GET", "PATCH"]


@responses.activate
def test_a_fresh_read_that_is_in_sync_sends_no_write(run_module):
    mock_am(dict(LOGIN, registerEnabled=True))
    out = run_module({"domain": "mcp", "known_domain": domain(LOGIN)})
    assert out["changed"] is False and patches() == []
    assert [c.request.method for c in responses.calls] == ["GET"]


@responses.activate
def test_a_known_domain_that_is_disabled_is_refused_before_any_request(run_module):
    out = run_module({"domain": "mcp", "known_domain": dict(domain(LOGIN), enabled=False)})
    assert out["failed"] is True and out["msg"].startswith("AM domain 'mcp' (hrid 'mcp', id 'd-1') is disabled.")
    assert len(responses.calls) == 0
