"""The collection builds, installs from its tarball, and ansible-doc renders every module, the role and the action
groups.

The tarball is built from a copy of the tree with the stray files a working copy collects (ansible-lint's
.ansible/, an env file with passwords, a venv, pytest caches, byte code, test output, an old build): galaxy.yml's
manifest is an allow-list, so the artifact holds exactly the collection's files and nothing else.
"""

import glob
import os
import subprocess
import sys
import tarfile

import pytest
import yaml

from tests.collection_path import REPO_ROOT

BIN = os.path.dirname(sys.executable)
STRAY_PASSWORD = "Stray-Env-Password-81c3"
STRAYS = {
    ".ansible/collections/ansible_collections/ns/other/galaxy.yml": "namespace: ns\n",
    ".ansible/roles/leftover/tasks/main.yml": "---\n",
    "local.env": f"GRAVITEE_APIM_PASSWORD={STRAY_PASSWORD}\n",
    "playbooks/prod.env": f"GRAVITEE_AM_PASSWORD={STRAY_PASSWORD}\n",
    ".sandbox.env": f"export GRAVITEE_AM_PASSWORD='{STRAY_PASSWORD}'\n",
    ".venv/lib/python3/site-packages/requests/__init__.py": "",
    ".pytest_cache/v/cache/nodeids": "[]",
    "plugins/modules/__pycache__/apim_api.cpython-313.pyc": "",
    "plugins/module_utils/core/.http.py.swp": "",
    "roles/secure_mcp/tasks/main.yml~": "",
    "tests/output/junit.xml": "<testsuite/>",
    "build/gravitee_community-mcp-0.0.1.tar.gz": "",
    "notes.md": "scratch",
    "ee-context/Containerfile": "FROM scratch",
}
# What ships besides the tracked files of plugins/, roles/ and extensions/awx/.
TOP_LEVEL = {
    "MANIFEST.json", "FILES.json", "README.md", "LICENSE", "LICENSES/BSD-2-Clause.txt",
    "LICENSES/GPL-3.0-or-later.txt", "requirements.txt", "bindep.txt", "meta/runtime.yml",
    "meta/execution-environment.yml", "changelogs/changelog.yaml", "changelogs/config.yaml",
    "playbooks/secure_mcp.yml", "playbooks/secure_mcp_fleet.yml", "playbooks/unsecure_mcp.yml",
}


def _run(*command, env=None, cwd=None):
    proc = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, timeout=300)
    assert proc.returncode == 0, f"{' '.join(command)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def _tracked():
    listing = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO_ROOT, check=True,
                             capture_output=True).stdout.decode().split("\0")
    return [f for f in listing if f and os.path.isfile(os.path.join(REPO_ROOT, f))]


def expected_files():
    shipped = {f for f in _tracked() if f.startswith(("roles/", "extensions/awx/"))
               or (f.startswith("plugins/") and f.endswith(".py"))}
    return TOP_LEVEL | shipped


@pytest.fixture(scope="module")
def tree_with_strays(tmp_path_factory):
    """A copy of the working tree (tracked and new files) plus :data:`STRAYS`."""
    tree = tmp_path_factory.mktemp("tree")
    _run("cp", "--parents", "-t", str(tree), *_tracked(), cwd=REPO_ROOT)
    for name, content in STRAYS.items():
        path = tree / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return tree


@pytest.fixture(scope="module")
def installed(tree_with_strays, tmp_path_factory):
    build_dir = tmp_path_factory.mktemp("build")
    install_dir = tmp_path_factory.mktemp("collections")
    _run(os.path.join(BIN, "ansible-galaxy"), "collection", "build", str(tree_with_strays), "--output-path",
         str(build_dir))
    tarballs = glob.glob(str(build_dir / "gravitee_community-mcp-*.tar.gz"))
    assert len(tarballs) == 1
    _run(os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--force", tarballs[0], "-p", str(install_dir))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(install_dir), ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false")
    root = install_dir / "ansible_collections" / "gravitee_community" / "mcp"
    return {"tarball": tarballs[0], "env": env, "root": root}


def test_tarball_holds_exactly_the_collection_files(installed):
    with tarfile.open(installed["tarball"]) as tar:
        members = tar.getmembers()
        files = {m.name for m in members if m.isfile()}
        content = b"".join(tar.extractfile(m).read() for m in members if m.isfile())
    assert files == expected_files(), (sorted(files - expected_files()), sorted(expected_files() - files))
    assert "playbooks/vars/sandbox.yml" not in files
    assert STRAY_PASSWORD.encode() not in content


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
        # requests comes from the shared connection doc fragment (ansible-doc merges fragment requirements).
        assert "requests (Python library)" in text


def test_the_role_renders_with_ansible_doc_from_the_installed_copy(installed):
    text = _run(os.path.join(BIN, "ansible-doc"), "-t", "role", "gravitee_community.mcp.secure_mcp",
                env=installed["env"])
    assert "secure_mcp_name" in text and "secure_mcp_context_path" in text


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
