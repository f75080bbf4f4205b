"""The guide's steps as plain HTTP calls (Gravitee docs: "Secure MCP Proxy with OAuth2", APIM 4.12).

No collection code: this is the sequence the modules automate, written out by
hand, so that the sandbox can be proved realistic on its own and the demo has
something to show before the role exists.
"""

import time

import requests

MCP_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                         "clientInfo": {"name": "guide-http", "version": "0"}}}
AM_RESOURCE_NAME = "AM OAuth2 Resource"
# With no required scopes the protected-resource metadata lists none, and the MCP SDK then registers with
# scope " offline_access" (leading space), which AM rejects as an invalid scope (MCP Python SDK 2.3.0). Naming a
# scope every AM domain has avoids that; checkRequiredScopes stays off, so no token is refused for it.
OAUTH2_PLAN = {"oauthResource": AM_RESOURCE_NAME, "requiredScopes": ["openid"], "checkRequiredScopes": False}


class Apim:
    def __init__(self, url, username, password, env="DEFAULT"):
        self.base = f"{url}/management/v2/environments/{env}"
        self.http = requests.Session()
        self.http.auth = (username, password)

    def call(self, method, path, expected, **kwargs):
        response = self.http.request(method, self.base + path, timeout=15, **kwargs)
        if response.status_code != expected:
            raise AssertionError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    def create_api(self, name, context_path, target, api_type="MCP_PROXY"):
        connector = "mcp-proxy" if api_type == "MCP_PROXY" else "http-proxy"
        body = {
            "definitionVersion": "V4", "type": api_type, "name": name, "apiVersion": "1.0",
            "listeners": [{"type": "HTTP", "paths": [{"path": context_path}],
                           "entrypoints": [{"type": connector, "qos": "AUTO", "configuration": {}}]}],
            "endpointGroups": [{"name": "Default group", "type": connector, "loadBalancer": {"type": "ROUND_ROBIN"},
                                "endpoints": [{"name": "Default", "type": connector, "weight": 1,
                                               "inheritConfiguration": False,
                                               "configuration": {"target": target}}]}],
            "flowExecution": {"mode": "DEFAULT", "matchRequired": False}, "flows": [],
        }
        return self.call("POST", "/apis", 201, json=body)

    def create_published_plan(self, api_id, name, security_type, configuration):
        plan = self.call("POST", f"/apis/{api_id}/plans", 201, json={
            "definitionVersion": "V4", "name": name, "mode": "STANDARD", "validation": "AUTO", "flows": [],
            "security": {"type": security_type, "configuration": configuration}})
        return self.call("POST", f"/apis/{api_id}/plans/{plan['id']}/_publish", 200)

    def add_am_resource(self, api_id, server_url, security_domain, client_id, client_secret):
        api = self.call("GET", f"/apis/{api_id}", 200)
        resources = [r for r in api.get("resources", []) if r["name"] != AM_RESOURCE_NAME]
        resources.append({"name": AM_RESOURCE_NAME, "type": "oauth2-am-resource", "enabled": True,
                          "configuration": {"serverURL": server_url, "securityDomain": security_domain,
                                            "clientId": client_id, "clientSecret": client_secret,
                                            "version": "V3_X", "userClaim": "sub"}})
        api["resources"] = resources
        return self.call("PUT", f"/apis/{api_id}", 200, json=api)


class Am:
    def __init__(self, url, username, password, org="DEFAULT", env="DEFAULT"):
        self.url = url
        self.base = f"{url}/management/organizations/{org}/environments/{env}"
        self.http = requests.Session()
        token = requests.post(f"{url}/management/auth/token", auth=(username, password), timeout=15)
        token.raise_for_status()
        self.http.headers["Authorization"] = "Bearer " + token.json()["access_token"]

    def call(self, method, path, expected, **kwargs):
        response = self.http.request(method, self.base + path, timeout=15, **kwargs)
        if response.status_code != expected:
            raise AssertionError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    def domain(self, hrid):
        return self.call("GET", f"/domains/_hrid/{hrid}", 200)

    def create_mcp_server(self, domain_id, name, resource_identifier):
        return self.call("POST", f"/domains/{domain_id}/protected-resources", 201, json={
            "name": name, "type": "MCP_SERVER", "resourceIdentifiers": [resource_identifier]})

    def enable_open_dcr(self, domain_id):
        return self.call("PATCH", f"/domains/{domain_id}", 200, json={"oidc": {"clientRegistrationSettings": {
            "isDynamicClientRegistrationEnabled": True, "isOpenDynamicClientRegistrationEnabled": True,
            "allowLocalhostRedirectUri": True, "allowHttpSchemeRedirectUri": True,
            "allowWildCardRedirectUri": False}}})


def mcp_initialize(url, token=None, timeout=5):
    headers = dict(MCP_HEADERS)
    if token:
        headers["Authorization"] = "Bearer " + token
    return requests.post(url, json=INITIALIZE, headers=headers, timeout=timeout)


def wait_for_status(url, status, token=None, deadline_s=10.0):
    """Poll until the gateway answers ``status`` (it serves deployments after a sync delay)."""
    deadline = time.monotonic() + deadline_s
    while True:
        response = mcp_initialize(url, token)
        if response.status_code == status or time.monotonic() > deadline:
            return response
        time.sleep(0.1)


def secure_by_hand(urls, seed, name="API MCP Proxy", context_path="/mcp-proxy/", api_type="MCP_PROXY"):
    """Run the whole guide by HTTP. Returns what later checks need."""
    apim = Apim(urls["apim_url"], seed["apim_username"], seed["apim_password"])
    am = Am(urls["am_url"], seed["am_username"], seed["am_password"])
    mcp_url = urls["apim_gateway_url"] + context_path

    api = apim.create_api(name, context_path, urls["upstream_url"], api_type)
    keyless = apim.create_published_plan(api["id"], "Keyless", "KEY_LESS", {})
    apim.call("POST", f"/apis/{api['id']}/_start", 204)
    open_answer = wait_for_status(mcp_url, 200)

    domain = am.domain(seed["am_domain"])
    server = am.create_mcp_server(domain["id"], "Sandbox MCP server", mcp_url)
    am.enable_open_dcr(domain["id"])

    apim.add_am_resource(api["id"], urls["am_gateway_url"], domain["path"].strip("/"),
                         server["clientId"], server["clientSecret"])
    apim.create_published_plan(api["id"], "OAuth2", "OAUTH2", OAUTH2_PLAN)
    apim.call("POST", f"/apis/{api['id']}/plans/{keyless['id']}/_close", 200)
    apim.call("POST", f"/apis/{api['id']}/deployments", 202, json={"deploymentLabel": "guide"})
    closed_answer = wait_for_status(mcp_url, 401)
    return {"api": api, "mcp_url": mcp_url, "open_answer": open_answer, "closed_answer": closed_answer,
            "mcp_server": {"id": server["id"], "clientId": server["clientId"]}, "domain": domain}
