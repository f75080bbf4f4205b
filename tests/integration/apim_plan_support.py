"""Helpers shared by the apim_plan integration tests (no tests here).

APIs are created with plain HTTP (tests/sandbox/apim/testkit.py), so these tests depend on apim_plan only;
one test shows the two modules together.
"""

from tests.sandbox.apim.testkit import ApimClient, am_resource

MODULE = "gravitee_community.mcp.apim_plan"
API_NAME = "API MCP Proxy"
CONTEXT_PATH = "/mcp-proxy/"
RESOURCE = "AM OAuth2 Resource"
RESOURCE_SECRET = "am-introspection-secret-0815"
ALL_STATUSES = "?statuses=STAGING,PUBLISHED,DEPRECATED,CLOSED"


def plan_task(task="plan", ignore_errors=False, **options):
    """One apim_plan task named ``task`` on the test API (by name unless ``api_id`` is given)."""
    args = {} if "api_id" in options else {"api": API_NAME}
    args.update(options)
    task = {"name": task, MODULE: args}
    if ignore_errors:
        task["ignore_errors"] = True
    return task


def oauth2_task(task="oauth2", **options):
    options.setdefault("name", "OAuth2")
    options.setdefault("security", "oauth2")
    options.setdefault("oauth2", {"resource": RESOURCE})
    return plan_task(task, **options)


def keyless_task(task="keyless", **options):
    options.setdefault("name", "Keyless")
    options.setdefault("security", "keyless")
    return plan_task(task, **options)


class Apim(ApimClient):
    """The sandbox APIM by hand: what the Console (or apim_api) would have done."""

    def make_api(self, name=API_NAME, path=CONTEXT_PATH, resource=True, started_with_keyless=False, **kwargs):
        api = self.create_api(name, path, **kwargs)
        if resource:
            self.add_resource(api["id"])
        if started_with_keyless:
            plan = self.create_plan(api["id"], "Keyless", "KEY_LESS", {})
            self.publish(api["id"], plan["id"])
            self.ok("POST", f"/apis/{api['id']}/_start", 204)
        return self.get_api(api["id"])

    def add_resource(self, api_id, name=RESOURCE, **changes):
        api = self.get_api(api_id)
        resource = am_resource(name, clientSecret=RESOURCE_SECRET)
        resource.update(changes)
        api["resources"] = [r for r in api.get("resources") or [] if r["name"] != name] + [resource]
        return self.ok("PUT", f"/apis/{api_id}", 200, json=api)

    def plans(self, api_id):
        return self.ok("GET", f"/apis/{api_id}/plans{ALL_STATUSES}", 200)["data"]

    def plans_named(self, api_id, name):
        return [p for p in self.plans(api_id) if p["name"] == name]

    def plan_in(self, api_id, name, status, security_type="KEY_LESS", config=None):
        """A plan brought to ``status`` by hand."""
        if config is None:
            config = {"oauthResource": RESOURCE} if security_type == "OAUTH2" else {}
        plan = self.create_plan(api_id, name, security_type, config)
        for action in {"STAGING": [], "PUBLISHED": ["_publish"], "DEPRECATED": ["_publish", "_deprecate"],
                       "CLOSED": ["_close"]}[status]:
            self.ok("POST", f"/apis/{api_id}/plans/{plan['id']}/{action}", 200)
        return self.ok("GET", f"/apis/{api_id}/plans/{plan['id']}", 200)


def write_paths(run):
    """Every write of the run as (METHOD, path below the environment), with plan and API ids abbreviated."""
    out = []
    for entry in run.writes:
        path = entry["path"].split("/environments/DEFAULT/")[-1]
        parts = path.split("/")
        if len(parts) >= 2 and parts[0] == "apis":
            parts[1] = "{api}"
        if len(parts) >= 4 and parts[2] == "plans":
            parts[3] = "{plan}"
        out.append((entry["method"], "/".join(parts)))
    return out


def plan_ids_in_writes(run):
    """The plan id each plan write was about, in order (None for a create)."""
    ids = []
    for entry in run.writes:
        parts = entry["path"].split("/environments/DEFAULT/")[-1].split("/")
        if len(parts) >= 3 and parts[2] == "plans":
            ids.append(parts[3] if len(parts) >= 4 else None)
    return ids
