"""am_application's model: AM documents to the module's view, input checks, redirect URI rules, the PATCH body."""

import pytest

from ansible_collections.gravitee_community.mcp.plugins.module_utils.am import application as model

AM_APP = {"id": "a-1", "name": "VS Code", "type": "native", "identityProviders": [
    {"identity": "other", "priority": 2}, {"identity": "default-idp-d", "priority": 0}],
    "settings": {"oauth": {"clientId": "vscode", "clientSecret": "never-shown", "redirectUris": ["https://x/cb"],
                           "grantTypes": ["refresh_token", "authorization_code"],
                           "tokenEndpointAuthMethod": "none", "scopeSettings": [{"scope": "openid"}]}}}


def params(**options):
    base = {"state": "present", "name": "n", "client_id": None, "type": None, "redirect_uris": ["https://x/cb"],
            "grant_types": None, "identity_provider": None, "client_secret": None,
            "scopes": None}
    base.update(options)
    return base


def test_view_has_no_secret_and_takes_the_first_identity_provider_by_priority():
    view = model.application_view(AM_APP)
    assert view == {"id": "a-1", "name": "VS Code", "type": "native", "client_id": "vscode",
                    "redirect_uris": ["https://x/cb"], "grant_types": ["refresh_token", "authorization_code"],
                    "identity_provider": "default-idp-d", "scopes": ["openid"], "public": True}
    assert "never-shown" not in str(view)


def test_lists_compare_as_sets_and_patch_holds_only_what_differs():
    current = model.application_view(AM_APP)
    desired = model.desired_state(params(name="VS Code", redirect_uris=["https://x/cb"]))
    desired["identity_provider"] = "default-idp-d"
    assert model.in_sync(desired, current)  # grant types in another order
    desired.update(redirect_uris=["https://y/cb"], identity_provider="other", name="Code", scopes=["openid", "email"])
    assert model.am_patch(desired, current) == {"name": "Code", "identityProviders": [
        {"identity": "other", "priority": 0}], "settings": {"oauth": {
            "redirectUris": ["https://y/cb"],
            "scopeSettings": [{"scope": "openid", "defaultScope": True}, {"scope": "email", "defaultScope": True}]}}}


@pytest.mark.parametrize("uri, flags, expected", [
    ("https://app.example.com/cb", {}, None),
    ("cursor://anysphere.cursor-retrieval/oauth/callback", {}, None),
    ("http://127.0.0.1:33418/", {"allowHttpSchemeRedirectUri": True}, "localhost"),
    ("http://localhost/", {"allowLocalhostRedirectUri": True}, "plain http"),
    ("http://127.0.0.1:33418/", {"allowLocalhostRedirectUri": True, "allowHttpSchemeRedirectUri": True}, None),
    ("https://[::1]:8080/cb", {}, "localhost"),
    ("https://*.example.com/cb", {}, "'*'"),
    ("https://app.example.com/cb#frag", {"allowWildCardRedirectUri": True}, "fragment"),
    ("not a uri", {}, "absolute URI"),
])
def test_redirect_uri_rules_follow_the_domain_flags(uri, flags, expected):
    problem = model._redirect_problem(uri, flags)
    assert (problem is None) if expected is None else (expected in problem)


@pytest.mark.parametrize("options, needle", [
    ({"type": "browser", "client_secret": "abcdefghij"}, "client_secret: a browser application is a public client"),
    ({"grant_types": ["refresh_token"]}, "grant_types: must hold authorization_code"),
    ({"type": "native", "grant_types": ["authorization_code", "client_credentials"]}, "type=web"),
    ({"redirect_uris": []}, "redirect_uris"),
    ({"name": None}, "name or client_id"),
    ({"type": "web", "client_secret": "short"}, "at least 8"),
])
def test_input_problems_name_the_option(options, needle):
    assert any(needle in p for p in model.input_problems(params(**options)))


def test_absent_needs_no_redirect_uris():
    assert model.input_problems(params(state="absent", redirect_uris=None, client_id="c")) == []


def test_create_body_is_new_application_only():
    desired = model.desired_state(params(name="A", client_id="c", type="web", redirect_uris=["https://x/cb"]))
    assert model.am_create_body(desired, "s3cret-42") == {
        "name": "A", "type": "WEB", "redirectUris": ["https://x/cb"], "clientId": "c", "clientSecret": "s3cret-42"}
