"""`make lint`'s collection linters pass, offline: ansible-lint at the production profile (.ansible-lint) and
antsibull-docs lint-collection-docs --plugin-docs. Both read the checkout as gravitee_community.mcp through
tests/collection_path.py's link, as the Makefile does."""

import os
import subprocess
import sys

import pytest
import yaml

from tests.collection_path import COLLECTIONS_ROOT, REPO_ROOT

BIN = os.path.dirname(sys.executable)
COLLECTION = os.path.join(COLLECTIONS_ROOT, "ansible_collections", "gravitee_community", "mcp")


def _env():
    return dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, PATH=BIN + os.pathsep + os.environ["PATH"],
                NO_COLOR="1")


def test_ansible_lint_settings_are_production_and_offline():
    with open(os.path.join(REPO_ROOT, ".ansible-lint"), encoding="utf-8") as handle:
        settings = yaml.safe_load(handle)
    assert settings["profile"] == "production" and settings["offline"] is True


@pytest.mark.slow
def test_ansible_lint_production_profile_passes():
    proc = subprocess.run([os.path.join(BIN, "ansible-lint"), "--nocolor", "-f", "pep8"], cwd=REPO_ROOT, env=_env(),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-6000:]
    assert "Profile 'production' was required, and it passed" in proc.stderr + proc.stdout


def test_antsibull_docs_lint_collection_docs_passes():
    proc = subprocess.run([os.path.join(BIN, "antsibull-docs"), "lint-collection-docs", "--plugin-docs", COLLECTION],
                          env=_env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0 and proc.stdout.strip() == "", (proc.stdout + proc.stderr)[-6000:]
