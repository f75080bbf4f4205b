"""The official MCP Python SDK as a user's client: open calls and the full OAuth flow.

Used by tests and the demo to prove an endpoint works for a client nobody here wrote.
"""

import asyncio

import httpx2
from mcp import Client
from mcp.client.auth import OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata

from .headless_browser import HeadlessBrowser

# VS Code registers this loopback redirect; the browser never needs a listener there.
REDIRECT_URI = "http://127.0.0.1:33418/"


class MemoryTokenStorage:
    def __init__(self):
        self.tokens = None
        self.client_info = None

    async def get_tokens(self):
        return self.tokens

    async def set_tokens(self, tokens):
        self.tokens = tokens

    async def get_client_info(self):
        return self.client_info

    async def set_client_info(self, client_info):
        self.client_info = client_info


async def _use(client, tool, arguments):
    tools = await client.list_tools()
    names = sorted(t.name for t in tools.tools)
    called = None
    if tool:
        result = await client.call_tool(tool, arguments or {})
        called = [getattr(c, "text", None) for c in result.content]
    return {"tools": names, "call": called}


async def open_session(url, tool=None, arguments=None, mode="legacy"):
    """List tools (and call one) without any token."""
    async with httpx2.AsyncClient(timeout=15) as http:
        async with Client(streamable_http_client(url, http_client=http), mode=mode) as client:
            return await _use(client, tool, arguments)


async def oauth_session(url, username, password, tool=None, arguments=None, mode="legacy",
                        client_name="gravitee-mcp-tests", client_metadata_url=None, client_id=None):
    """Discovery, DCR (or, given ``client_metadata_url``, a Client ID Metadata Document when the authorization
    server supports it), authorization code + PKCE with a headless login, then MCP calls.

    ``client_id``: a pre-registered public client (an AM application made by hand): the SDK uses it
    and registers nothing."""
    storage = MemoryTokenStorage()
    if client_id:
        storage.client_info = OAuthClientInformationFull(
            client_id=client_id, redirect_uris=[REDIRECT_URI], token_endpoint_auth_method="none",
            grant_types=["authorization_code", "refresh_token"], response_types=["code"])
    browser = HeadlessBrowser(username, password, REDIRECT_URI)
    provider = OAuthClientProvider(
        server_url=url,
        client_metadata=OAuthClientMetadata(client_name=client_name, redirect_uris=[REDIRECT_URI]),
        storage=storage,
        redirect_handler=browser.redirect_handler,
        callback_handler=browser.callback_handler,
        client_metadata_url=client_metadata_url,
    )
    async with httpx2.AsyncClient(auth=provider, timeout=15) as http:
        async with Client(streamable_http_client(url, http_client=http), mode=mode) as client:
            outcome = await _use(client, tool, arguments)
    outcome["client_id"] = storage.client_info.client_id if storage.client_info else None
    outcome["token"] = storage.tokens.access_token if storage.tokens else None
    outcome["login_steps"] = browser.pages
    return outcome


def run(coro):
    return asyncio.run(coro)
