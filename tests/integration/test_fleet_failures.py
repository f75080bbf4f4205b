"""The fleet playbook fails closed host by host: a server that fails is stopped and the others are secured; a failure
of the once-only domain settings opens nothing anywhere."""

from tests.integration.fleet_support import (
    domain_patches,
    fleet_inventory,
    host_name,
    host_stats,
    run_fleet,
    secured,
    server_name,
    writes,
)
from tests.integration.role_support import apis_named

# Nothing listens on the discard port: the gateway cannot reach this upstream, so the smoke test fails.
DEAD_UPSTREAM = "http://127.0.0.1:9/mcp"


def test_a_failing_server_is_stopped_and_the_others_are_secured(sandbox):
    broken = {1: {"secure_mcp_upstream_url": DEAD_UPSTREAM, "secure_mcp_probe_retries": 1}}
    run = run_fleet(sandbox, fleet_inventory(sandbox, 3, verify="none", host_vars=broken), forks=3)
    assert run.rc != 0
    stats = host_stats(run)
    # The recap names the failed server: its block failed, its rescue ran and reported the failure.
    assert stats[host_name(1)]["failures"] == 1 and stats[host_name(1)]["rescued"] == 1, stats
    assert "was stopped (fail closed)" in run.output
    (api,) = apis_named(sandbox, server_name(1))
    assert str(api["state"]).upper() == "STOPPED"
    # The others went on in parallel and are secured.
    for index in (0, 2):
        assert stats[host_name(index)]["failures"] == 0
        assert secured(sandbox, index)["plans"] == {"Keyless": "CLOSED", "OAuth2": "PUBLISHED"}


def test_a_failure_of_the_domain_settings_opens_nothing(sandbox):
    sandbox.faults.add(component="am_mgmt", method="PATCH", path=r".*/domains/[^/]+$", status=500)
    run = run_fleet(sandbox, fleet_inventory(sandbox, 3, verify="none", secure_mcp_retries=0), forks=3)
    assert run.rc != 0
    assert len(domain_patches(run)) == 1
    # Every host failed with the once-only task, so the second play never started: no API was created or opened.
    assert all(stats["failures"] == 1 for stats in host_stats(run).values()), host_stats(run)
    assert [e for e in writes(run) if e["component"] == "apim_mgmt"] == []
    assert all(secured(sandbox, index) is None for index in range(3))


def test_two_hosts_with_one_context_path_are_refused_before_any_write(sandbox):
    shared = {2: {"secure_mcp_context_path": "/fleet-00-mcp"}}
    run = run_fleet(sandbox, fleet_inventory(sandbox, 3, verify="none", host_vars=shared), forks=3)
    assert run.rc != 0
    assert f"secure_mcp_context_path must differ between the hosts of the fleet; shared by {host_name(0)}, " \
           f"{host_name(2)}" in run.output
    assert writes(run) == []
