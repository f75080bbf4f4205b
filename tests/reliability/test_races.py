"""Two runs of the role at once against the same MCP server, with forced overlaps.

Whatever the interleaving, the pair must end with one API, one AM MCP server and, on the API, a secret AM
accepts; a run that loses a race fails clearly or converges, and never reports success over a broken state. A
third run always converges to the full end state, checked with a real login and tool call.
"""

import threading
import time

import pytest

from tests.integration.role_support import (
    am_resource_of,
    apis_named,
    mcp_servers,
    run_playbook_file,
    task_results,
)
from tests.reliability.figures import record

FAST = {"secure_mcp_probe_delay": 0.3, "secure_mcp_verify": "discovery"}
FAILED = "Secure MCP | Failed"

# Where the first run is slowed down, so that the second one runs through that step meanwhile.
OVERLAPS = {
    # Both runs find no API: the first create is slowed, the second creates meanwhile.
    "create": dict(component="apim_mgmt", method="POST", path=r"/environments/[^/]+/apis$", latency_ms=2500, times=1),
    # The AM MCP server's creation (its secret) is slowed: the other run finds a server whose secret it never saw.
    "secret": dict(component="am_mgmt", method="POST", path=r"/protected-resources$", latency_ms=2500, times=1),
    # The defect seen before: the first resource PUT lands after the other run renewed the secret away.
    "resource_put": dict(component="apim_mgmt", method="PUT", path=r"/apis/[^/_]+$", latency_ms=4000, times=1),
}


def consistent(sandbox):
    """(one API, one AM MCP server, a secret on the API that AM accepts), and why not."""
    apis = apis_named(sandbox, "API MCP Proxy")
    servers = mcp_servers(sandbox)
    if len(apis) != 1 or len(servers) != 1:
        return False, "%d APIs and %d MCP servers" % (len(apis), len(servers))
    resource = am_resource_of(apis[0])
    secret = ((resource or {}).get("configuration") or {}).get("clientSecret")
    if not secret or not sandbox.am.secret_matches(servers[0], secret):
        return False, "the API's secret is not accepted by AM"
    return True, "ok"


def run_pair(sandbox, stagger_s):
    runs = [None, None]

    def go(index):
        runs[index] = run_playbook_file(sandbox, "secure_mcp.yml", FAST)

    threads = [threading.Thread(target=go, args=(0,))]
    threads[0].start()
    time.sleep(stagger_s)
    threads.append(threading.Thread(target=go, args=(1,)))
    threads[1].start()
    for thread in threads:
        thread.join(timeout=600)
    return runs


def clear_failure(run):
    """A failed run says why in words (the role's failure message), never a traceback."""
    failed = task_results(run, FAILED)
    return bool(failed) and "secure_mcp failed at" in failed[0]["msg"] and "Traceback" not in run.output


@pytest.mark.parametrize("overlap", sorted(OVERLAPS))
def test_two_runs_at_once_end_consistent_or_fail_clearly(sandbox, overlap):
    sandbox.faults.add(**OVERLAPS[overlap])
    first, second = run_pair(sandbox, stagger_s=1.0)
    sandbox.faults.clear()
    ok, why = consistent(sandbox)
    outcomes = [run.rc for run in (first, second)]
    for run in (first, second):
        assert run.rc == 0 or clear_failure(run), run.output[-3000:]
    if outcomes == [0, 0]:
        assert ok, "both runs reported success over a broken state: %s" % why

    converged = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_verify="login"))
    assert converged.rc == 0, converged.output[-3000:]
    assert consistent(sandbox) == (True, "ok")
    assert task_results(converged, "Verify like an MCP client (login)")[0]["ok"] is True
    record("race_pairs", overlap, first_rc=first.rc, second_rc=second.rc, consistent_after_pair=ok)
