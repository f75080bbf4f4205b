"""The sandbox APIM gateway: serves what ``sandbox.apim.gateway_apis()`` says is deployed, nothing else.

One request goes through the same stages as on Gravitee's reactive gateway:

1. routing by listener context path (``routing``); no API: 404 ``No context-path matches the
   request URI.``;
2. the plans' well-known hook: Protected Resource Metadata for OAuth2 plans (``prm``, APIM 4.10+);
3. the security chain picks a plan or refuses (``security``: 401 / 503 with Gravitee's bodies and
   the version's ``WWW-Authenticate``);
4. the request is proxied to the endpoint target with streaming (``proxy``) and recorded in
   ``sandbox.apim.gateway_forwarded``.

What the pretended APIM version changes is in ``routing.policy_flavour``. MCP_PROXY APIs are
only served by an "ee" sandbox at 4.10+, the only place the mcp-proxy reactor plugin exists. Not modelled:
response templates, virtual hosts, flows/policies other than the plan's security policy, load balancing
across several endpoints, ``api.security.verbose401``.
"""

import httpx2

from .prm import well_known_document
from .proxy import forward
from .responses import send_failure, send_not_found, send_response, transaction_headers
from .routing import (
    MCP_PROXY,
    WELL_KNOWN_PRM,
    match_route,
    original_url,
    policy_flavour,
    served_apis,
)
from .security import SecurityChain


def build_app(sandbox):
    return Gateway(sandbox)


class Gateway:
    def __init__(self, sandbox):
        self.sandbox = sandbox
        self._http = None

    @property
    def http(self):
        # Created on first use so it belongs to the sandbox's event loop; closed at lifespan shutdown.
        if self._http is None:
            # With --tls the upstream and the AM gateway are HTTPS too, signed by the sandbox CA.
            verify = self.sandbox.tls.client_context() if self.sandbox.tls else True
            self._http = httpx2.AsyncClient(trust_env=False, follow_redirects=False, verify=verify)
        return self._http

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self.handle(scope, receive, send)

    async def _lifespan(self, receive, send):
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._http is not None:
                    await self._http.aclose()
                    self._http = None
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def handle(self, scope, receive, send):
        headers = [(name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in scope["headers"]]
        flavour = policy_flavour(self.sandbox)
        route, via_inserted_form = self._route(served_apis(self.sandbox), scope["path"], flavour)
        if route is None:
            await send_not_found(send)
            return
        url = original_url(scope, headers)
        ids = transaction_headers(headers)
        if flavour.challenge != "none":
            document = well_known_document(flavour, route.api, url)
            if document is not None:
                document_headers, body = document
                await send_response(send, 200, document_headers + ids, body)
                return
        if via_inserted_form:
            await send_not_found(send)
            return
        chain = SecurityChain(self.http, flavour, route, headers, scope.get("query_string", b"").decode("latin-1"),
                              url)
        decision = await chain.decide()
        if decision.status is not None:
            await send_failure(send, headers, decision.status, decision.message, decision.headers + ids)
            return
        await forward(self.http, self.sandbox, scope, receive, send, route, decision, headers, ids)

    @staticmethod
    def _route(apis, path, flavour):
        """(route, whether it was reached through the inserted well-known form)."""
        if flavour.prm_inserted and path.startswith(WELL_KNOWN_PRM + "/"):
            mcp_apis = [api for api in apis if api.get("type") == MCP_PROXY]
            route = match_route(mcp_apis, path[len(WELL_KNOWN_PRM):])
            if route is not None:
                return route, True
        return match_route(apis, path), False
