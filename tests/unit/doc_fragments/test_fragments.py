"""The doc fragments are the contract: they must document exactly the options the engine accepts."""

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest
import yaml

from ansible_collections.gravitee_community.mcp.plugins.doc_fragments import am, apim, attributes, connection_common
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core import connection as _connection
from tests.collection_path import COLLECTIONS_ROOT
from tests.unit.doc_fragments.spec_match import assert_documents_the_spec

FRAGMENTS = [
    (apim, _connection.product_argument_spec("apim")),
    (am, _connection.product_argument_spec("am", session_token=True)),
    (connection_common, _connection.common_argument_spec()),
]


@pytest.mark.parametrize("fragment, spec", FRAGMENTS, ids=["apim", "am", "connection_common"])
def test_fragment_options_match_the_argument_spec(fragment, spec):
    options = yaml.safe_load(fragment.ModuleDocFragment.DOCUMENTATION)["options"]
    assert_documents_the_spec(options, spec)
    for name, option in spec.items():
        doc = options[name]
        documented_env = set(re.findall(r"E\((GRAVITEE_[A-Z_]+)\)", " ".join(doc["description"])))
        expected_env = set(option["fallback"][1]) if "fallback" in option else set()
        assert documented_env == expected_env, name


def test_attribute_variants():
    docs = {var: yaml.safe_load(getattr(attributes.ModuleDocFragment, var))
            for var in ("DOCUMENTATION", "APIM_GROUP", "AM_GROUP", "GRAVITEE_GROUP")}
    assert docs["DOCUMENTATION"]["attributes"]["check_mode"]["support"] == "full"
    assert docs["DOCUMENTATION"]["attributes"]["diff_mode"]["support"] == "full"
    assert docs["APIM_GROUP"]["attributes"]["action_group"]["membership"] == [
        "gravitee_community.mcp.gravitee", "gravitee_community.mcp.apim"]
    assert docs["AM_GROUP"]["attributes"]["action_group"]["membership"] == [
        "gravitee_community.mcp.gravitee", "gravitee_community.mcp.am"]
    assert docs["GRAVITEE_GROUP"]["attributes"]["action_group"]["membership"] == ["gravitee_community.mcp.gravitee"]


def test_action_groups_named_in_the_fragments_exist_in_meta_runtime():
    runtime_path = os.path.join(os.path.dirname(apim.__file__), "..", "..", "meta", "runtime.yml")
    with open(runtime_path) as handle:
        groups = yaml.safe_load(handle).get("action_groups", {})
    for group in ("gravitee", "apim", "am"):
        assert group in groups


DUMMY_MODULE = '''
DOCUMENTATION = r"""
module: {name}
short_description: Fragment check
description: [Loads the collection's doc fragments the way a real module does.]
author: [tests]
extends_documentation_fragment:
{fragments}
options:
  name:
    description: [A module option.]
    type: str
"""
'''


def test_ansible_doc_resolves_the_fragments(tmp_path):
    """ansible-doc (the real loader, including the ``fragment.VARIANT`` syntax) merges the fragments."""
    modules = tmp_path / "ansible_collections" / "fragtest" / "dummy" / "plugins" / "modules"
    modules.mkdir(parents=True)
    (tmp_path / "ansible_collections" / "fragtest" / "dummy" / "galaxy.yml").write_text(
        "namespace: fragtest\nname: dummy\nversion: 1.0.0\nauthors: [t]\nreadme: README.md\n")
    variants = {
        "apim_mod": ["gravitee_community.mcp.apim", "gravitee_community.mcp.connection_common",
                     "gravitee_community.mcp.attributes", "gravitee_community.mcp.attributes.apim_group"],
        "am_mod": ["gravitee_community.mcp.am", "gravitee_community.mcp.connection_common",
                   "gravitee_community.mcp.attributes", "gravitee_community.mcp.attributes.am_group"],
    }
    for name, fragments in variants.items():
        listed = "\n".join("  - %s" % f for f in fragments)
        (modules / ("%s.py" % name)).write_text(textwrap.dedent(DUMMY_MODULE.format(name=name, fragments=listed)))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH="%s:%s" % (tmp_path, COLLECTIONS_ROOT))
    ansible_doc = os.path.join(os.path.dirname(sys.executable), "ansible-doc")
    done = subprocess.run([ansible_doc, "--json", "fragtest.dummy.apim_mod", "fragtest.dummy.am_mod"],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    docs = json.loads(done.stdout)
    apim_doc = docs["fragtest.dummy.apim_mod"]["doc"]
    am_doc = docs["fragtest.dummy.am_mod"]["doc"]
    assert set(apim_doc["options"]) == set(_connection.product_argument_spec("apim")) | set(
        _connection.common_argument_spec()) | {"name"}
    assert set(am_doc["options"]) == set(_connection.product_argument_spec("am", session_token=True)) | set(
        _connection.common_argument_spec()) | {"name"}
    assert apim_doc["attributes"]["action_group"]["membership"] == [
        "gravitee_community.mcp.gravitee", "gravitee_community.mcp.apim"]
    assert am_doc["attributes"]["check_mode"]["support"] == "full"
