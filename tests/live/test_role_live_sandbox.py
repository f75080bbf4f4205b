"""The live role scenario (run, rerun changed=0, removal) on the sandbox alone: proves the scenario's variables and
cleanup before test_role_live.py judges real servers with it."""

from tests.live.role_live import role_vars, run_role_three_times, verify_result
from tests.live.target import LiveGravitee
from tests.live.test_role_live import _assert_three_runs


def test_role_scenario_holds_on_the_sandbox(sandbox):
    target = LiveGravitee(sandbox.urls, sandbox.seed, source="sandbox")
    variables = role_vars(sandbox.urls, target, secure_mcp_verify="login",
                          secure_mcp_apim_username=sandbox.seed["apim_username"],
                          secure_mcp_apim_password=sandbox.seed["apim_password"])

    first, rerun, removed = run_role_three_times(sandbox, variables)

    _assert_three_runs(first, rerun, removed, mode="login")
    assert verify_result(first, "login")["registration"]["deleted"] is True
    assert sandbox.apim.apis == {} and sandbox.am.protected_resources == {}
    domain = sandbox.am.domain_by_path(sandbox.seed["am_domain"])
    assert domain["loginSettings"]["registerEnabled"] is False
    assert domain["oidc"]["clientRegistrationSettings"]["isDynamicClientRegistrationEnabled"] is False
