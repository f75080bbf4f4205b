"""Proof of CIMD end to end: am_cimd turns it on, the official MCP SDK client, given ``client_metadata_url``, signs
in without any registration (its client id is the HTTPS URL of its metadata document, which the sandbox AM
gateway fetches and checks) and calls a tool through the APIM gateway."""

import http.server
import json
import ssl
import threading

import pytest
import trustme

from tests.support import guide_http
from tests.support.mcp_client import REDIRECT_URI, oauth_session, run

MODULE = "gravitee_community.mcp.am_cimd"
DOMAIN = "mcp-domain"


class DocumentServer:
    """An HTTPS server on localhost (its own CA) serving one JSON document per path."""

    def __init__(self, tmp_path):
        self.ca = trustme.CA()
        self.ca_path = str(tmp_path / "cimd-ca.pem")
        self.ca.cert_pem.write_to_path(self.ca_path)
        self.documents = {}
        documents = self.documents

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                body = documents.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(body).encode() if body is not None else b"{}")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ca.issue_cert("localhost").configure_cert(context)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "https://localhost:%d%s" % (self.server.server_address[1], path)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def documents(tmp_path, sandbox):
    server = DocumentServer(tmp_path)
    sandbox.config.am_gateway_ca_path = server.ca_path  # the AM gateway trusts the document host's CA
    yield server
    server.close()


def publish(documents, path="/clients/mcp-client.json", **overrides):
    url = documents.url(path)
    documents.documents[path] = {"client_id": url, "client_name": "CIMD test client", "redirect_uris": [REDIRECT_URI],
                                 "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
                                 "token_endpoint_auth_method": "none", **overrides}
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
