"""mcp_probe survives transient failures at every network step (sandbox fault rules), still fails clearly on a
permanent one, and passes while the AM gateway redeploys the domain after a change (login 500, RFC 7592 404)."""

from tests.integration.mcp_probe_support import checks_by_name, login, probe_task
from tests.support import guide_http

AM_DOMAIN_PATH = "^/mcp-domain"


def _probe_apps(sandbox):
    return [a for a in sandbox.am.applications.values() if a.get("name") == "gravitee-mcp-probe"]


def test_a_transient_failure_at_every_step_is_retried_and_the_probe_passes(playbook, sandbox):
    url = guide_http.secure_by_hand(sandbox.urls, sandbox.seed)["mcp_url"]
    rules = [
        sandbox.faults.add(component="apim_gateway", method="GET", path="^/.well-known/oauth-protected-resource/",
                           times=2, status=503),
        sandbox.faults.add(component="am_gateway", method="GET", path=AM_DOMAIN_PATH + "/oidc/.well-known/",
                           times=1, status=502),
        sandbox.faults.add(component="am_gateway", method="GET", path=AM_DOMAIN_PATH + "/oidc/.well-known/",
                           times=1, drop=True),
        sandbox.faults.add(component="am_gateway", method="POST", path=AM_DOMAIN_PATH + "/oidc/register$",
                           times=2, status=503),
        sandbox.faults.add(component="am_gateway", method="GET", path=AM_DOMAIN_PATH + "/login$", times=1,
                           status=500),
        sandbox.faults.add(component="am_gateway", method="POST", path=AM_DOMAIN_PATH + "/login$", times=1,
                           status=500),
        sandbox.faults.add(component="am_gateway", method="POST", path=AM_DOMAIN_PATH + "/oauth/token$", times=1,
                           status=429, retry_after="1"),
        sandbox.faults.add(component="am_gateway", method="DELETE", path=AM_DOMAIN_PATH + "/oidc/register/",
                           times=1, status=503),
    ]

    run = playbook([probe_task("faults", url, probe_retries=3, probe_delay=0.2, **login(sandbox))])

    assert run.rc == 0, run.output
    result = run.result("faults")
    assert result["ok"] is True and result["failed_checks"] == []
    assert [rule.hits for rule in rules] == [rule.times for rule in rules]
    checks = checks_by_name(result)
    assert checks["registration"]["attempts"] == 3 and checks["login"]["attempts"] >= 2
    assert result["registration"]["deleted"] is True and _probe_apps(sandbox) == []


def test_a_permanent_failure_still_fails_with_a_clear_message(playbook, sandbox):
    url = guide_http.secure_by_hand(sandbox.urls, sandbox.seed)["mcp_url"]
    rule = sandbox.faults.add(component="am_gateway", method="POST", path=AM_DOMAIN_PATH + "/oidc/register$",
                              status=503)

    run = playbook([probe_task("down", url, probe_retries=2, probe_delay=0.1, ignore_errors=True,
                               register_client=True)])

    result = run.result("down")
    registration = checks_by_name(result)["registration"]
    assert result["failed"] is True and result["failed_checks"] == ["registration"]
    assert rule.hits == 3 and registration["attempts"] == 3
    assert registration["got"].startswith("503: ")
    assert "(tried 3 times; the last transient failure: POST %s/mcp-domain/oidc/register answered 503)" % (
        sandbox.urls["am_gateway_url"]) in registration["got"]
    assert result["msg"].startswith("1 of 9 MCP checks failed. registration: expected 201")


def test_the_probe_passes_while_am_redeploys_the_domain_and_leaves_no_client(playbook, sandbox):
    url = guide_http.secure_by_hand(sandbox.urls, sandbox.seed)["mcp_url"]
    # Each probe runs right after a domain change; the window is far longer than a probe needs to reach the
    # login (or the cleanup), so both meet it.
    sandbox.config.domain_redeploy_window = 5
    change = {"gravitee_community.mcp.am_registration": {
        "domain": "mcp-domain", "am_url": sandbox.urls["am_url"], "am_username": sandbox.seed["am_username"],
        "am_password": sandbox.seed["am_password"]}}
    run = playbook([
        dict(change, name="domain change"),
        probe_task("register only", url, probe_retries=40, probe_delay=0.25, register_client=True),
        {"name": "another change", **{k: dict(v, remember_me=True) for k, v in change.items()}},
        probe_task("login", url, probe_retries=40, probe_delay=0.25, **login(sandbox)),
    ])

    assert run.rc == 0, run.output
    assert run.result("domain change")["changed"] and run.result("another change")["changed"]
    for name in ("register only", "login"):
        assert run.result(name)["ok"] is True and run.result(name)["registration"]["deleted"] is True
    gateway = [e for e in run.exchanges if e["component"] == "am_gateway"]
    assert any(e["method"] == "DELETE" and "/oidc/register/" in e["path"] and e["status"] == 404 for e in gateway)
    assert any(e["path"] == "/mcp-domain/login" and e["status"] == 500 for e in gateway)
    assert _probe_apps(sandbox) == []
