"""The role's first run passes its verify (secure_mcp_verify: login) while the AM gateway redeploys the domain the
role has just changed: login 500 and RFC 7592 404 for a while after each domain PATCH, as real AM 4.10 does."""

from tests.integration.role_support import run_playbook_file, task_results

# The window lasts WINDOW_S after each domain change and at least REFUSALS refused requests, so the verify's login
# meets it however long the role takes from its last domain change (self-registration) to the login on a loaded
# machine; the role's default probe budget (secure_mcp_probe_retries x secure_mcp_probe_delay per check,
# 20 x 1.5 s) outlasts it.
WINDOW_S = 2
REFUSALS = 2


def test_first_run_with_a_login_verify_passes_during_the_redeploy_window(sandbox):
    sandbox.config.domain_redeploy_window = WINDOW_S
    sandbox.config.domain_redeploy_refusals = REFUSALS

    first = run_playbook_file(sandbox, "secure_mcp.yml")

    assert first.rc == 0, first.output
    verified = task_results(first, "Verify like an MCP client (login)")[0]
    assert verified["ok"] is True and verified["failed_checks"] == []
    assert verified["registration"]["deleted"] is True
    logins = [e["status"] for e in first.exchanges if e["component"] == "am_gateway"
              and e["path"] == "/%s/login" % sandbox.seed["am_domain"]]
    assert logins.count(500) >= REFUSALS and logins[-1] != 500  # the window was met, and outlasted
    assert not [a for a in sandbox.am.applications.values() if a.get("name") == "gravitee-mcp-probe"]
