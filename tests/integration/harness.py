"""Run real ``ansible-playbook`` against the sandbox and read what happened.

Integration tests describe tasks as Python data; the harness writes the play,
runs it with the venv's ansible-playbook (connection local, the venv's Python
as interpreter, the sandbox's GRAVITEE_* variables in the environment) and
returns the parsed results plus the sandbox exchanges the run caused.
"""

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

import yaml

from tests.collection_path import COLLECTIONS_ROOT

READ_ONLY_POSTS = ("/_search", "/management/auth/token", "/_verify")
MANAGEMENT = ("apim_mgmt", "am_mgmt")
CALLBACK_PLUGINS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "callback_plugins")


def is_write(entry):
    """A management request that changes something (APIM _search and AM token exchange are reads)."""
    if entry["component"] not in MANAGEMENT or entry["method"] not in ("POST", "PUT", "PATCH", "DELETE"):
        return False
    return not (entry["method"] == "POST" and entry["path"].endswith(READ_ONLY_POSTS))


def token_exchanges(run):
    """The AM management token requests a run made (one per AM module task is expected)."""
    return [e for e in run.exchanges if e["path"].endswith("/management/auth/token")]


@dataclass
class PlaybookRun:
    rc: int
    stdout: str
    stderr: str
    exchanges: list = field(default_factory=list)
    report: dict | None = None

    @property
    def writes(self):
        return [e for e in self.exchanges if is_write(e)]

    @property
    def stats(self):
        return (self.report or {}).get("stats", {}).get("localhost", {})

    @property
    def changed(self):
        return self.stats.get("changed", 0)

    def results(self):
        """Each task's result dict, in order (json callback only)."""
        out = []
        for play in (self.report or {}).get("plays", []):
            for task in play["tasks"]:
                result = task["hosts"].get("localhost", {})
                out.append({"name": task["task"]["name"], **result})
        return out

    def result(self, name):
        matches = [r for r in self.results() if r["name"] == name]
        assert matches, f"no task named {name!r} in {[r['name'] for r in self.results()]}"
        return matches[-1]

    @property
    def output(self):
        return self.stdout + self.stderr


def sandbox_env(sandbox):
    env = dict(os.environ)
    env.update(sandbox.env())
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS_ROOT,
        "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_DEPRECATION_WARNINGS": "false",
    })
    return env


def run_playbook(sandbox, tasks, *, check=False, diff=False, verbosity=0, callback="json", extra_vars=None,
                 env=None, play_extra=None, timeout=300):
    """Run ``tasks`` (a list of task dicts) on localhost; return a :class:`PlaybookRun`."""
    play = {"hosts": "localhost", "gather_facts": False, "connection": "local", "tasks": tasks}
    play.update(play_extra or {})
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "play.yml")
        with open(path, "w", encoding="utf-8") as handle:
            yaml.safe_dump([play], handle, sort_keys=False)
        command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", path]
        if check:
            command.append("--check")
        if diff:
            command.append("--diff")
        if verbosity:
            command.append("-" + "v" * verbosity)
        if extra_vars:
            command += ["-e", json.dumps(extra_vars)]
        return run_command(sandbox, command, callback=callback, env=env, timeout=timeout)


def run_command(sandbox, command, *, callback="json", env=None, timeout=300, cwd=None):
    """Run an ``ansible-playbook`` command line with the sandbox's environment; return a :class:`PlaybookRun`."""
    run_env = sandbox_env(sandbox)
    # ansible-core ships no json callback: tests/integration/callback_plugins/gravitee_json.py is ours.
    run_env["ANSIBLE_CALLBACK_PLUGINS"] = CALLBACK_PLUGINS
    run_env["ANSIBLE_STDOUT_CALLBACK"] = "gravitee_json" if callback == "json" else "ansible.builtin.default"
    run_env.update(env or {})
    since = sandbox.log.last_seq()
    proc = subprocess.run(command, env=run_env, capture_output=True, text=True, timeout=timeout, cwd=cwd)
    report = None
    if callback == "json":
        try:
            report = json.loads(proc.stdout)
        except ValueError:
            report = None
    return PlaybookRun(proc.returncode, proc.stdout, proc.stderr, sandbox.log.since(since), report)


def domain_task(module, default_domain="mcp-domain"):
    """``task(title, check=False, ignore_errors=False, no_log=False, domain=..., **options)`` for a module with a
    ``domain`` option."""

    def task(title, check=False, ignore_errors=False, no_log=False, domain=default_domain, **options):
        entry = {"name": title, module: {"domain": domain, **options}}
        if check:
            entry["check_mode"] = True
        if ignore_errors:
            entry["ignore_errors"] = True
        if no_log:
            entry["no_log"] = True
        return entry

    return task
