"""The domain of am_dcr / am_registration (module_utils/am/known_domain.py): the one an earlier task read
(``known_domain``), held to what a read would accept, or read now."""

import pytest
import responses

from ansible_collections.gravitee_community.mcp.plugins.module_utils.am import known_domain as known
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import GraviteeError

from ..support import AM_ENV

DOMAIN = {"id": "d-123", "hrid": "mcp-domain", "name": "MCP Domain", "enabled": True, "path": "/mcp-domain",
          "loginSettings": {"registerEnabled": True}}


class FakeTask:
    """What settings_domain uses of a GraviteeModule: the AM client and the domain read (recorded)."""

    def __init__(self, client, read=None):
        self.am = client
        self.reads = []
        self._read = read

    def am_domain(self, domain, allow_disabled=False):
        self.reads.append((domain, allow_disabled))
        return self._read


@pytest.fixture
def am_client(make_client):
    return make_client(AM_ENV, product="AM")


def params(domain="mcp-domain", **options):
    return {"domain": domain, "known_domain": None, **options}


@responses.activate
@pytest.mark.parametrize("name", ["mcp-domain", "MCP Domain", "d-123"])
def test_a_known_domain_matching_by_hrid_name_or_id_is_taken_without_a_request(am_client, name):
    task = FakeTask(am_client)
    assert known.settings_domain(task, params(name, known_domain=DOMAIN)) == DOMAIN
    assert task.reads == [] and len(responses.calls) == 0


def test_without_a_known_domain_the_domain_is_read_and_disabled_ones_refused_by_that_read(am_client):
    task = FakeTask(am_client, read=DOMAIN)
    assert known.settings_domain(task, params()) == DOMAIN
    assert task.reads == [("mcp-domain", False)]
    assert known.fresh_reader(task, params()) is None


def test_a_known_domain_of_another_domain_is_refused_naming_the_option(am_client):
    task = FakeTask(am_client)
    with pytest.raises(GraviteeError) as caught:
        known.settings_domain(task, params("other-domain", known_domain=DOMAIN))
    assert str(caught.value) == (
        "known_domain is AM domain 'MCP Domain' (hrid 'mcp-domain', id 'd-123'), not domain 'other-domain' this task "
        "names: give the document of domain 'other-domain', or leave known_domain out to have the task read it.")
    assert task.reads == []


@pytest.mark.parametrize("document", [{}, {"hrid": "mcp-domain", "enabled": True}, dict(DOMAIN, id="")])
def test_a_known_domain_without_an_id_is_refused_naming_the_option(am_client, document):
    task = FakeTask(am_client)
    with pytest.raises(GraviteeError) as caught:
        known.settings_domain(task, params(known_domain=document))
    assert str(caught.value).startswith("known_domain has no 'id', so it is not an AM domain document:")
    assert "leave known_domain out to have the task read domain 'mcp-domain'" in str(caught.value)
    assert task.reads == []


@pytest.mark.parametrize("document", [dict(DOMAIN, enabled=False), {k: v for k, v in DOMAIN.items() if k != "enabled"}])
def test_a_known_disabled_domain_is_refused_as_a_read_refuses_it(am_client, document):
    task = FakeTask(am_client)
    with pytest.raises(GraviteeError) as caught:
        known.settings_domain(task, params(known_domain=document))
    # The very message (and kind) of the read's refusal (test_client.test_disabled_domain_is_refused_unless_allowed).
    assert str(caught.value) == (
        "AM domain 'mcp-domain' (hrid 'mcp-domain', id 'd-123') is disabled. Enable it in AM (domain settings) "
        "first: the AM gateway does not serve a disabled domain.")
    assert caught.value.kind == "lookup" and caught.value.url == AM_ENV + "/domains/d-123"
    assert task.reads == []


def test_a_known_domain_is_read_afresh_only_through_the_fresh_reader(am_client):
    fresh = dict(DOMAIN, loginSettings={"registerEnabled": True, "hideForm": True})
    task = FakeTask(am_client, read=fresh)
    reader = known.fresh_reader(task, params(known_domain=DOMAIN))
    assert task.reads == []
    assert reader() == fresh and task.reads == [("mcp-domain", False)]
