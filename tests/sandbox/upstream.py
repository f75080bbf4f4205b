"""The upstream MCP server the gateway proxies: a real server built with the official ``mcp`` SDK, no auth.

It stands for "an MCP server that has no authentication of its own" from the guide. Tools:

- ``echo(text)``: returns the text unchanged (proves a round trip);
- ``add(a, b)``: returns the sum (structured arguments survive the proxy);
- ``whoami()``: reports what the transport saw: whether an ``Authorization`` header arrived (and a short
  fingerprint of it, never the token), the ``Host`` header and the ``Mcp-Session-Id``. Tests use it to check
  the gateway's ``propagateAuthHeader`` behaviour and the Host it sends;
- ``countdown(steps, delay_ms)``: sends progress notifications (when the call carries a progress token)
  spaced in time before answering, so a test can prove SSE events are not buffered on the way.

``/mcp`` answers POSTs with SSE streams (the SDK default, ``sandbox.urls["upstream_url"]``); ``/mcp-json``
is the same server answering with plain JSON (``json_response=True``).

The SDK's DNS-rebinding guard stays on, as it would on a real deployment, and accepts only the Host values a
gateway pointed at this port sends (``<sandbox host>:<port>``, ``127.0.0.1:<port>``, ``localhost:<port>``).
"""

import contextlib
import hashlib
import json

import anyio
from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette

MCP_PATH = "/mcp"
MCP_JSON_PATH = "/mcp-json"


def build_mcp_server():
    # log_level WARNING: the SDK configures root logging, and INFO lines per request drown test output.
    server = MCPServer("sandbox-upstream", version="1.0.0", log_level="WARNING",
                       instructions="Test MCP server behind the sandbox APIM gateway.")

    @server.tool(description="Return the given text unchanged.")
    def echo(text: str) -> str:
        return text

    @server.tool(description="Add two integers.")
    def add(a: int, b: int) -> int:
        return a + b

    @server.tool(description="Report what the HTTP transport saw for this call (no secrets).")
    def whoami(ctx: Context) -> str:
        headers = {key.lower(): value for key, value in (ctx.headers or {}).items()}
        authorization = headers.get("authorization")
        report = {
            "authorization_present": authorization is not None,
            "authorization_scheme": authorization.split(" ", 1)[0] if authorization else None,
            # A fingerprint lets a test prove *which* token arrived without the server echoing it.
            "authorization_sha256": hashlib.sha256(authorization.encode()).hexdigest()[:16] if authorization else None,
            "host": headers.get("host"),
            "mcp_session_id": headers.get("mcp-session-id"),
        }
        return json.dumps(report, sort_keys=True)

    @server.tool(description="Report progress `steps` times, `delay_ms` apart, then answer (streaming probe).")
    async def countdown(steps: int, delay_ms: int, ctx: Context) -> str:
        for step in range(1, steps + 1):
            await ctx.report_progress(step, steps, f"step {step}")
            await anyio.sleep(delay_ms / 1000.0)
        return f"done after {steps} steps"

    return server


def allowed_hosts(sandbox):
    port = sandbox.config.port("upstream")
    hosts = [f"{sandbox.config.host}:{port}", f"127.0.0.1:{port}", f"localhost:{port}"]
    return list(dict.fromkeys(hosts))


def build_app(sandbox):
    hosts = allowed_hosts(sandbox)
    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=hosts,
        allowed_origins=[f"{scheme}://{host}" for host in hosts for scheme in ("http", "https")],
    )
    # Two servers with the same tools: the SDK fixes SSE-or-JSON answers per app, and the gateway must carry both.
    sse_app = build_mcp_server().streamable_http_app(
        streamable_http_path=MCP_PATH, transport_security=security, host=sandbox.config.host)
    json_app = build_mcp_server().streamable_http_app(
        streamable_http_path=MCP_PATH, json_response=True, transport_security=security, host=sandbox.config.host)
    return UpstreamApp({MCP_PATH: sse_app, MCP_JSON_PATH: json_app})


class UpstreamApp:
    """Dispatch by path to the SDK apps, each seeing its path as ``/mcp``, and run all their lifespans.

    ``/mcp/`` is served like ``/mcp`` (and ``/mcp-json/`` like ``/mcp-json``): the gateway appends the path
    after the context path to the target, so a client that dials ``<gateway>/<ctx>/`` reaches ``/mcp/``.
    Starlette would answer that with a 307 to the upstream's own address, and a client following it would
    bypass the gateway altogether. Servers built on other stacks (Express, the TypeScript SDK) answer both
    forms, so accepting both is the realistic choice.
    """

    def __init__(self, apps_by_path):
        self.apps_by_path = apps_by_path
        self.lifespan_app = Starlette(lifespan=self._lifespan)

    @contextlib.asynccontextmanager
    async def _lifespan(self, _app):
        async with contextlib.AsyncExitStack() as stack:
            for app in self.apps_by_path.values():
                await stack.enter_async_context(app.router.lifespan_context(app))
            yield

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            await self.lifespan_app(scope, receive, send)
            return
        path = scope.get("path", "")
        app = self.apps_by_path.get(path.rstrip("/") or path)
        if app is None:
            app = self.apps_by_path[MCP_PATH]  # its router answers 404 for anything else
        elif path != MCP_PATH:
            scope = dict(scope, path=MCP_PATH, raw_path=MCP_PATH.encode())
        await app(scope, receive, send)
