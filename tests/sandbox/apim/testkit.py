"""A small client of the sandbox mAPI v2 for tests: builds the guide's request bodies and checks statuses.

Usable by any test that needs an API on the sandbox gateway::

    apim = ApimClient(sandbox)
    api = apim.create_api("Weather", "/weather/")
    plan = apim.create_plan(api["id"], "Keyless")
    apim.publish(api["id"], plan["id"])
    apim.ok("POST", f"/apis/{api['id']}/_start", 204)
"""

import requests

INF = float("inf")


def api_body(name, path, target, api_type="MCP_PROXY", **extra):
    """A CreateApiV4 body as the guide builds it: MCP_PROXY with mcp-proxy connectors, or PROXY with http-proxy."""
    connector = "mcp-proxy" if api_type == "MCP_PROXY" else "http-proxy"
    body = {
        "definitionVersion": "V4", "type": api_type, "name": name, "apiVersion": "1.0",
        "listeners": [{"type": "HTTP", "paths": [{"path": path}],
                       "entrypoints": [{"type": connector, "qos": "NONE", "configuration": {}}]}],
        "endpointGroups": [{"name": "Default group", "type": connector, "loadBalancer": {"type": "ROUND_ROBIN"},
                            "sharedConfiguration": {"http": {"version": "HTTP_1_1", "connectTimeout": 3000}},
                            "endpoints": [{"name": "Default endpoint", "type": connector, "weight": 1,
                                           "inheritConfiguration": True, "configuration": {"target": target}}]}],
        "flowExecution": {"mode": "DEFAULT", "matchRequired": False},
        "flows": [],
    }
    body.update(extra)
    return body


def am_resource(name="AM OAuth2 Resource", **configuration):
    config = {"serverURL": "https://am-gateway.example.com", "securityDomain": "my-domain",
              "clientId": "my-client-id", "clientSecret": "my-client-secret", "version": "V3_X"}
    config.update(configuration)
    return {"name": name, "type": "oauth2-am-resource", "enabled": True, "configuration": config}


class ApimClient:
    def __init__(self, sandbox, auth=None, org_prefix=False, env="DEFAULT"):
        self.sandbox = sandbox
        root = sandbox.urls["apim_url"] + "/management/v2"
        self.root = root + "/organizations/DEFAULT" if org_prefix else root
        self.base = f"{self.root}/environments/{env}"
        self.http = requests.Session()
        self.http.auth = auth or (sandbox.seed["apim_username"], sandbox.seed["apim_password"])
        if sandbox.ca_path:
            self.http.verify = sandbox.ca_path

    def request(self, method, path, **kwargs):
        """A raw response; ``path`` is relative to the environment (or absolute under the mAPI root)."""
        url = path if path.startswith("http") else self.base + path
        return self.http.request(method, url, timeout=15, **kwargs)

    def ok(self, method, path, expected, **kwargs):
        response = self.request(method, path, **kwargs)
        assert response.status_code == expected, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    def create_api(self, name="API MCP Proxy", path="/mcp-proxy/", api_type="MCP_PROXY", **extra):
        target = self.sandbox.urls["upstream_url"]
        return self.ok("POST", "/apis", 201, json=api_body(name, path, target, api_type, **extra))

    def get_api(self, api_id):
        return self.ok("GET", f"/apis/{api_id}", 200)

    def put_api(self, api, **headers):
        return self.request("PUT", f"/apis/{api['id']}", json=api, headers=headers)

    def create_plan(self, api_id, name="Keyless", security_type="KEY_LESS", configuration=None, **extra):
        body = {"definitionVersion": "V4", "name": name, "mode": "STANDARD", "validation": "AUTO", "flows": [],
                "security": {"type": security_type, "configuration": configuration or {}}}
        body.update(extra)
        return self.ok("POST", f"/apis/{api_id}/plans", 201, json=body)

    def plan_action(self, api_id, plan_id, action):
        return self.request("POST", f"/apis/{api_id}/plans/{plan_id}/{action}")

    def publish(self, api_id, plan_id):
        return self.ok("POST", f"/apis/{api_id}/plans/{plan_id}/_publish", 200)

    def started_api(self, name="API MCP Proxy", path="/mcp-proxy/", api_type="MCP_PROXY"):
        """An API with a published Keyless plan, started (so deployed once)."""
        api = self.create_api(name, path, api_type)
        plan = self.publish(api["id"], self.create_plan(api["id"])["id"])
        self.ok("POST", f"/apis/{api['id']}/_start", 204)
        return api, plan

    def deployment_state(self, api_id):
        return self.get_api(api_id)["deploymentState"]

    def served(self, api_id):
        """The definition the gateway will serve once every deployment is visible (None: not served)."""
        return next((a for a in self.sandbox.apim.gateway_apis(now=INF) if a["id"] == api_id), None)
