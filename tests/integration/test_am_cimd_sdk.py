"""Proof of CIMD end to end: am_cimd turns it on, the official MCP SDK client, given ``client_metadata_url``, signs
in without any registration (its client id is the HTTPS URL of its metadata document, which the sandbox AM
gateway fetches and checks) and calls a tool through the APIM gateway."""

import pytest

from tests.support import guide_http
from tests.support.cimd_documents import DocumentServer, client_document
from tests.support.mcp_client import REDIRECT_URI, oauth_session, run

MODULE = "gravitee_community.mcp.am_cimd"
DOMAIN = "mcp-domain"


@pytest.fixture
def documents(tmp_path, sandbox):
    server = DocumentServer(tmp_path)
    sandbox.config.am_gateway_ca_path = server.ca_path  # the AM gateway trusts the document host's CA
    yield server
    server.close()


def publish(documents, path="/clients/mcp-client.json", **overrides):
    url = documents.url(path)
    documents.documents[path] = client_document(url, REDIRECT_URI, **overrides)
    return url


def registrations(sandbox):
    return [e for e in sandbox.log.entries if e.get("path", "").endswith("/oidc/register")]


def test_sdk_client_signs_in_with_its_metadata_document_and_calls_a_tool(playbook, sandbox, documents):
    secured = guide_http.secure_by_hand(sandbox.urls, sandbox.seed)
    run_result = playbook([{"name": "cimd", MODULE: {"domain": DOMAIN, "allow_private_ip": True}}])
    assert run_result.rc == 0, run_result.output
    url = publish(documents)
    before = len(registrations(sandbox))

    result = run(oauth_session(secured["mcp_url"], sandbox.seed["am_user"], sandbox.seed["am_user_password"],
                               "echo", {"text": "cimd"}, client_metadata_url=url))

    assert result["call"] and "cimd" in result["call"][0]
    assert result["client_id"] == url, "the document URL is the client id"
    assert len(registrations(sandbox)) == before, "no Dynamic Client Registration took place"
    assert any(step[0] == "POST" for step in result["login_steps"]), "a login form was submitted"
