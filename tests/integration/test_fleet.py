"""playbooks/secure_mcp_fleet.yml: one inventory host per MCP server, secured in parallel with forks.

20 servers converge in one run with the domain settings written once, a rerun changes nothing and writes nothing,
and ``secure_mcp_state: absent`` on one host removes that server only. The fleet checks each server with
``secure_mcp_verify: discovery`` (the 401 challenge, the metadata, a refused bogus token): the full SDK login is
shown for one server by test_role_secure_mcp.py and costs seconds per server.
"""

from tests.integration.fleet_support import (
    context_path,
    domain_patches,
    fleet_inventory,
    host_name,
    host_stats,
    per_host,
    run_fleet,
    secured,
    server_name,
    writes,
)
from tests.integration.role_support import mcp_servers
from tests.support.guide_http import mcp_initialize

FLEET = 20
GONE = 7


def test_twenty_servers_converge_rerun_clean_and_one_is_removed_alone(sandbox):
    inventory = fleet_inventory(sandbox, FLEET, secure_mcp_user_registration=True)
    first = run_fleet(sandbox, inventory, forks=10)
    assert first.rc == 0, first.output
    stats = host_stats(first)
    assert sorted(stats) == sorted(host_name(i) for i in range(FLEET))
    assert all(s["failures"] == 0 and s["changed"] > 0 for s in stats.values()), stats

    # Every server: its API started with the OAuth2 plan published and the Keyless plan closed, its AM MCP server,
    # and nothing served without a token.
    for index in range(FLEET):
        server = secured(sandbox, index)
        assert server is not None, server_name(index)
        assert server["state"] == "STARTED" and server["mcp_servers"] == 1
        assert server["plans"] == {"Keyless": "CLOSED", "OAuth2": "PUBLISHED"}, server
        assert mcp_initialize(sandbox.urls["apim_gateway_url"] + context_path(index) + "/").status_code == 401
    assert len(mcp_servers(sandbox)) == FLEET

    # The domain's settings were written once for the fleet, by the first play: DCR, then self-registration.
    patches = domain_patches(first)
    assert len(patches) == 2, patches
    for step in ("3 | Dynamic Client Registration in the AM domain", "4 | User self-registration on the AM login page"):
        assert {h: r.get("skipped") for h, r in per_host(first, step).items()} == {h: True for h in stats}, step
    domain = next(iter(sandbox.am.domains.values()))
    assert domain["oidc"]["clientRegistrationSettings"]["isDynamicClientRegistrationEnabled"] is True
    assert domain["loginSettings"]["registerEnabled"] is True

    # Rerun: every host reports no change and not one management write is sent.
    again = run_fleet(sandbox, inventory, forks=10)
    assert again.rc == 0, again.output
    assert {h: s["changed"] for h, s in host_stats(again).items()} == {host_name(i): 0 for i in range(FLEET)}
    assert writes(again) == []

    # One host set to absent: its API and its AM MCP server go; no write touches any other server.
    removed = secured(sandbox, GONE)
    (gone_server,) = [s for s in mcp_servers(sandbox) if s["name"] == server_name(GONE)]
    inventory["mcp_servers"]["hosts"][host_name(GONE)]["secure_mcp_state"] = "absent"
    third = run_fleet(sandbox, inventory, forks=10)
    assert third.rc == 0, third.output
    changed = {h: s["changed"] for h, s in host_stats(third).items() if s["changed"]}
    assert list(changed) == [host_name(GONE)], changed
    assert secured(sandbox, GONE) is None
    assert server_name(GONE) not in [s["name"] for s in mcp_servers(sandbox)]
    assert len(mcp_servers(sandbox)) == FLEET - 1
    for entry in writes(third):
        assert removed["id"] in entry["path"] or gone_server["id"] in entry["path"], entry
    assert domain_patches(third) == []
    for index in set(range(FLEET)) - {GONE}:
        assert secured(sandbox, index)["plans"] == {"Keyless": "CLOSED", "OAuth2": "PUBLISHED"}
