"""An HTTPS server with its own CA, serving Client ID Metadata Documents to the sandbox AM gateway (tests only)."""

import http.server
import json
import ssl
import threading

import trustme


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


def client_document(url, redirect_uri, **overrides):
    """A public MCP client's metadata document for ``url``."""
    return {"client_id": url, "client_name": "CIMD test client", "redirect_uris": [redirect_uri],
            "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
            "token_endpoint_auth_method": "none", **overrides}
