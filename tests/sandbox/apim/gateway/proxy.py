"""Forward a request to the API's endpoint and stream the answer back (http-proxy ``HttpConnector``).

- URL: the first endpoint's ``configuration.target``; its path + the request path after the context path
  (``pathInfo``); the request's query string, then the target's.
- Request headers: all of them except hop-by-hop ones (Connection, Keep-Alive, Proxy-*, TE, Trailer, Upgrade),
  ``Host`` (the client sets the target's host:port, which the upstream's DNS-rebinding guard expects) and
  ``Accept-Encoding`` (``propagateClientAcceptEncoding`` defaults to false); ``Authorization`` only when the
  selected plan propagates it. ``Mcp-Session-Id``, ``MCP-Protocol-Version``, ``Last-Event-ID``, ``Accept``,
  ``Content-Type`` pass unchanged both ways.
- Response: status and headers as the upstream sent them (framing headers are left to the server), body
  forwarded chunk by chunk as it arrives, so SSE events are not buffered. A client that goes away ends the
  upstream exchange too.
- Timeouts from the endpoint group's ``sharedConfiguration.http`` (connectTimeout 3000 ms, readTimeout
  10000 ms by default). The read timeout also ends an idle SSE stream, as on a real gateway.
- Upstream unreachable: 502, timeout before the answer: 504, both without a body and with
  ``Connection: close`` (newer gateways send no message for these failures).
"""

import time
from urllib.parse import urlsplit

import anyio
import httpx2

from .oauth2 import as_object
from .responses import send_failure

HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authorization", "proxy-authenticate",
                        "proxy-connection", "te", "trailer", "upgrade"})
NOT_FORWARDED = HOP_BY_HOP | {"host", "accept-encoding", "content-length", "transfer-encoding", "expect"}
# Framing is the server's job; Date and Server are dropped because uvicorn always adds its own (no duplicates).
RESPONSE_FRAMING = frozenset({"connection", "keep-alive", "transfer-encoding", "proxy-connection", "date", "server"})
DEFAULT_CONNECT_TIMEOUT_MS = 3000
DEFAULT_READ_TIMEOUT_MS = 10000


def endpoint_settings(api):
    """(target URL, connect timeout s, read timeout s) of the API's first endpoint."""
    group = (api.get("endpointGroups") or [{}])[0]
    endpoint = (group.get("endpoints") or [{}])[0]
    shared = as_object(group.get("sharedConfiguration"))
    if endpoint.get("inheritConfiguration") is False and endpoint.get("sharedConfigurationOverride"):
        shared = as_object(endpoint.get("sharedConfigurationOverride"))
    http = shared.get("http") or {}
    target = as_object(endpoint.get("configuration")).get("target")
    connect_ms = http.get("connectTimeout", DEFAULT_CONNECT_TIMEOUT_MS)
    read_ms = http.get("readTimeout", DEFAULT_READ_TIMEOUT_MS)
    return target, connect_ms / 1000.0, read_ms / 1000.0


def upstream_url(target, remainder, query_string):
    parts = urlsplit(target)
    query = "&".join(q for q in (query_string, parts.query) if q)
    return f"{parts.scheme}://{parts.netloc}{parts.path}{remainder}" + (f"?{query}" if query else "")


def forwarded_headers(headers, strip_authorization, extra):
    kept = [(name, value) for name, value in headers if name not in NOT_FORWARDED]
    if strip_authorization:
        kept = [(name, value) for name, value in kept if name != "authorization"]
    extra_names = {name for name, _ in extra}
    return [(name, value) for name, value in kept if name not in extra_names] + list(extra)


async def read_body(receive):
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def record(sandbox, route, method, path, decision, headers, url):
    entry = {
        "ts": time.time(),
        "api_id": route.api.get("id"),
        "api_type": route.api_type,
        "method": method,
        "path": path,
        "plan_id": (decision.plan or {}).get("id"),
        "security_type": decision.security_type,
        "token_present": decision.token_present,
        "client_id": decision.client_id,
        "authorization_forwarded": any(name == "authorization" for name, _ in headers),
        "upstream_url": url,
    }
    store = sandbox.apim
    if not hasattr(store, "gateway_forwarded"):
        store.gateway_forwarded = []
    store.gateway_forwarded.append(entry)


async def forward(http, sandbox, scope, receive, send, route, decision, request_headers, response_extra):
    body = await read_body(receive)
    if body is None:
        return
    target, connect_s, read_s = endpoint_settings(route.api)
    url = upstream_url(target, route.remainder(scope["path"]), scope.get("query_string", b"").decode("latin-1"))
    headers = forwarded_headers(request_headers, decision.strip_authorization, response_extra)
    record(sandbox, route, scope["method"], scope["path"], decision, headers, url)
    timeout = httpx2.Timeout(connect=connect_s, read=read_s, write=read_s, pool=connect_s)
    request = http.build_request(scope["method"], url, headers=headers, content=body, timeout=timeout)
    try:
        response = await http.send(request, stream=True)
    except httpx2.TimeoutException:
        await send_failure(send, request_headers, 504, None, response_extra)
        return
    except httpx2.TransportError:
        await send_failure(send, request_headers, 502, None, response_extra)
        return
    try:
        await _stream_back(receive, send, response, response_extra)
    finally:
        await response.aclose()


async def _stream_back(receive, send, response, response_extra):
    headers = [(name, value) for name, value in response.headers.raw
               if name.decode("latin-1").lower() not in RESPONSE_FRAMING]
    headers += [(name.encode("latin-1"), value.encode("latin-1")) for name, value in response_extra]
    await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
    client_gone = False

    async def watch_client(scope):
        nonlocal client_gone
        while (await receive())["type"] != "http.disconnect":
            pass
        client_gone = True
        scope.cancel()

    async with anyio.create_task_group() as group:
        group.start_soon(watch_client, group.cancel_scope)
        try:
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except httpx2.HTTPError:
            pass  # the upstream broke or went idle past readTimeout: end the response, as Gravitee does
        group.cancel_scope.cancel()
    if not client_gone:
        try:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except OSError:
            pass
