"""`make lint` (which CI runs before the suite) lints at ansible-lint's production profile, offline: the settings
it depends on. The linters themselves run there (ansible-lint, antsibull-docs lint-collection-docs --plugin-docs),
not again in the suite."""

import os

import yaml

from tests.collection_path import REPO_ROOT


def test_ansible_lint_settings_are_production_and_offline():
    with open(os.path.join(REPO_ROOT, ".ansible-lint"), encoding="utf-8") as handle:
        settings = yaml.safe_load(handle)
    assert settings["profile"] == "production" and settings["offline"] is True
    with open(os.path.join(REPO_ROOT, "Makefile"), encoding="utf-8") as handle:
        makefile = handle.read()
    lint = next(line for line in makefile.splitlines() if line.startswith("lint:"))
    assert {"ansible-lint", "docs-lint"} <= set(lint.split()[1:])
    assert "antsibull-docs lint-collection-docs --plugin-docs" in makefile
