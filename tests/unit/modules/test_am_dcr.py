"""am_dcr: option -> AM field mapping, bad input, and whole module runs against a mocked AM (HTTP via responses)."""

import json

import pytest
import responses
from responses import matchers

from ansible_collections.gravitee_community.mcp.plugins.module_utils.am import dcr as model
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import GraviteeError
from ansible_collections.gravitee_community.mcp.plugins.modules import am_dcr
from tests.unit.module_utils.support import AM, AM_ENV, AM_TOKEN_URL, module_args

DOMAIN_URL = AM_ENV + "/domains/d-1"
CONN = {"am_url": AM, "am_username": "admin", "am_password": "am-pass-4242"}
JWT = "jwt-dcr.unit.token"
ALL_OFF = {"isDynamicClientRegistrationEnabled": False, "isOpenDynamicClientRegistrationEnabled": False,
           "allowLocalhostRedirectUri": False, "allowHttpSchemeRedirectUri": False,
           "allowWildCardRedirectUri": False, "allowRedirectUriParamsExpressionLanguage": False,
           "isAllowedScopesEnabled": False, "isClientTemplateEnabled": False}
MCP_READY = dict(ALL_OFF, isDynamicClientRegistrationEnabled=True, isOpenDynamicClientRegistrationEnabled=True,
                 allowLocalhostRedirectUri=True, allowHttpSchemeRedirectUri=True)


def params(**options):
    base = {name: spec.get("default") for name, spec in am_dcr.ARGUMENT_SPEC.items()}
    base.update(domain="mcp", **options)
    return base


def domain(crs):
    return {"id": "d-1", "hrid": "mcp", "name": "mcp", "path": "/mcp", "enabled": True,
            "oidc": {"clientRegistrationSettings": crs, "redirectUriStrictMatching": False}}


@pytest.fixture
def run_module(capsys):
    def runner(args):
        with module_args(dict(CONN, **args)), pytest.raises(SystemExit):
            am_dcr.main()
        return json.loads(capsys.readouterr().out)
    return runner


def mock_am(crs, patched=None, scopes=None):
    """Token exchange, domain by hrid, optional scope list and PATCH (answering like AM: the merged domain)."""
    responses.add(responses.POST, AM_TOKEN_URL, json={"access_token": JWT, "token_type": "bearer"})
    responses.add(responses.GET, AM_ENV + "/domains/_hrid/mcp", json=domain(crs))
    if scopes is not None:
        responses.add(responses.GET, DOMAIN_URL + "/scopes", json={
            "data": [{"key": key} for key in scopes], "currentPage": 0, "totalCount": len(scopes)})
    if patched is not None:
        merged = dict(crs, **patched)
        responses.add(responses.PATCH, DOMAIN_URL, json=domain(merged), match=[matchers.json_params_matcher(
            {"oidc": {"clientRegistrationSettings": patched}}, strict_match=True)])


def calls(method):
    return [c for c in responses.calls if c.request.method == method and "auth/token" not in c.request.url]


# --- mapping -------------------------------------------------------------------------------------------

def test_defaults_ask_for_what_mcp_clients_need_and_leave_scopes_and_templates_alone():
    assert model.desired_settings(params()) == {
        "isDynamicClientRegistrationEnabled": True, "isOpenDynamicClientRegistrationEnabled": True,
        "allowLocalhostRedirectUri": True, "allowHttpSchemeRedirectUri": True, "allowWildCardRedirectUri": False,
        "isClientTemplateEnabled": None}


def test_every_option_maps_to_its_real_am_field():
    desired = model.desired_settings(params(
        enabled=False, open_registration=False, allow_localhost_redirect_uri=False,
        allow_http_scheme_redirect_uri=False, allow_wildcard_redirect_uri=True, default_scopes=[" openid "],
        allowed_scopes=["openid", "profile"], client_templates=True))
    assert desired == {
        "isDynamicClientRegistrationEnabled": False, "isOpenDynamicClientRegistrationEnabled": False,
        "allowLocalhostRedirectUri": False, "allowHttpSchemeRedirectUri": False, "allowWildCardRedirectUri": True,
        "isClientTemplateEnabled": True, "defaultScopes": ["openid"], "isAllowedScopesEnabled": True,
        "allowedScopes": ["openid", "profile"]}
    # The OpenAPI file's setter names are refused by AM: they must never appear.
    assert not {"dynamicClientRegistrationEnabled", "openDynamicClientRegistrationEnabled",
                "clientTemplateEnabled"} & set(desired)


