"""The APIM half of the live tier: a PROXY API (what the Community Edition has) secured the guide's way with the
collection's modules, through real ansible-playbook runs.

API, Keyless plan, start; the AM resource; the OAuth2 plan; Keyless closed; redeploy; then the same tasks again
(changed=0, no write) and ``state: absent``. The same scenario runs on the sandbox pretending to be APIM CE
4.10.9 (``test_apim_live_sandbox.py``) and on a real APIM (``test_apim_live.py``), so a failure on the real
server is a difference, not a bug of the scenario. Everything it creates carries a unique name and is removed.
"""

import uuid

from tests.integration.harness import run_playbook
from tests.support.guide_http import wait_for_status

STEPS = ("api", "keyless", "start", "resource", "oauth2", "close keyless", "redeploy")
FINAL_STEPS = ("resource", "oauth2", "close keyless", "redeploy")
API = "gravitee_community.mcp.apim_api"
PLAN = "gravitee_community.mcp.apim_plan"


class Unlogged:
    """A request log for real servers: nothing is recorded (the tests use the task results instead)."""

    def last_seq(self):
        return 0

    def since(self, _seq):
        return []


class Runner:
    """What ``run_playbook`` needs from a target: ``env()`` and ``log``."""

    def __init__(self, target, log=None):
        self.target = target
        self.log = log if log is not None else Unlogged()

    def env(self):
        return self.target.env()


def _api(name, context_path, upstream, **extra):
    return {"name": name, "type": "proxy", "context_path": context_path, "upstream_url": upstream, **extra}


def secure_tasks(target, name, context_path, am_domain="mcp-domain"):
    """The guide's steps for a PROXY API; the AM resource points at the target's AM gateway (or a placeholder)."""
    upstream = target.urls["upstream_url"]
    resource = {"name": "AM OAuth2 Resource", "type": "oauth2-am-resource", "configuration": {
        "serverURL": target.urls.get("am_gateway_url") or "https://am-gateway.example.com",
        "securityDomain": am_domain, "clientId": "live-introspection", "clientSecret": "live-" + uuid.uuid4().hex,
        "version": "V3_X"}}
    return [
        {"name": "api", API: _api(name, context_path, upstream, deployed=False)},
        {"name": "keyless", PLAN: {"api": name, "name": "Keyless", "security": "keyless", "state": "published"}},
        {"name": "start", API: _api(name, context_path, upstream, deployed=True)},
        {"name": "resource", API: _api(name, context_path, upstream, resources=[resource], deployed=False),
         "no_log": True},
        {"name": "oauth2", PLAN: {"api": name, "name": "OAuth2", "security": "oauth2",
                                  "oauth2": {"resource": "AM OAuth2 Resource"}, "state": "published",
                                  "deploy": False}},
        {"name": "close keyless", PLAN: {"api": name, "name": "Keyless", "state": "closed", "deploy": False}},
        {"name": "redeploy", API: _api(name, context_path, upstream, deployed=True)},
    ]


def run_lifecycle(target, log=None, sync_s=30.0):
    """Run the scenario; returns ``(first, closed, rerun, absent)``: the PlaybookRuns and the gateway's answer to an
    unauthenticated ``initialize`` once secured (assertions are the caller's)."""
    suffix = uuid.uuid4().hex[:8]
    name, context_path = "Live MCP " + suffix, "/live-mcp-" + suffix
    runner = Runner(target, log)
    tasks = secure_tasks(target, name, context_path)
    first = run_playbook(runner, tasks)
    closed = wait_for_status(target.urls["apim_gateway_url"] + context_path, 401, deadline_s=sync_s)
    # The rerun asks for the end state only (a Keyless plan "published" again would reopen the API).
    rerun = run_playbook(runner, [task for task in tasks if task["name"] in FINAL_STEPS])
    absent = run_playbook(runner, [{"name": "absent", API: {"name": name, "type": "proxy", "state": "absent"}},
                                   {"name": "absent again", API: {"name": name, "type": "proxy",
                                                                   "state": "absent"}}])
    return first, closed, rerun, absent




def assert_lifecycle(first, closed, rerun, absent):
    assert first.rc == 0, first.output
    # Measured on APIM CE 4.10.9: a PROXY API's 401 carries no WWW-Authenticate.
    assert closed.status_code == 401 and "WWW-Authenticate" not in closed.headers, (closed.status_code,
                                                                                   dict(closed.headers))
    assert all(first.result(step)["changed"] for step in STEPS if step != "start"), \
        [(s, first.result(s)["changed"]) for s in STEPS]
    assert rerun.rc == 0, rerun.output
    assert [step for step in FINAL_STEPS if rerun.result(step)["changed"]] == []
    assert absent.rc == 0, absent.output
    assert [absent.result("absent")["changed"], absent.result("absent again")["changed"]] == [True, False]
