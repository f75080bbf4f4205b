"""The shared domain-settings logic (module_utils/am/domain_settings.py) of am_dcr and am_registration: what counts
as a difference, what is sent (only differing keys, never null), and what is reported."""

import pytest

from ansible_collections.gravitee_community.mcp.plugins.module_utils.am import domain_settings as settings

CRS = ("oidc", "clientRegistrationSettings")


def test_section_of_reads_nested_sections_and_treats_a_missing_one_as_empty():
    domain = {"oidc": {"clientRegistrationSettings": {"isDynamicClientRegistrationEnabled": True}}}
    assert settings.section_of(domain, CRS) == {"isDynamicClientRegistrationEnabled": True}
    assert settings.section_of(domain, ("loginSettings",)) == {}
    assert settings.section_of({"oidc": None}, CRS) == {}
    assert settings.section_of(None, CRS) == {}


def test_a_left_out_key_is_false_or_empty_so_asking_for_false_or_empty_changes_nothing():
    assert settings.differing({"registerEnabled": False, "defaultScopes": []}, {}) == {}
    assert settings.differing({"registerEnabled": True}, {}) == {"registerEnabled": True}
    # A null AM might still send counts as left out.
    assert settings.differing({"allowedScopes": []}, {"allowedScopes": None}) == {}


def test_only_differing_keys_are_kept_and_unmanaged_keys_are_never_sent_as_null():
    current = {"isDynamicClientRegistrationEnabled": False, "allowLocalhostRedirectUri": True,
               "isOpenDynamicClientRegistrationEnabled": True}
    desired = {"isDynamicClientRegistrationEnabled": True, "allowLocalhostRedirectUri": True,
               "isOpenDynamicClientRegistrationEnabled": None, "isClientTemplateEnabled": None}
    patch = settings.differing(desired, current)
    assert patch == {"isDynamicClientRegistrationEnabled": True}
    assert None not in patch.values()


def test_scope_lists_compare_as_sets_and_are_sent_without_repeats():
    current = {"defaultScopes": ["profile", "openid"]}
    assert settings.differing({"defaultScopes": ["openid", "profile", "openid"]}, current) == {}
    assert settings.differing({"defaultScopes": ["openid", "email", "openid"]}, current) == {
        "defaultScopes": ["openid", "email"]}
    assert settings.differing({"defaultScopes": []}, current) == {"defaultScopes": []}


def test_flags_compare_strictly():
    assert settings.same_value(True, True) and not settings.same_value(True, 1)
    assert not settings.same_value(False, None) and not settings.same_value(False, "false")


def test_defaults_decide_the_value_of_a_left_out_key():
    assert settings.effective({}, "inherited", False, {"inherited": True}) is True
    assert settings.differing({"inherited": True}, {}, {"inherited": True}) == {}


def test_nest_builds_the_patch_body_under_the_section_path():
    assert settings.nest(CRS, {"a": True}) == {"oidc": {"clientRegistrationSettings": {"a": True}}}
    assert settings.nest(("loginSettings",), {"registerEnabled": True}) == {"loginSettings": {"registerEnabled": True}}


def test_view_fills_known_keys_and_keeps_the_others():
    shown = settings.view({"registerEnabled": True, "hideForm": False, "x": None},
                          {"registerEnabled": False, "rememberMeEnabled": False})
    assert shown == {"registerEnabled": True, "rememberMeEnabled": False, "hideForm": False}


@pytest.mark.parametrize("desired, expected", [
    ({"registerEnabled": True, "rememberMeEnabled": None}, {"registerEnabled": False}),
    ({"defaultScopes": ["openid"]}, {"defaultScopes": []}),
])
def test_managed_values_cover_exactly_the_managed_keys(desired, expected):
    assert settings.managed_values({}, desired) == expected
