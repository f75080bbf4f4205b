"""The benchmark's yardstick stays right: tests/bench/uri_guide.yml, run once from the seeded state, secures the
API the way the guide does (the gateway refuses a call without a token), and its rerun creates nothing."""

from tests.bench import runner
from tests.integration.role_support import apis_named, mcp_servers, mcp_url, plans_of
from tests.support.guide_http import wait_for_status


def test_uri_playbook_secures_the_api(sandbox):
    first = runner.run_uri(sandbox)
    assert first.rc == 0, first.run.output

    assert wait_for_status(mcp_url(sandbox), 401).status_code == 401
    (api,) = apis_named(sandbox, "API MCP Proxy")
    plans = {plan["name"]: plan["status"].upper() for plan in plans_of(sandbox, api["id"])}
    assert plans == {"Keyless": "CLOSED", "OAuth2": "PUBLISHED"}
    assert [s["resourceIdentifiers"] for s in mcp_servers(sandbox)] == [[mcp_url(sandbox)]]

    rerun = runner.run_uri(sandbox)
    assert rerun.rc == 0, rerun.run.output
    assert not [e for e in rerun.run.writes if e["method"] == "POST"]
