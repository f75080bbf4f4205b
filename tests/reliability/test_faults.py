"""Faults at every management request a first run of playbooks/secure_mcp.yml sends.

Persistent (every hit of that request fails): the run fails clearly (the role's failure message, no traceback)
or succeeds over the full secured state, and it never leaves the MCP server open to anyone; once the fault is
gone the next run converges, and the official MCP SDK client logs in and calls a tool. Transient (a 429 with
Retry-After, a connection reset on a read, a slow write): the first run succeeds.

STEPS is checked against the log of a real first run (test_every_management_request_has_a_fault_case), so a
request the role starts to send gets a case here or fails that test.
"""

import re

import pytest

from tests.integration.harness import MANAGEMENT
from tests.integration.role_support import mcp_url, run_playbook_file
from tests.reliability.end_state import FAST, PLAYBOOK, failed_clearly, open_to_anyone, secured
from tests.reliability.figures import record
from tests.support.mcp_client import oauth_session, run

APIS = r"/management/v2/organizations/[^/]+/environments/[^/]+/apis"
DOMAINS = r"/management/organizations/[^/]+/environments/[^/]+/domains"
# Each distinct management request of a first run (identical endpoints grouped): component, method, path regex.
STEPS = {
    "apim-environment-read": ("apim_mgmt", "GET", r"/management/v2/organizations/[^/]+/environments/[^/]+$"),
    "apim-apis-search": ("apim_mgmt", "POST", APIS + r"/_search$"),
    "apim-apis-list": ("apim_mgmt", "GET", APIS + r"$"),
    "apim-api-create": ("apim_mgmt", "POST", APIS + r"$"),
    "apim-api-read": ("apim_mgmt", "GET", APIS + r"/[^/_]+$"),
    "apim-api-update": ("apim_mgmt", "PUT", APIS + r"/[^/_]+$"),
    "apim-api-start": ("apim_mgmt", "POST", APIS + r"/[^/]+/_start$"),
    "apim-api-deploy": ("apim_mgmt", "POST", APIS + r"/[^/]+/deployments$"),
    "apim-plans-list": ("apim_mgmt", "GET", APIS + r"/[^/]+/plans$"),
    "apim-plan-create": ("apim_mgmt", "POST", APIS + r"/[^/]+/plans$"),
    "apim-plan-publish": ("apim_mgmt", "POST", APIS + r"/[^/]+/plans/[^/]+/_publish$"),
    "apim-plan-close": ("apim_mgmt", "POST", APIS + r"/[^/]+/plans/[^/]+/_close$"),
    "am-token": ("am_mgmt", "POST", r"/management/auth/token$"),
    "am-domain-lookup": ("am_mgmt", "GET", DOMAINS + r"/_hrid/[^/]+$"),
    "am-domain-patch": ("am_mgmt", "PATCH", DOMAINS + r"/[^/_]+$"),
    "am-resources-list": ("am_mgmt", "GET", DOMAINS + r"/[^/]+/protected-resources$"),
    "am-resource-create": ("am_mgmt", "POST", DOMAINS + r"/[^/]+/protected-resources$"),
    # Not management, but the step that proves the secret on the API: token introspection on the AM gateway.
    "am-gateway-introspect": ("am_gateway", "POST", r"/oauth/introspect$"),
}
# A few transient faults at representative steps, each one the first run must get through.
TRANSIENT = {
    "429-retry-after-apim-search": dict(step="apim-apis-search", status=429, retry_after="1", times=2),
    "429-retry-after-am-token": dict(step="am-token", status=429, retry_after="1", times=1),
    "reset-apim-api-read": dict(step="apim-api-read", drop=True, times=1),
    "latency-apim-api-create": dict(step="apim-api-create", latency_ms=1500, times=1),
    "latency-am-domain-patch": dict(step="am-domain-patch", latency_ms=1500, times=1),
}
READS = ("GET",)


def fault(sandbox, step, **behaviour):
    component, method, path = STEPS[step]
    return sandbox.faults.add(component=component, method=method, path=path, **behaviour)


def steps_of(entry):
    return [name for name, (component, method, path) in STEPS.items()
            if component == entry["component"] and method == entry["method"] and re.search(path, entry["path"])]


def faulted(run):
    return sum(1 for entry in run.exchanges if entry.get("fault"))


def login_and_call_a_tool(sandbox):
    client = run(oauth_session(mcp_url(sandbox), sandbox.seed["am_user"], sandbox.seed["am_user_password"],
                               "echo", {"text": "after the fault"}))
    assert client["call"] and "after the fault" in client["call"][0], client


def test_every_management_request_has_a_fault_case(sandbox):
    first = run_playbook_file(sandbox, PLAYBOOK, FAST)
    assert first.rc == 0, first.output[-3000:]
    seen = set()
    for entry in first.exchanges:
        matched = steps_of(entry)
        if entry["component"] in MANAGEMENT:
            assert len(matched) == 1, "%s %s %s matches %s" % (entry["component"], entry["method"], entry["path"],
                                                               matched)
        seen.update(matched)
    assert seen == set(STEPS), "never sent: %s" % sorted(set(STEPS) - seen)


# make test runs with --dist loadfile: the AM steps and the transient faults are in test_faults_am.py, so that the
# two halves can run on two workers.
@pytest.mark.parametrize("step", sorted(s for s in STEPS if s.startswith("apim-")))
def test_a_persistent_fault_fails_clearly_never_open_and_the_next_run_converges(sandbox, step):
    persistent_fault_case(sandbox, step)


def persistent_fault_case(sandbox, step):
    survived, first_rc = False, None
    try:
        # 503 (retried, then given up) on reads, 500 on writes; one retry keeps the case short.
        fault(sandbox, step, status=503 if STEPS[step][1] in READS else 500)
        first = run_playbook_file(sandbox, PLAYBOOK, dict(FAST, secure_mcp_retries=1))
        first_rc = first.rc
        sandbox.faults.clear()
        assert faulted(first) > 0, "the fault was never hit"
        assert first.rc == 0 or failed_clearly(first), first.output[-3000:]
        assert not open_to_anyone(sandbox), "the failed run left the MCP server open to anyone"
        if first.rc == 0:
            secured(sandbox)

        rerun = run_playbook_file(sandbox, PLAYBOOK, FAST)
        assert rerun.rc == 0, rerun.output[-3000:]
        secured(sandbox)
        login_and_call_a_tool(sandbox)
        survived = True
    finally:
        record("faults", "persistent " + step, survived=survived, first_rc=first_rc)
