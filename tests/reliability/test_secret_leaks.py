"""No secret the suite knows appears in what a run leaves behind: -vvvv and --diff output, the JSON results of
a failing run, and every file of ansible-runner's artifacts (what AWX keeps of a job).

Each test runs ``playbooks/secure_mcp.yml`` twice on a fresh sandbox whose accounts have long, distinct
passwords (so a match means a leak, not a common word): a full run with verify: login, then a failing rerun
whose verify login uses a wrong password. The secrets are harvested afterwards (tests/reliability/secrets_scan.py).
``ANSIBLE_DEBUG=1`` is ansible-core's raw debug log and is out of scope (see the README's security notes).
"""

import json
import os
import shutil
import sys

import ansible_runner
import pytest
import yaml

from tests.integration.harness import sandbox_env
from tests.integration.role_support import PLAYBOOKS, SANDBOX_VARS, run_playbook_file, sandbox_urls
from tests.reliability import figures
from tests.reliability.secrets_scan import basic, harvest, places_of_directory, scan

PASSWORDS = {"apim_password": "Apim-Leak-Check-7e1f0c", "am_password": "Am-Leak-Check-93ab5d",
             "am_user_password": "User-Leak-Check-5c2d8!"}
WRONG_PASSWORD = "Wrong-Leak-Check-41d0aa"
VERIFY = "Verify like an MCP client"


@pytest.fixture
def leak_sandbox(sandbox):
    """The sandbox with the distinct passwords seeded and every body captured; put back afterwards."""
    saved, capture = dict(sandbox.seed), sandbox.log.capture_bodies
    sandbox.seed.update(PASSWORDS)
    sandbox.call_soon(sandbox.reset)
    sandbox.log.capture_bodies = True
    yield sandbox
    sandbox.seed.clear()
    sandbox.seed.update(saved)
    sandbox.log.capture_bodies = capture
    sandbox.call_soon(sandbox.reset)


def secret_vars(sandbox, verify_password=None):
    seed = sandbox.seed
    return {"secure_mcp_apim_password": seed["apim_password"], "secure_mcp_am_password": seed["am_password"],
            "secure_mcp_verify_password": verify_password or seed["am_user_password"], "secure_mcp_probe_delay": 0.5}


def known_secrets(sandbox):
    secrets = harvest(sandbox, extra=[WRONG_PASSWORD, basic(sandbox.seed["am_user"], WRONG_PASSWORD)])
    origins = set(secrets.values())
    # The harvest must have found what these runs make, or the scan proves nothing.
    assert "AM resource of an APIM API" in origins and "AM gateway access_tokens" in origins, origins
    assert "AM management token" in origins and "Basic header of the AM resource's client" in origins, origins
    return secrets


def check_and_record(name, secrets, places):
    leaks = scan(secrets, places)
    figures.record("leaks", name, secrets=len(secrets), places=len(places), found=len(leaks))
    assert leaks == [], leaks


def secrets_file(path, variables):
    """The secret variables in a vars file: with -vvv, ansible-playbook prints the -e values of its command line
    (a JSON -e holding passwords would show them), but not the content of an ``-e @file``."""
    path.write_text(json.dumps(variables))
    return path


def test_no_secret_in_vvvv_diff_output_nor_in_the_results_of_a_failing_run(leak_sandbox, tmp_path):
    sandbox = leak_sandbox
    right = secrets_file(tmp_path / "secrets.json", secret_vars(sandbox))
    wrong = secrets_file(tmp_path / "wrong.json", secret_vars(sandbox, WRONG_PASSWORD))
    full = run_playbook_file(sandbox, "secure_mcp.yml", callback="default", verbosity=4, diff=True,
                             vars_files=[right])
    assert full.rc == 0, full.output[-3000:]
    failing = run_playbook_file(sandbox, "secure_mcp.yml", diff=True, vars_files=[wrong])
    assert failing.rc != 0, failing.output[-3000:]
    failed = [r for r in failing.results() if r.get("failed")]
    assert failed and any(VERIFY in r["name"] for r in failed), [r["name"] for r in failed]

    places = [("-vvvv --diff stdout", full.stdout), ("-vvvv --diff stderr", full.stderr),
              ("failing run stdout (JSON)", failing.stdout), ("failing run stderr", failing.stderr)]
    places += [(f"failing run result of {r['name']}", json.dumps(r)) for r in failing.results()]
    check_and_record("ansible-playbook -vvvv --diff, failing run", known_secrets(sandbox), places)


def _private_data_dir(root, sandbox):
    """An ansible-runner private data dir (env/, inventory/, project/) for the role on this sandbox.

    The passwords go in env/extravars, as an AWX credential's extra vars do; env/envvars has only the URLs and
    Ansible's settings. (ansible-runner copies its whole environment into artifacts/<ident>/command.)
    """
    for folder in ("env", "inventory", "project"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    shutil.copy(os.path.join(PLAYBOOKS, "secure_mcp.yml"), root / "project" / "secure_mcp.yml")
    (root / "inventory" / "hosts").write_text("localhost ansible_connection=local\n")
    env = sandbox_env(sandbox)
    envvars = {key: value for key, value in env.items()
               if key.startswith(("ANSIBLE_", "GRAVITEE_")) and not key.endswith(("_PASSWORD", "_TOKEN"))}
    envvars["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    (root / "env" / "envvars").write_text(json.dumps(envvars))
    with open(SANDBOX_VARS, encoding="utf-8") as handle:
        return yaml.safe_load(handle) | sandbox_urls(sandbox)


def _runner(root, ident, extravars):
    (root / "env" / "extravars").write_text(json.dumps(extravars))
    return ansible_runner.run(private_data_dir=str(root), playbook="secure_mcp.yml", ident=ident, verbosity=4,
                              cmdline="--diff", quiet=True)


def test_no_secret_in_any_ansible_runner_artifact(leak_sandbox, tmp_path):
    sandbox = leak_sandbox
    root = tmp_path / "runner"
    base = _private_data_dir(root, sandbox)
    full = _runner(root, "full", base | secret_vars(sandbox))
    assert (full.status, full.rc) == ("successful", 0), full.stdout.read()[-3000:]
    failing = _runner(root, "failing", base | secret_vars(sandbox, WRONG_PASSWORD))
    assert failing.status == "failed", failing.stdout.read()[-3000:]
    failed = [e for e in failing.events if e.get("event") == "runner_on_failed"]
    assert any(VERIFY in e["event_data"].get("task", "") for e in failed), [e["event_data"].get("task") for e in failed]

    places = list(places_of_directory(root / "artifacts"))
    names = {place for place, _text in places}
    assert {"full/stdout", "failing/stdout", "full/command"} <= names and len(places) > 50, sorted(names)[:20]
    check_and_record("ansible-runner artifacts -vvvv --diff, failing run", known_secrets(sandbox), places)
