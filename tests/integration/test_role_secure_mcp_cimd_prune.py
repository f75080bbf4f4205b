"""The secure_mcp role's CIMD and registered-client hygiene variables (both off by default)."""

from tests.integration.role_support import management_writes, run_playbook_file, task_results
from tests.integration.test_am_dcr_gateway import VSCODE_REGISTRATION, register

FAST = {"secure_mcp_probe_delay": 0.5}
CIMD = "Client ID Metadata Documents in the AM domain"
PRUNE = "Remove stale dynamically registered clients"


def cimd_settings(sandbox):
    return next(iter(sandbox.am.domains.values()))["oidc"]["cimdSettings"]


def test_off_by_default(sandbox):
    run = run_playbook_file(sandbox, "secure_mcp.yml", FAST)

    assert run.rc == 0, run.output
    assert all(r.get("skipped") for r in task_results(run, CIMD) + task_results(run, PRUNE))
    assert cimd_settings(sandbox)["enabled"] is False


def test_cimd_on_and_pruning_each_run_then_a_rerun_changes_nothing(sandbox):
    extra = dict(FAST, secure_mcp_cimd=True, secure_mcp_cimd_settings={"allowed_domains": ["*.example.com"]},
                 secure_mcp_prune_dcr_clients={"client_name": "Visual Studio Code"})
    first = run_playbook_file(sandbox, "secure_mcp.yml", extra)
    assert first.rc == 0, first.output
    assert cimd_settings(sandbox)["enabled"] is True and cimd_settings(sandbox)["allowedDomains"] == ["*.example.com"]
    [cimd] = task_results(first, CIMD)
    assert cimd["changed"] is True and cimd["template"]["template"] is True
    # The role's own verification registered a client (DCR); VS Code registers one too.
    vscode = register(sandbox, VSCODE_REGISTRATION).json()

    second = run_playbook_file(sandbox, "secure_mcp.yml", extra)
    assert second.rc == 0, second.output
    [pruned] = task_results(second, PRUNE)
    assert [c["client_id"] for c in pruned["dcr_clients"]] == [vscode["client_id"]]
    assert vscode["id"] not in sandbox.am.applications and task_results(second, CIMD)[0]["changed"] is False

    third = run_playbook_file(sandbox, "secure_mcp.yml", extra)
    assert third.rc == 0, third.output
    assert task_results(third, PRUNE)[0]["changed"] is False and task_results(third, CIMD)[0]["changed"] is False
    assert not [w for w in management_writes(third) if "/applications" in w["path"] or "/domains/" in w["path"]
                and w["method"] == "PATCH"]
