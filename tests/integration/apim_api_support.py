"""Helpers shared by the apim_api integration tests (no tests here)."""

from tests.sandbox.apim.testkit import ApimClient

MODULE = "gravitee_community.mcp.apim_api"
NAME = "API MCP Proxy"
AM_SECRET = "am-introspection-secret-4711"


def api_task(sandbox, task_name="api", ignore_errors=False, **options):
    """One apim_api task; the MCP upstream of the sandbox unless ``upstream_url`` is given."""
    args = {"name": NAME, "context_path": "/mcp-proxy", "upstream_url": sandbox.urls["upstream_url"]}
    args.update(options)
    task = {"name": task_name, MODULE: args}
    if ignore_errors:
        task["ignore_errors"] = True
    return task


def am_resource(name="AM OAuth2 Resource", secret=AM_SECRET, **configuration):
    config = {"serverURL": "https://am-gateway.example.com", "securityDomain": "my-domain",
              "clientId": "mcp-introspection", "clientSecret": secret, "version": "V3_X"}
    config.update(configuration)
    return {"name": name, "type": "oauth2-am-resource", "configuration": config}


def stored_apis(sandbox):
    """Every API the sandbox APIM holds (public shape), by name."""
    return {api["name"]: api for api in (ApimClient(sandbox).get_api(a) for a in list(sandbox.apim.apis))}


def with_published_plan(sandbox, api_id):
    """What apim_plan would do (not this module's job): a published Keyless plan."""
    apim = ApimClient(sandbox)
    return apim.publish(api_id, apim.create_plan(api_id)["id"])


def write_paths(run):
    return [(entry["method"], entry["path"].split("/environments/DEFAULT/")[-1]) for entry in run.writes]
