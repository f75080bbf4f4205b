"""The URL forms of an MCP resource identifier, and am_mcp_server's ``url_forms`` option."""

import pytest

from ansible_collections.gravitee_community.mcp.plugins.module_utils.am.mcp_identifiers import (
    url_forms,
    with_url_forms,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.am.mcp_server import desired_state


@pytest.mark.parametrize("identifier, forms", [
    ("https://gw.example.com/mcp/", ["https://gw.example.com/mcp/", "https://gw.example.com/mcp"]),
    ("https://gw.example.com/mcp", ["https://gw.example.com/mcp", "https://gw.example.com/mcp/"]),
    ("https://gw.example.com", ["https://gw.example.com", "https://gw.example.com/"]),
    ("https://gw.example.com/", ["https://gw.example.com/", "https://gw.example.com"]),
    ("https://gw.example.com:8443/a/mcp?x=1", ["https://gw.example.com:8443/a/mcp?x=1",
                                               "https://gw.example.com:8443/a/mcp/?x=1"]),
])
def test_each_identifier_has_a_slashed_and_a_slash_less_form(identifier, forms):
    assert url_forms(identifier) == forms


def test_forms_of_a_list_keep_the_order_and_list_each_once():
    assert with_url_forms(["https://gw/a/", "https://gw/a", "https://gw/b"]) == [
        "https://gw/a/", "https://gw/a", "https://gw/b", "https://gw/b/"]


def params(**changes):
    base = {"name": "Weather", "description": None, "client_id": None, "tools": None,
            "resource_identifier": ["https://gw.example.com/mcp/"], "url_forms": False}
    base.update(changes)
    return base


def test_url_forms_adds_the_other_form_to_the_desired_identifiers():
    assert desired_state(params())["resource_identifiers"] == ["https://gw.example.com/mcp/"]
    assert desired_state(params(url_forms=True))["resource_identifiers"] == [
        "https://gw.example.com/mcp/", "https://gw.example.com/mcp"]
