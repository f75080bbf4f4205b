"""What the reliability tests check after a run: the full secured end state, and a failure that says why.

No tests here; test_kill_points.py and test_faults.py share these checks.
"""

import time

from tests.integration.role_support import am_resource_of, apis_named, mcp_servers, mcp_url, plans_of, task_results
from tests.support.guide_http import mcp_initialize, wait_for_status

PLAYBOOK = "secure_mcp.yml"
FAST = {"secure_mcp_probe_delay": 0.3, "secure_mcp_verify": "discovery"}
FAILED = "Secure MCP | Failed"


def secured(sandbox):
    """Assert the end state of a converged run: one started API whose only published plan is OAuth2 (Keyless
    closed), one AM MCP server whose secret is the one on the API's AM resource, and no MCP session without a
    token through the gateway."""
    apis = apis_named(sandbox, "API MCP Proxy")
    assert len(apis) == 1, "%d APIs named 'API MCP Proxy'" % len(apis)
    api = apis[0]
    assert api["state"] == "STARTED"
    plans = sorted((p["name"], p["status"]) for p in plans_of(sandbox, api["id"]))
    assert plans == [("Keyless", "CLOSED"), ("OAuth2", "PUBLISHED")], plans
    servers = mcp_servers(sandbox)
    assert len(servers) == 1, "%d AM MCP servers" % len(servers)
    resource = am_resource_of(api)
    secret = ((resource or {}).get("configuration") or {}).get("clientSecret")
    assert secret and sandbox.am.secret_matches(servers[0], secret), "AM does not accept the secret on the API"
    assert wait_for_status(mcp_url(sandbox), 401).status_code == 401


def open_to_anyone(sandbox):
    """Whether an MCP client without a token gets a session through the gateway, once the gateway serves the last
    deployment (it picks deployments up after the sync delay: an earlier probe would see the one before)."""
    time.sleep(float(sandbox.config.sync_delay) + 0.3)
    return mcp_initialize(mcp_url(sandbox)).status_code == 200


def failed_clearly(run):
    """A failed run says why in words (the role's failure message), never a traceback."""
    failed = task_results(run, FAILED)
    return bool(failed) and "secure_mcp failed at" in failed[0].get("msg", "") and "Traceback" not in run.output
