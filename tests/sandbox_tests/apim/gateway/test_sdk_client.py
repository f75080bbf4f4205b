"""The official MCP SDK client (``mcp.Client`` + ``streamable_http_client``) through the gateway, keyless."""

import asyncio

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.sandbox_tests.apim.gateway.helpers import deploy, mcp_api, plan


async def _list_and_call(url):
    async with httpx2.AsyncClient(timeout=15) as http:
        async with Client(streamable_http_client(url, http_client=http), mode="legacy") as client:
            tools = await client.list_tools()
            result = await client.call_tool("add", {"a": 20, "b": 22})
    return sorted(tool.name for tool in tools.tools), [getattr(c, "text", None) for c in result.content]


def test_sdk_client_lists_and_calls_tools_through_a_keyless_plan(sandbox):
    api = mcp_api(sandbox.urls["upstream_url"])
    deploy(sandbox, api, [plan(api, "KEY_LESS")])
    url = sandbox.urls["apim_gateway_url"] + "/mcp-proxy"

    names, texts = asyncio.run(_list_and_call(url))

    assert {"echo", "add", "whoami"} <= set(names)
    assert texts == ["42"]
    forwarded = sandbox.apim.gateway_forwarded
    assert {e["method"] for e in forwarded} >= {"POST", "DELETE"}
    assert all(e["api_id"] == api["id"] and e["security_type"] == "KEY_LESS" for e in forwarded)
