"""The collection builds, installs from its tarball, and ansible-doc renders every module and the action groups."""

import glob
import os
import subprocess
import sys

import pytest
import yaml

from tests.collection_path import REPO_ROOT

BIN = os.path.dirname(sys.executable)


def _run(*command, env=None, cwd=None):
    proc = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, timeout=300)
    assert proc.returncode == 0, f"{' '.join(command)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    build_dir = tmp_path_factory.mktemp("build")
    install_dir = tmp_path_factory.mktemp("collections")
    _run(os.path.join(BIN, "ansible-galaxy"), "collection", "build", REPO_ROOT, "--output-path", str(build_dir))
    tarballs = glob.glob(str(build_dir / "gravitee_community-mcp-*.tar.gz"))
    assert len(tarballs) == 1
    _run(os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--force", tarballs[0], "-p", str(install_dir))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(install_dir), ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false")
    root = install_dir / "ansible_collections" / "gravitee_community" / "mcp"
    return {"tarball": tarballs[0], "env": env, "root": root}


def test_tarball_leaves_out_development_files(installed):
    root = installed["root"]
    assert (root / "galaxy.yml").exists() is False  # built collections carry MANIFEST.json instead
    assert (root / "MANIFEST.json").exists()
    assert not (root / "tests").exists()
    assert not (root / ".venv").exists()


def test_every_module_renders_with_ansible_doc(installed):
    modules = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(REPO_ROOT, "plugins", "modules", "*.py"))
                     if not os.path.basename(p).startswith("_"))
    listing = _run(os.path.join(BIN, "ansible-doc"), "-t", "module", "-l", "gravitee_community.mcp",
                   env=installed["env"])
    for name in modules:
        assert f"gravitee_community.mcp.{name}" in listing
        text = _run(os.path.join(BIN, "ansible-doc"), f"gravitee_community.mcp.{name}", env=installed["env"])
        assert "EXAMPLES" in text and "RETURN VALUES" in text


def test_action_groups_hold_every_module():
    with open(os.path.join(REPO_ROOT, "meta", "runtime.yml"), encoding="utf-8") as handle:
        runtime = yaml.safe_load(handle)
    groups = runtime["action_groups"]
    modules = {os.path.basename(p)[:-3] for p in glob.glob(os.path.join(REPO_ROOT, "plugins", "modules", "*.py"))}
    apim = {m for m in modules if m.startswith("apim_")}
    am = {m for m in modules if m.startswith("am_")}
    assert set(groups["apim"]) == apim
    assert set(groups["am"]) == am
    direct = {m for m in groups["gravitee"] if isinstance(m, str)}
    extended = [m["metadata"]["extend_group"] for m in groups["gravitee"] if isinstance(m, dict)]
    assert direct | apim | am >= modules
    assert ["apim", "am"] in extended
    assert runtime["requires_ansible"].startswith(">=2.16")
