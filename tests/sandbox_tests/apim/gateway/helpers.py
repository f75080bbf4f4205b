"""Seeding and MCP helpers shared by the gateway tests (no tests here).

APIs and plans are put straight into ``sandbox.apim`` (the management API is tested elsewhere), then
deployed with ``record_deploy_event``; AM protected resources and tokens straight into ``sandbox.am``.
"""

import json
import time
import uuid

import httpx2

RESOURCE_NAME = "AM OAuth2 Resource"
ACCEPT_MCP = "application/json, text/event-stream"
PROTOCOL_VERSION = "2025-11-25"
RESOURCE_CLIENT_ID = "mcp-resource-client"
RESOURCE_SECRET = "s3cret"


def mcp_api(target, context_path="/mcp-proxy/", api_type="MCP_PROXY", resources=(), read_timeout_ms=10000):
    connector = "mcp-proxy" if api_type == "MCP_PROXY" else "http-proxy"
    return {
        "id": uuid.uuid4().hex,
        "definitionVersion": "V4",
        "type": api_type,
        "name": "API MCP Proxy",
        "apiVersion": "1.0",
        "listeners": [{"type": "HTTP", "paths": [{"path": context_path}],
                       "entrypoints": [{"type": connector, "qos": "NONE", "configuration": {}}]}],
        "endpointGroups": [{
            "name": "Default group", "type": connector,
            "sharedConfiguration": {"http": {"version": "HTTP_1_1", "connectTimeout": 3000,
                                             "readTimeout": read_timeout_ms}},
            "endpoints": [{"name": "Default", "type": connector, "weight": 1, "inheritConfiguration": True,
                           "configuration": {"target": target}}],
        }],
        "resources": list(resources),
    }


def am_resource(sandbox, client_id=RESOURCE_CLIENT_ID, secret=RESOURCE_SECRET, server_url=None, version="V3_X",
                name=RESOURCE_NAME, enabled=True):
    return {"name": name, "type": "oauth2-am-resource", "enabled": enabled,
            "configuration": {"serverURL": server_url or sandbox.urls["am_gateway_url"],
                              "securityDomain": sandbox.seed["am_domain"], "clientId": client_id,
                              "clientSecret": secret, "version": version, "userClaim": "sub"}}


def plan(api, security_type, configuration=None, status="PUBLISHED"):
    return {"id": uuid.uuid4().hex, "apiId": api["id"], "definitionVersion": "V4", "name": security_type,
            "status": status, "mode": "STANDARD", "validation": "AUTO",
            "security": {"type": security_type, "configuration": configuration or {}}}


def oauth2_plan(api, **overrides):
    configuration = {"oauthResource": RESOURCE_NAME, "extractPayload": False, "checkRequiredScopes": False,
                     "requiredScopes": [], "modeStrict": True, "propagateAuthHeader": True}
    configuration.update(overrides)
    return plan(api, "OAUTH2", configuration)


def deploy(sandbox, api, plans, wait=True, started=True):
    def store():
        sandbox.apim.apis[api["id"]] = api
        for item in plans:
            sandbox.apim.plans[item["id"]] = item
        sandbox.apim.record_deploy_event(api["id"], started=started)

    sandbox.call_soon(store)
    if wait:
        time.sleep(sandbox.config.sync_delay + 0.05)
    return api


def am_domain_id(sandbox):
    return next(d["id"] for d in sandbox.am.domains.values() if d["hrid"] == sandbox.seed["am_domain"])


def seed_am_resource_and_token(sandbox, token, mcp_url, client_id="dcr-client", scope="", resource_client_id=None):
    """An AM protected resource (the MCP server entry APIM introspects with) and an access token for it."""
    domain_id = am_domain_id(sandbox)

    def store():
        resource_id = uuid.uuid4().hex
        sandbox.am.protected_resources[resource_id] = {
            "id": resource_id, "name": "MCP server", "clientId": resource_client_id or RESOURCE_CLIENT_ID,
            "_domain": domain_id, "_secrets": [sandbox.am.new_secret_record(RESOURCE_SECRET)],
            "resourceIdentifiers": [mcp_url], "type": "mcp_server"}
        sandbox.am.gateway["access_tokens"][token] = {
            "client_id": client_id, "sub": "alice-id", "aud": [mcp_url], "scope": scope,
            "exp": time.time() + 600, "domain": domain_id, "resource": [mcp_url]}

    sandbox.call_soon(store)


def initialize_body(request_id=1):
    return {"jsonrpc": "2.0", "id": request_id, "method": "initialize",
            "params": {"protocolVersion": PROTOCOL_VERSION, "capabilities": {},
                       "clientInfo": {"name": "gateway-tests", "version": "0"}}}


def rpc(method, request_id, params=None):
    body = {"jsonrpc": "2.0", "id": request_id, "method": method}
    if params is not None:
        body["params"] = params
    return body


def post(url, body, session_id=None, headers=None, timeout=10):
    merged = {"accept": ACCEPT_MCP, "content-type": "application/json"}
    if session_id:
        merged["mcp-session-id"] = session_id
        merged["mcp-protocol-version"] = PROTOCOL_VERSION
    merged.update(headers or {})
    return httpx2.post(url, content=json.dumps(body), headers=merged, timeout=timeout)


def sse_messages(text):
    """The JSON-RPC messages of an SSE body (one ``data:`` line per event here)."""
    return [json.loads(line[5:].strip()) for line in text.splitlines() if line.startswith("data:")]


def rpc_result(response):
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        return [m for m in sse_messages(response.text) if "result" in m or "error" in m][-1]
    return response.json()


def open_session(url, headers=None):
    """initialize + notifications/initialized; returns the session id."""
    response = post(url, initialize_body(), headers=headers)
    assert response.status_code == 200, response.text
    session_id = response.headers["mcp-session-id"]
    notified = post(url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, session_id, headers)
    assert notified.status_code == 202, notified.text
    return session_id


def call_tool(url, session_id, name, arguments, request_id=7, headers=None):
    response = post(url, rpc("tools/call", request_id, {"name": name, "arguments": arguments}), session_id,
                    headers)
    assert response.status_code == 200, response.text
    return rpc_result(response)["result"]


def tool_text(result):
    return result["content"][0]["text"]