def test_an_empty_allow_list_turns_the_allow_list_off():
    desired = model.desired_settings(params(allowed_scopes=[]))
    assert desired["isAllowedScopesEnabled"] is False and desired["allowedScopes"] == []


def test_absent_only_turns_dcr_off():
    assert model.desired_settings(params(state="absent", enabled=False)) == {
        "isDynamicClientRegistrationEnabled": False}


@pytest.mark.parametrize("options, message", [
    ({"state": "absent", "enabled": True},
     "state=absent turns DCR off, but enabled=true asks for it on: remove one of the two."),
    ({"state": "absent", "default_scopes": ["openid"], "client_templates": False},
     "default_scopes, client_templates cannot be used with state=absent, which only turns DCR off (the other "
     "settings are kept): remove them, or use state=present with enabled=false."),
    ({"default_scopes": ["openid profile"]},
     "default_scopes holds 'openid profile', which is not a scope key: give one scope key per list item."),
    ({"allowed_scopes": ["openid", " "]},
     "allowed_scopes holds ' ', which is not a scope key: give one scope key per list item."),
])
def test_contradicting_or_malformed_options_are_refused(options, message):
    with pytest.raises(GraviteeError) as caught:
        model.desired_settings(params(**options))
    assert str(caught.value) == message


# --- module runs ---------------------------------------------------------------------------------------

@responses.activate
def test_turning_dcr_on_patches_only_the_differing_keys(run_module):
    current = dict(ALL_OFF, allowHttpSchemeRedirectUri=True)
    mock_am(current, patched={"isDynamicClientRegistrationEnabled": True,
                              "isOpenDynamicClientRegistrationEnabled": True, "allowLocalhostRedirectUri": True})
    out = run_module({"domain": "mcp", "_ansible_diff": True})
    assert out["changed"] is True
    assert out["dcr"] == dict(MCP_READY, defaultScopes=[], allowedScopes=[])
    assert out["diff"] == {
        "before": {"isDynamicClientRegistrationEnabled": False, "isOpenDynamicClientRegistrationEnabled": False,
                   "allowLocalhostRedirectUri": False, "allowHttpSchemeRedirectUri": True,
                   "allowWildCardRedirectUri": False},
        "after": {"isDynamicClientRegistrationEnabled": True, "isOpenDynamicClientRegistrationEnabled": True,
                  "allowLocalhostRedirectUri": True, "allowHttpSchemeRedirectUri": True,
                  "allowWildCardRedirectUri": False}}
    assert len(calls("PATCH")) == 1
    # One token exchange for the whole run, however many calls follow.
    assert len([c for c in responses.calls if c.request.url.startswith(AM_TOKEN_URL)]) == 1


@responses.activate
def test_in_sync_sends_no_write(run_module):
    mock_am(dict(MCP_READY, defaultScopes=["profile", "openid"]))
    out = run_module({"domain": "mcp", "default_scopes": ["openid", "profile"]})
    assert out["changed"] is False and calls("PATCH") == []
    # The scope list is only checked when it is about to be written.
    assert not any("/scopes" in c.request.url for c in responses.calls)


@responses.activate
def test_check_mode_predicts_without_writing(run_module):
    mock_am(ALL_OFF, scopes=["openid", "profile"])
    out = run_module({"domain": "mcp", "default_scopes": ["openid"], "_ansible_check_mode": True,
                      "_ansible_diff": True})
    assert out["changed"] is True and calls("PATCH") == []
    assert out["dcr"]["defaultScopes"] == ["openid"] and out["dcr"]["isDynamicClientRegistrationEnabled"] is True
    assert out["diff"]["before"]["defaultScopes"] == [] and out["diff"]["after"]["defaultScopes"] == ["openid"]


