"""A small client for the sandbox AM management API, shared by the test_am_mgmt_* tests (no tests here)."""

import asyncio
import json

import requests
from starlette.requests import Request

from tests.sandbox.am.mgmt import app as am_mgmt

MCP_URL = "https://apim-gw.example.com/my-mcp-secure-api"
ENV_PATH = "/management/organizations/DEFAULT/environments/DEFAULT"  # the prefix E, as a path


class AmClient:
    """Talks to ``/management`` with an admin bearer token (fetched on first use)."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.base = sandbox.urls["am_url"] + "/management"
        self.env = self.base + "/organizations/DEFAULT/environments/DEFAULT"
        self._token = None

    @property
    def token(self):
        if self._token is None:
            answer = requests.post(self.base + "/auth/token", auth=("admin", "Sbx-4mz8-Rt3c"), timeout=10)
            assert answer.status_code == 200, answer.text
            self._token = answer.json()["access_token"]
        return self._token

    def call(self, method, path, **kwargs):
        """``path`` is relative to the environment prefix E unless it starts with ``/management``."""
        url = self.sandbox.urls["am_url"] + path if path.startswith("/management") else self.env + path
        headers = {"Authorization": "Bearer " + self.token, **kwargs.pop("headers", {})}
        return requests.request(method, url, headers=headers, timeout=10, **kwargs)

    def get(self, path, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.call("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.call("PATCH", path, **kwargs)

    def put(self, path, **kwargs):
        return self.call("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.call("DELETE", path, **kwargs)

    @property
    def domain_id(self):
        """The seeded domain (found by its path, which a rename does not change)."""
        return self.sandbox.am.domain_by_path(self.sandbox.seed["am_domain"])["id"]

    def d(self, suffix=""):
        """The seeded domain's prefix D (relative to E)."""
        return f"/domains/{self.domain_id}{suffix}"

    def create_resource(self, **fields):
        body = {"name": "My MCP Server", "type": "MCP_SERVER", "resourceIdentifiers": [MCP_URL], **fields}
        return self.post(self.d("/protected-resources"), json=body)

    def resource(self, resource_id):
        return self.get(self.d(f"/protected-resources/{resource_id}"), params={"type": "MCP_SERVER"})

    def create_scope(self, key):
        answer = self.post(self.d("/scopes"), json={"key": key, "name": key, "description": key})
        assert answer.status_code == 201, answer.text
        return answer.json()

    def allow_local_redirects(self):
        answer = self.patch(self.d(), json={"oidc": {"clientRegistrationSettings": {
            "allowLocalhostRedirectUri": True, "allowHttpSchemeRedirectUri": True}}})
        assert answer.status_code == 200, answer.text


def direct(sandbox, method, path, token=None, body=None, query="", content_type="application/json"):
    """``(status, JSON body)`` of one call made in-process, on the sandbox's loop, past the request log.

    For deliberately out-of-contract calls only (routes a version lacks, query parameters its spec
    does not declare, 5xx answers): the session's contract check counts every logged exchange.
    ``path`` is the full path (``/management/...``).
    """
    raw = body if isinstance(body, bytes) else b"" if body is None else json.dumps(body).encode()
    headers = [(b"content-type", content_type.encode())]
    if token:
        headers.append((b"authorization", b"Bearer " + token.encode()))
    scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(), "root_path": "",
             "query_string": query.encode(), "headers": headers, "scheme": "http", "http_version": "1.1",
             "server": ("127.0.0.1", sandbox.config.port("am_mgmt")), "client": ("127.0.0.1", 1)}

    async def receive():
        return {"type": "http.request", "body": raw, "more_body": False}

    async def call():
        response = await am_mgmt.handle(sandbox, Request(scope, receive))
        return response.status_code, response.body

    status, content = asyncio.run_coroutine_threadsafe(call(), sandbox._loop).result(10)
    return status, (json.loads(content) if content else None)


def assert_error(answer, status, message):
    """AM's ErrorEntity, exactly."""
    assert answer.status_code == status, answer.text
    assert answer.json() == {"message": message, "http_status": status}
