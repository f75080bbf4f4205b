"""The official MCP Python SDK's OAuth client against the sandbox AM, with no APIM in between.

A stand-in resource server (an in-process httpx2 transport for ``http://mcp.test``) answers the
401 challenge and the RFC 9728 document, and accepts a bearer only when the sandbox AM's
introspection, called with the MCP server's credentials, says it is active. Everything else (AS
discovery through the three URLs, DCR, authorize + login + consent, token with ``resource``) is
the SDK talking to the sandbox AM gateway.
"""

import asyncio

import httpx2
import pytest
from mcp.client.auth import OAuthClientProvider
from mcp.client.auth.exceptions import OAuthRegistrationError
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientMetadata

from tests.sandbox_tests.am.gateway.helpers import (
    LOOPBACK_REDIRECT,
    FormBrowser,
    add_mcp_server,
    gateway_base,
    open_dcr,
)
from tests.support.mcp_client import MemoryTokenStorage

MCP_URL = "http://mcp.test/mcp"
PRM_URL = "http://mcp.test/.well-known/oauth-protected-resource/mcp"


class Browser:
    def __init__(self, sandbox):
        self.form_browser = FormBrowser(sandbox.seed["am_user"], sandbox.seed["am_user_password"], LOOPBACK_REDIRECT)
        self.answer = None

    async def redirect_handler(self, url):
        self.answer = await asyncio.to_thread(self.form_browser.run, url)

    async def callback_handler(self):
        get = self.answer.get
        return AuthorizationCodeResult(code=get("code", [""])[0], state=get("state", [None])[0],
                                       iss=get("iss", [None])[0])


def _resource_server(sandbox, mcp_client_id, mcp_secret, scopes, seen):
    introspection = gateway_base(sandbox) + "/oauth/introspect"

    async def handle(request):
        if request.url.path == "/.well-known/oauth-protected-resource/mcp":
            return httpx2.Response(200, json={"resource": MCP_URL, "authorization_servers": [gateway_base(sandbox)
                                                                                            + "/oidc"],
                                              "scopes_supported": scopes, "bearer_methods_supported": ["header"]})
        authorization = request.headers.get("authorization", "")
        if authorization.startswith("Bearer "):
            async with httpx2.AsyncClient(timeout=10) as http:
                answer = (await http.post(introspection, data={"token": authorization[7:]},
                                          auth=(mcp_client_id, mcp_secret))).json()
            if answer.get("active"):
                seen["introspection"] = answer
                return httpx2.Response(200, json={"hello": answer["sub"]})
        return httpx2.Response(401, headers={"WWW-Authenticate": f'Bearer resource_metadata="{PRM_URL}"'})

    return httpx2.MockTransport(handle)


async def _call_protected_resource(sandbox, prm_scopes):
    mcp_client_id, mcp_secret = add_mcp_server(sandbox, [MCP_URL])
    open_dcr(sandbox)
    seen, browser, storage = {}, Browser(sandbox), MemoryTokenStorage()
    provider = OAuthClientProvider(
        server_url=MCP_URL,
        client_metadata=OAuthClientMetadata(client_name="sandbox-sdk-probe", redirect_uris=[LOOPBACK_REDIRECT]),
        storage=storage, redirect_handler=browser.redirect_handler, callback_handler=browser.callback_handler)
    transport = _resource_server(sandbox, mcp_client_id, mcp_secret, prm_scopes, seen)
    async with httpx2.AsyncClient(auth=provider, mounts={"http://mcp.test": transport}, timeout=15) as http:
        response = await http.get(MCP_URL)
    return response, seen, storage, browser


def test_sdk_discovers_registers_logs_in_and_gets_a_token_for_the_mcp_server(sandbox):
    sandbox.log.clear()

    response, seen, storage, browser = asyncio.run(_call_protected_resource(sandbox, ["openid"]))

    assert response.status_code == 200 and response.json() == {"hello": sandbox.seed["am_user"]}
    assert seen["introspection"]["aud"] == [MCP_URL]
    assert storage.client_info.client_id and storage.tokens.refresh_token
    assert storage.tokens.scope == "openid offline_access"
    gateway_calls = [(e["method"], e["path"], e["status"]) for e in sandbox.log.since(0) if e["component"] ==
                     "am_gateway"]
    domain = "/" + sandbox.seed["am_domain"]
    assert gateway_calls[:2] == [("GET", f"/.well-known/oauth-authorization-server{domain}/oidc", 404),
                                 ("GET", f"/.well-known/openid-configuration{domain}/oidc", 404)]
    assert ("GET", f"{domain}/oidc/.well-known/openid-configuration", 200) in gateway_calls
    assert ("POST", f"{domain}/oidc/register", 201) in gateway_calls
    assert ("POST", f"{domain}/oauth/token", 200) in gateway_calls
    assert any(step[1].endswith("/oauth/consent") for step in browser.form_browser.steps), "prompt=consent honoured"


def test_sdk_registration_fails_when_the_resource_lists_no_scopes(sandbox):
    # The SDK then asks for " offline_access" (leading space); AM splits on single spaces and refuses "".
    with pytest.raises(OAuthRegistrationError, match="scope  is not valid"):
        asyncio.run(_call_protected_resource(sandbox, []))