@responses.activate
def test_scopes_and_allow_list_are_sent_once_checked(run_module):
    mock_am(MCP_READY, scopes=["openid", "profile", "email"],
            patched={"defaultScopes": ["openid"], "isAllowedScopesEnabled": True, "allowedScopes": ["openid", "email"]})
    out = run_module({"domain": "mcp", "default_scopes": ["openid"], "allowed_scopes": ["openid", "email", "openid"]})
    assert out["changed"] is True and out["dcr"]["allowedScopes"] == ["openid", "email"]


@responses.activate
def test_an_unknown_scope_fails_before_any_write(run_module):
    mock_am(MCP_READY, scopes=["openid", "profile"])
    out = run_module({"domain": "mcp", "default_scopes": ["openid", "weather_read"]})
    assert out["failed"] is True and calls("PATCH") == []
    assert out["msg"] == ("default_scopes: 'weather_read' is not a scope of AM domain 'mcp' (known scopes: openid, "
                          "profile). Create the scope in the domain first, or fix the key.")


@responses.activate
def test_absent_patches_only_the_dcr_flag(run_module):
    mock_am(dict(MCP_READY, defaultScopes=["openid"]), patched={"isDynamicClientRegistrationEnabled": False})
    out = run_module({"domain": "mcp", "state": "absent", "_ansible_diff": True})
    assert out["changed"] is True
    assert out["dcr"]["isOpenDynamicClientRegistrationEnabled"] is True and out["dcr"]["defaultScopes"] == ["openid"]
    assert out["diff"] == {"before": {"isDynamicClientRegistrationEnabled": True},
                           "after": {"isDynamicClientRegistrationEnabled": False}}


@responses.activate
def test_bad_input_fails_before_any_request(run_module):
    out = run_module({"domain": "mcp", "state": "absent", "enabled": True})
    assert out["failed"] is True and "enabled=true" in out["msg"]
    assert len(responses.calls) == 0


@responses.activate
def test_the_password_never_reaches_the_output(run_module):
    responses.add(responses.POST, AM_TOKEN_URL, status=401, headers={"WWW-Authenticate": "Basic"})
    out = run_module({"domain": "mcp"})
    assert out["failed"] is True and "am_username / am_password" in out["msg"]
    assert "am-pass-4242" not in json.dumps(out)


@responses.activate
def test_the_known_scope_list_in_the_message_is_bounded(run_module):
    mock_am(MCP_READY, scopes=["s%02d" % n for n in range(40)])
    out = run_module({"domain": "mcp", "allowed_scopes": ["nope", "zilch"]})
    assert out["msg"].startswith("allowed_scopes: 'nope', 'zilch' are not a scope of AM domain 'mcp' (known scopes: "
                                 "s00, s01,")
    assert "s29, ... (10 more)). Create the scope" in out["msg"] and "s30" not in out["msg"]


# --- known_domain: the domain an earlier task read ------------------------------------------------------------

@responses.activate
def test_a_known_domain_in_sync_sends_no_request_at_all(run_module):
    out = run_module({"domain": "mcp", "known_domain": domain(MCP_READY)})
    assert out["changed"] is False and out["dcr"] == dict(MCP_READY, defaultScopes=[], allowedScopes=[])
    assert len(responses.calls) == 0  # not even the login


@responses.activate
def test_a_known_domain_is_written_from_without_a_read(run_module):
    # clientRegistrationSettings merges key by key: a body of the differing keys is safe to build from it.
    turned_on = ("isDynamicClientRegistrationEnabled", "isOpenDynamicClientRegistrationEnabled",
                 "allowLocalhostRedirectUri", "allowHttpSchemeRedirectUri")
    mock_am(ALL_OFF, patched=dict.fromkeys(turned_on, True))
    out = run_module({"domain": "mcp", "known_domain": domain(ALL_OFF), "_ansible_diff": True})
    assert out["changed"] is True and len(calls("PATCH")) == 1 and calls("GET") == []
    assert out["diff"]["before"]["isDynamicClientRegistrationEnabled"] is False


@responses.activate
def test_a_known_domain_of_another_domain_fails_before_any_request(run_module):
    out = run_module({"domain": "other", "known_domain": domain(ALL_OFF)})
    assert out["failed"] is True and out["msg"].startswith("known_domain is AM domain 'mcp'")
    assert len(responses.calls) == 0
