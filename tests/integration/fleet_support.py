"""Helpers for the fleet playbook (no tests here): an inventory of N MCP servers on a sandbox, a run of
playbooks/secure_mcp_fleet.yml with forks, and what the sandbox holds afterwards."""

import os
import sys
import tempfile

import yaml

from tests.integration.harness import is_write, run_command
from tests.integration.role_support import PLAYBOOKS, REPO, apis_named, mcp_servers, plans_of

FLEET_PLAYBOOK = os.path.join(PLAYBOOKS, "secure_mcp_fleet.yml")


def host_name(index):
    return f"mcp{index:02d}"


def server_name(index):
    return f"Fleet MCP server {index:02d}"


def context_path(index):
    return f"/fleet-{index:02d}-mcp"


def fleet_inventory(sandbox, count, *, verify="discovery", host_vars=None, **group_vars):
    """The inventory (a dict) of ``count`` MCP servers on ``sandbox``, all forwarding to its upstream.

    ``host_vars`` maps a host index to extra variables of that host (e.g. ``{3: {"secure_mcp_state": "absent"}}``).
    """
    urls, seed = sandbox.urls, sandbox.seed
    common = {
        "ansible_connection": "local", "ansible_python_interpreter": sys.executable,
        "secure_mcp_apim_url": urls["apim_url"], "secure_mcp_apim_username": seed["apim_username"],
        "secure_mcp_apim_password": seed["apim_password"], "secure_mcp_am_url": urls["am_url"],
        "secure_mcp_am_username": seed["am_username"], "secure_mcp_am_password": seed["am_password"],
        "secure_mcp_am_domain": seed["am_domain"], "secure_mcp_public_gateway_url": urls["apim_gateway_url"],
        "secure_mcp_public_am_gateway_url": urls["am_gateway_url"], "secure_mcp_verify": verify,
        "secure_mcp_probe_delay": 0.5, **group_vars,
    }
    hosts = {}
    for index in range(count):
        hosts[host_name(index)] = {"secure_mcp_name": server_name(index),
                                   "secure_mcp_context_path": context_path(index),
                                   "secure_mcp_upstream_url": urls["upstream_url"],
                                   **(host_vars or {}).get(index, {})}
    return {"mcp_servers": {"vars": common, "hosts": hosts}}


def run_fleet(sandbox, inventory, *, forks=10, callback="json", env=None, timeout=900):
    """``ansible-playbook -i <inventory> playbooks/secure_mcp_fleet.yml -f <forks>``; a harness PlaybookRun."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "fleet.yml")
        with open(path, "w", encoding="utf-8") as handle:
            yaml.safe_dump(inventory, handle, sort_keys=False)
        command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", path, FLEET_PLAYBOOK,
                   "-f", str(forks)]
        return run_command(sandbox, command, callback=callback, env=env, timeout=timeout, cwd=REPO)


def host_stats(run):
    """The play recap per host: {host: {"ok", "changed", "failures", ...}}."""
    return (run.report or {}).get("stats", {})


def secured(sandbox, index):
    """Server ``index`` as the fleet leaves it: its API started with a published OAuth2 plan and no open Keyless
    plan, and its AM MCP server; None where one is missing."""
    apis = apis_named(sandbox, server_name(index))
    if len(apis) != 1:
        return None
    api = apis[0]
    plans = {plan["name"]: plan["status"].upper() for plan in plans_of(sandbox, api["id"])}
    servers = [s for s in mcp_servers(sandbox) if s.get("name") == server_name(index)]
    return {"state": str(api.get("state", "")).upper(), "plans": plans, "mcp_servers": len(servers), "id": api["id"]}


def domain_patches(run):
    """The AM domain PATCHes of a run (DCR and self-registration settings are both PATCHes of the domain)."""
    return [e for e in run.exchanges if e["component"] == "am_mgmt" and e["method"] == "PATCH"
            and "/domains/" in e["path"]]


def writes(run):
    return [e for e in run.exchanges if is_write(e)]


def per_host(run, suffix):
    """{host: result} of the tasks whose name ends with ``suffix`` (role tasks carry a "role : " prefix)."""
    found = {}
    for play in (run.report or {}).get("plays", []):
        for task in play["tasks"]:
            if task["task"]["name"].endswith(suffix):
                found.update(task["hosts"])
    return found
