"""The README's "Install and run from a shell" commands, as typed: with the venv activated (its bin/ first on PATH),
`make install` builds and installs the collection, ansible-doc finds a module and the role, and the playbook shipped
in the collection runs by its FQCN against the sandbox. (COLLECTIONS_PATH keeps the install out of ~/.ansible.)"""

import os
import subprocess
import sys

import pytest
import yaml

from tests.collection_path import REPO_ROOT
from tests.integration.role_support import SANDBOX_VARS, sandbox_urls

VENV = os.path.dirname(os.path.dirname(sys.executable))
COMMANDS = [
    "make venv",
    ". .venv/bin/activate",
    "make install",
    "ansible-doc gravitee_community.mcp.apim_api",
    "ansible-doc -t role gravitee_community.mcp.secure_mcp",
    "ansible-playbook gravitee_community.mcp.secure_mcp -e @my-mcp.yml",
]


def _shell(command, env, cwd=REPO_ROOT):
    proc = subprocess.run(command, shell=True, capture_output=True, text=True, env=env, cwd=cwd, timeout=600)
    assert proc.returncode == 0, f"{command} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return proc.stdout


def test_the_readme_shows_these_commands():
    with open(os.path.join(REPO_ROOT, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    for command in COMMANDS:
        assert f"\n{command}" in readme, command


@pytest.mark.slow
def test_readme_commands_install_the_collection_and_run_the_installed_playbook(sandbox, tmp_path):
    collections = tmp_path / "collections"
    # What `. .venv/bin/activate` does for the commands that follow; nothing else of the suite's environment.
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ANSIBLE_", "GRAVITEE_"))}
    env.update(PATH=os.path.join(VENV, "bin") + os.pathsep + os.environ.get("PATH", ""), VIRTUAL_ENV=VENV,
               ANSIBLE_COLLECTIONS_PATH=str(collections), ANSIBLE_NOCOLOR="1")
    # `make install`, against this venv (already installed: -o skips its stamp).
    _shell(f"make -s -o '{VENV}/.installed' VENV='{VENV}' install COLLECTIONS_PATH='{collections}'", env)
    assert (collections / "ansible_collections" / "gravitee_community" / "mcp" / "MANIFEST.json").is_file()
    assert "gravitee_community.mcp.apim_api" in _shell("ansible-doc gravitee_community.mcp.apim_api", env)
    assert "secure_mcp_name" in _shell("ansible-doc -t role gravitee_community.mcp.secure_mcp", env)

    with open(SANDBOX_VARS, encoding="utf-8") as handle:
        variables = yaml.safe_load(handle) | sandbox_urls(sandbox) | {"secure_mcp_probe_delay": 0.5}
    (tmp_path / "my-mcp.yml").write_text(yaml.safe_dump(variables))
    out = _shell("ansible-playbook gravitee_community.mcp.secure_mcp -e @my-mcp.yml", env, cwd=tmp_path)
    assert "failed=0" in out and "unreachable=0" in out, out[-3000:]
