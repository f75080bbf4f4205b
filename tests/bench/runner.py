"""One benchmark run of each kind against the sandbox: the role (playbooks/secure_mcp.yml as the README runs it),
the uri-only playbook (tests/bench/uri_guide.yml), the fleet playbook, and the README's include_role loop.

Each returns a :class:`Measured`: the harness's PlaybookRun, the wall time of the whole ansible-playbook process
(start-up included: what a user waits for), the management requests by product, and the per-task times.
"""

import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field

import yaml

from tests.bench import stats
from tests.integration.fleet_support import fleet_inventory, host_stats
from tests.integration.harness import CALLBACK_PLUGINS, run_command
from tests.integration.role_support import REPO, SANDBOX_VARS, sandbox_urls

BENCH = os.path.dirname(os.path.abspath(__file__))
URI_PLAYBOOK = os.path.join(BENCH, "uri_guide.yml")
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")


@dataclass
class Measured:
    rc: int
    seconds: float
    requests: dict
    tasks: list = field(default_factory=list)
    failures: int = 0
    changed: int = 0
    rss: dict | None = None
    run: object = None

    @property
    def ok(self):
        return self.rc == 0 and not self.failures


def _run(sandbox, command, extra_env=None, timeout=1800, cwd=REPO, rss=False):
    with tempfile.TemporaryDirectory() as tmp:
        times_file, rss_file = os.path.join(tmp, "times.json"), os.path.join(tmp, "rss.json")
        env = {"ANSIBLE_CALLBACK_PLUGINS": os.pathsep.join([CALLBACK_PLUGINS, os.path.join(BENCH, "callback_plugins")]),
               "ANSIBLE_CALLBACKS_ENABLED": "bench_timer", "BENCH_TIMES_FILE": times_file, **(extra_env or {})}
        if rss:
            command = [sys.executable, os.path.join(BENCH, "rss.py"), rss_file, "--"] + command
        start = time.monotonic()
        run = run_command(sandbox, command, env=env, timeout=timeout, cwd=cwd)
        elapsed = time.monotonic() - start
        tasks = _load(times_file) or []
        recap = host_stats(run)
        measured = Measured(run.rc, elapsed, stats.requests_by_product(run.exchanges),
                            stats.task_durations(tasks, time.time()),
                            sum(s.get("failures", 0) + s.get("unreachable", 0) for s in recap.values()),
                            sum(s.get("changed", 0) for s in recap.values()), _load(rss_file) if rss else None, run)
        return measured


def _load(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def run_role(sandbox, code):
    """``ansible-playbook playbooks/secure_mcp.yml -e @playbooks/vars/sandbox.yml -e <this sandbox's URLs>``."""
    command = [ANSIBLE_PLAYBOOK, "-i", "localhost,", os.path.join(code.playbooks, "secure_mcp.yml"),
               "-e", "@" + os.path.join(code.playbooks, "vars", "sandbox.yml"),
               "-e", json.dumps(sandbox_urls(sandbox))]
    return _run(sandbox, command, code.env(), cwd=code.root)


def run_uri(sandbox):
    """The uri-only playbook with the same variables as the role."""
    command = [ANSIBLE_PLAYBOOK, "-i", "localhost,", URI_PLAYBOOK, "-e", "@" + SANDBOX_VARS,
               "-e", json.dumps(sandbox_urls(sandbox))]
    return _run(sandbox, command)


def run_fleet(sandbox, code, inventory, forks, rss=False):
    """``ansible-playbook -i <inventory> playbooks/secure_mcp_fleet.yml -f <forks>`` of ``code``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "fleet.yml")
        with open(path, "w", encoding="utf-8") as handle:
            yaml.safe_dump(inventory, handle, sort_keys=False)
        command = [ANSIBLE_PLAYBOOK, "-i", path, os.path.join(code.playbooks, "secure_mcp_fleet.yml"),
                   "-f", str(forks)]
        return _run(sandbox, command, code.env(), cwd=code.root, rss=rss)


def loop_play(inventory):
    """The role README's "Several MCP servers, one role call each": include_role in a loop on localhost, with the
    fleet inventory's servers and common variables."""
    group = inventory["mcp_servers"]
    common = {k: v for k, v in group["vars"].items() if not k.startswith("ansible_")}
    servers = [{"name": h["secure_mcp_name"], "path": h["secure_mcp_context_path"],
                "upstream": h["secure_mcp_upstream_url"]} for h in group["hosts"].values()]
    return [{
        "name": "Several MCP servers, one role call each (sequential)",
        "hosts": "localhost", "connection": "local", "gather_facts": False,
        "vars": {**common, "mcp_servers": servers},
        "tasks": [{
            "name": "Several MCP servers, one role call each",
            "ansible.builtin.include_role": {"name": "gravitee_community.mcp.secure_mcp"},
            "loop": "{{ mcp_servers }}",
            "loop_control": {"loop_var": "mcp"},
            "vars": {"secure_mcp_name": "{{ mcp.name }}", "secure_mcp_context_path": "{{ mcp.path }}",
                     "secure_mcp_upstream_url": "{{ mcp.upstream }}"},
        }],
    }]


def run_loop(sandbox, code, inventory):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "loop.yml")
        with open(path, "w", encoding="utf-8") as handle:
            yaml.safe_dump(loop_play(inventory), handle, sort_keys=False)
        command = [ANSIBLE_PLAYBOOK, "-i", "localhost,", path,
                   "-e", json.dumps({"ansible_python_interpreter": sys.executable})]
        return _run(sandbox, command, code.env(), cwd=code.root)


def inventory(sandbox, size, verify):
    return fleet_inventory(sandbox, size, verify=verify)
