"""The execution environment: the collection declares its Python dependency (meta/execution-environment.yml), and
the execution-environment.yml example makes an ansible-builder context that installs it with the collection."""

import glob
import os
import shutil
import subprocess
import sys

import yaml

from tests.collection_path import REPO_ROOT

BIN = os.path.dirname(sys.executable)


def _run(*command, cwd=None):
    proc = subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=300)
    assert proc.returncode == 0, f"{' '.join(command)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def _requirement_names(text):
    return {line.split("#")[0].strip().split(">")[0].split("=")[0].split("<")[0].strip()
            for line in text.splitlines() if line.split("#")[0].strip()}


def test_ansible_builder_create_makes_a_context_that_installs_requests_and_the_collection(tmp_path):
    # The example as a user runs it: in a checkout, after `ansible-galaxy collection build --output-path build`.
    for name in ("execution-environment.yml", "requirements.txt", "bindep.txt"):
        shutil.copy(os.path.join(REPO_ROOT, name), tmp_path / name)
    _run(os.path.join(BIN, "ansible-galaxy"), "collection", "build", REPO_ROOT,
         "--output-path", str(tmp_path / "build"))
    _run(os.path.join(BIN, "ansible-builder"), "create", "-f", "execution-environment.yml", "-c", "context",
         cwd=tmp_path)
    build = tmp_path / "context" / "_build"
    assert "requests" in _requirement_names((build / "requirements.txt").read_text())
    galaxy = yaml.safe_load((build / "requirements.yml").read_text())
    [entry] = galaxy["collections"]
    assert (build / entry["name"]).is_file(), entry   # the tarball the example names is the one just built
    assert glob.glob(str(tmp_path / "context" / "*file"))   # Containerfile / Dockerfile


def test_the_installed_collection_declares_requests_to_ansible_builder(tmp_path):
    _run(os.path.join(BIN, "ansible-galaxy"), "collection", "build", REPO_ROOT, "--output-path", str(tmp_path))
    [tarball] = glob.glob(str(tmp_path / "gravitee_community-mcp-*.tar.gz"))
    _run(os.path.join(BIN, "ansible-galaxy"), "collection", "install", tarball, "-p", str(tmp_path / "collections"))
    # ansible-builder's introspect step: what each installed collection's meta/execution-environment.yml asks for.
    found = yaml.safe_load(_run(os.path.join(BIN, "ansible-builder"), "introspect", str(tmp_path / "collections")))
    python = [line for line in found["python"] if "gravitee_community.mcp" in line]
    assert _requirement_names("\n".join(p.split("#")[0] for p in python)) == {"requests"}, found
