"""AM domain resolution (hrid first, then name via q) and AM URL helpers."""

import pytest
import responses
from responses import matchers

from ansible_collections.gravitee_community.mcp.plugins.module_utils.am import client as _am
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import GraviteeError

from ..support import AM_ENV

DOMAIN = {"id": "d-123", "hrid": "mcp-domain", "name": "MCP Domain", "enabled": True, "path": "/mcp-domain",
          "oidc": {"clientRegistrationSettings": {"isDynamicClientRegistrationEnabled": False}}}


@pytest.fixture
def am_client(make_client):
    return make_client(AM_ENV, product="AM")


def test_urls():
    assert _am.am_env_base("https://am.example.com/", "O", "E") == (
        "https://am.example.com/management/organizations/O/environments/E")
    assert _am.am_token_url("https://am.example.com/prefix") == "https://am.example.com/prefix/management/auth/token"
    assert _am.domain_path("d 1", "protected-resources", "/r1/") == "domains/d%201/protected-resources/r1"
    assert _am.domain_gateway_segment(DOMAIN) == "mcp-domain"
    assert _am.domain_gateway_segment({"hrid": "h"}) == "h"


def test_domain_client_base(am_client):
    assert _am.domain_client(am_client, "d-123").url_for("protected-resources") == (
        AM_ENV + "/domains/d-123/protected-resources")


@responses.activate
def test_resolve_by_hrid_takes_one_call(am_client):
    responses.add(responses.GET, AM_ENV + "/domains/_hrid/mcp-domain", json=DOMAIN)
    assert _am.resolve_domain(am_client, "mcp-domain") == DOMAIN
    assert len(responses.calls) == 1


@responses.activate
def test_resolve_by_name_lists_then_gets_the_full_domain(am_client):
    responses.add(responses.GET, AM_ENV + "/domains/_hrid/MCP%20Domain", status=404,
                  json={"message": "Domain [MCP Domain] can not be found.", "http_status": 404})
    responses.add(responses.GET, AM_ENV + "/domains", match=[matchers.query_param_matcher(
        {"q": "MCP Domain", "page": "0", "size": "50"})], json={"data": [
            {"id": "other", "hrid": "mcp-domain-2", "name": "MCP Domain 2", "enabled": True},
            {"id": "d-123", "hrid": "mcp-domain", "name": "MCP Domain", "enabled": True}],
            "currentPage": 0, "totalCount": 2})
    responses.add(responses.GET, AM_ENV + "/domains/d-123", json=DOMAIN)
    assert _am.resolve_domain(am_client, "MCP Domain") == DOMAIN
    assert len(responses.calls) == 3


@responses.activate
def test_absent_domain_has_a_clear_error(am_client):
    responses.add(responses.GET, AM_ENV + "/domains/_hrid/nope", status=404, json={"message": "x", "http_status": 404})
    responses.add(responses.GET, AM_ENV + "/domains", json={"data": [], "currentPage": 0, "totalCount": 0})
    with pytest.raises(GraviteeError) as caught:
        _am.resolve_domain(am_client, "nope", org="DEFAULT", env="DEFAULT")
    assert str(caught.value) == (
        "AM domain 'nope' was not found in organization 'DEFAULT' / environment 'DEFAULT' (looked up by hrid, then "
        "by name). Check domain, and am_org / am_env (GRAVITEE_AM_ORG / GRAVITEE_AM_ENV); create the domain in AM "
        "first.")
    assert caught.value.kind == "lookup" and caught.value.product == "AM"


@responses.activate
def test_disabled_domain_is_refused_unless_allowed(am_client):
    disabled = dict(DOMAIN, enabled=False)
    responses.add(responses.GET, AM_ENV + "/domains/_hrid/mcp-domain", json=disabled)
    with pytest.raises(GraviteeError, match=r"AM domain 'mcp-domain' \(hrid 'mcp-domain', id 'd-123'\) is disabled"):
        _am.resolve_domain(am_client, "mcp-domain")
    assert _am.resolve_domain(am_client, "mcp-domain", allow_disabled=True) == disabled


@responses.activate
def test_ambiguous_name(am_client):
    responses.add(responses.GET, AM_ENV + "/domains/_hrid/Dup", status=404)
    responses.add(responses.GET, AM_ENV + "/domains", json={"data": [
        {"id": "1", "hrid": "dup", "name": "Dup"}, {"id": "2", "hrid": "dup-1", "name": "Dup"}], "totalCount": 2})
    with pytest.raises(GraviteeError, match=r"ambiguous \(hrids: dup, dup-1\)"):
        _am.find_domain(am_client, "Dup")


@responses.activate
def test_other_errors_propagate(am_client):
    responses.add(responses.GET, AM_ENV + "/domains/_hrid/x", status=403,
                  json={"message": "Permission denied", "http_status": 403})
    with pytest.raises(GraviteeError) as caught:
        _am.find_domain(am_client, "x")
    assert caught.value.status == 403


@responses.activate
def test_graviteemodule_domain_helpers(run_module):
    from ansible_collections.gravitee_community.mcp.plugins.module_utils.gravitee import GraviteeModule

    responses.add(responses.GET, "https://am.example.com/management/organizations/DEFAULT/environments/DEFAULT/"
                  "domains/_hrid/mcp-domain", json=DOMAIN)
    responses.add(responses.GET, "https://am.example.com/management/organizations/DEFAULT/environments/DEFAULT/"
                  "domains/d-123/protected-resources", json={"data": [], "totalCount": 0})

    def main():
        gm = GraviteeModule({}, products=("am",))

        def run(gm):
            domain = gm.am_domain("mcp-domain")
            resources = gm.am_domain_client(domain).get("protected-resources", params={"type": "MCP_SERVER"})
            return {"listed": resources.body}

        gm.run(run)

    out = run_module(main, {"am_url": "https://am.example.com", "am_token": "am-token-0001"})
    assert out["listed"] == {"data": [], "totalCount": 0}
