"""The version modules report (core/version.py) is the collection's version in galaxy.yml."""

from pathlib import Path

import yaml

from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.version import COLLECTION_VERSION

GALAXY = Path(__file__).resolve().parents[4] / "galaxy.yml"


def test_collection_version_matches_galaxy_yml():
    version = str(yaml.safe_load(GALAXY.read_text(encoding="utf-8"))["version"])
    assert COLLECTION_VERSION == version, (
        "plugins/module_utils/core/version.py says COLLECTION_VERSION = %r but galaxy.yml says version: %s; "
        "set COLLECTION_VERSION to %r (modules run without galaxy.yml, so they read this constant)."
        % (COLLECTION_VERSION, version, version))
