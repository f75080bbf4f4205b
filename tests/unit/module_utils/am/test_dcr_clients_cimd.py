"""The models of am_dcr_clients (which applications are registered clients, filters) and am_cimd (options)."""

import pytest

from ansible_collections.gravitee_community.mcp.plugins.module_utils.am import cimd, dcr_clients
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import GraviteeError

NOW = 1_800_000_000_000
DAY = 86_400_000


def app(created, name="Visual Studio Code", software=None, registered=True, template=False):
    oauth = {"clientId": "c-" + name, "clientName": name, "softwareId": software}
    if registered:
        oauth.update(registrationClientUri="https://am/d/oidc/register/c", registrationAccessToken="tok-9f8e7d")
    return {"id": "a-" + name, "createdAt": created, "template": template, "name": name, "settings": {"oauth": oauth}}


def test_only_applications_made_through_dcr_and_not_templates_are_registered_clients():
    assert dcr_clients.is_registered(app(NOW))
    assert not dcr_clients.is_registered(app(NOW, registered=False))
    assert not dcr_clients.is_registered(app(NOW, template=True))
    assert not dcr_clients.is_registered({"id": "x"})


def test_the_view_never_carries_the_registration_access_token():
    shown = dcr_clients.view(app(NOW))
    assert "tok-9f8e7d" not in repr(shown) and shown["registration_client_uri"].endswith("/register/c")


@pytest.mark.parametrize("text, seconds", [("30d", 30 * 86400), ("12h", 43200), ("90m", 5400), ("2w", 1209600),
                                           (" 45 s ", 45)])
def test_ages(text, seconds):
    assert dcr_clients.age_seconds(text) == seconds


@pytest.mark.parametrize("text", ["30", "30 days", "0d", "-1d", "d", "1y"])
def test_bad_ages_name_the_option(text):
    with pytest.raises(GraviteeError, match="older_than"):
        dcr_clients.age_seconds(text)


def test_every_given_filter_must_match():
    filters = dcr_clients.build_filters({"older_than": "30d", "client_name": "Visual*", "software_id": None}, NOW)
    old, new = dcr_clients.view(app(NOW - 31 * DAY)), dcr_clients.view(app(NOW - DAY))
    other = dcr_clients.view(app(NOW - 31 * DAY, name="Cursor"))
    assert [dcr_clients.matches(c, filters) for c in (old, new, other)] == [True, False, False]
    by_software = dcr_clients.build_filters({"software_id": "vscode"}, NOW)
    assert dcr_clients.matches(dcr_clients.view(app(NOW, software="vscode")), by_software)
    assert not dcr_clients.matches(old, by_software)


def test_at_least_one_filter_is_required():
    with pytest.raises(GraviteeError, match="at least one of older_than, client_name or software_id"):
        dcr_clients.build_filters({"older_than": None, "client_name": "", "software_id": None}, NOW)


def cimd_params(**options):
    base = {"state": "present", "enabled": None, "allowed_domains": None}
    base.update({name: None for name in cimd.FIELDS})
    base.update(options)
    return base


def test_cimd_options_map_to_ams_fields_and_unset_ones_are_left_alone():
    desired = cimd.desired_settings(cimd_params(allowed_domains=["*.example.com"], fetch_timeout_ms=3000))
    assert desired["enabled"] is True and desired["allowedDomains"] == ["*.example.com"]
    assert desired["fetchTimeoutMs"] == 3000 and desired["cacheTtlSeconds"] is None
    assert cimd.desired_settings(cimd_params(state="absent")) == {"enabled": False}


@pytest.mark.parametrize("options, message", [
    ({"cache_ttl_seconds": 0}, "cache_ttl_seconds must be higher than 0"),
    ({"allowed_domains": ["*.*.example.com"]}, "allowed_domains"),
    ({"allowed_domains": ["localhost"]}, "allowed_domains"),
    ({"state": "absent", "enabled": True}, "state=absent"),
])
def test_bad_cimd_options_are_refused_by_name(options, message):
    with pytest.raises(GraviteeError, match=message):
        cimd.desired_settings(cimd_params(**options))
