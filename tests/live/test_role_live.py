"""The secure_mcp role against real servers (skipped, with the reason, when they are not there).

- all live: real APIM (Community Edition, so ``secure_mcp_api_type: proxy``) and real AM, verify ``dcr``;
- hybrid: the sandbox's APIM (it models the Enterprise MCP proxy) with a real AM, verify ``login`` as the seed
  user, which the test creates in the tier's domain and deletes afterwards.
Each runs the role, reruns it (changed=0) and removes what it created (``secure_mcp_state: absent``).
"""

import pytest

from tests.live import seed as live_seed
from tests.live.role_live import role_vars, run_role_three_times, verify_result


def _assert_three_runs(first, rerun, removed, mode):
    assert first.rc == 0, first.output
    verified = verify_result(first, mode)
    assert verified["ok"] is True and verified["failed_checks"] == [], verified["msg"]
    assert rerun.rc == 0 and rerun.changed == 0, rerun.output
    assert removed.rc == 0, removed.output


def test_role_with_a_proxy_api_on_real_apim_and_am(sandbox, live_am, live_apim):
    target, _domain = live_am
    if not target.urls["upstream_url"]:
        pytest.skip("GRAVITEE_LIVE_UPSTREAM_URL is not set: the API needs an MCP server the gateway can reach")
    variables = role_vars(target.urls, target, secure_mcp_api_type="proxy", secure_mcp_verify="dcr",
                          secure_mcp_apim_username=target.seed["apim_username"],
                          secure_mcp_apim_password=target.seed["apim_password"])

    _assert_three_runs(*run_role_three_times(sandbox, variables), mode="dcr")


@pytest.fixture
def live_user(live_am):
    """The seed user in the real AM's domain, deleted afterwards when this test created it."""
    target, domain = live_am
    token = live_seed.am_token(target.urls["am_url"], target.seed)
    user_id, created = live_seed.ensure_am_user(target.urls["am_url"], target.seed, token, domain)
    yield target.seed["am_user"]
    if created and user_id:
        live_seed.delete_am_user(target.urls["am_url"], target.seed, token, domain, user_id)


def test_hybrid_sandbox_apim_with_real_am_and_a_login_verify(sandbox, live_am, live_user):
    target, _domain = live_am
    variables = role_vars(sandbox.urls, target, secure_mcp_verify="login",
                          secure_mcp_apim_username=sandbox.seed["apim_username"],
                          secure_mcp_apim_password=sandbox.seed["apim_password"])

    _assert_three_runs(*run_role_three_times(sandbox, variables), mode="login")
    assert sandbox.apim.apis == {}
