"""The am_domain fragment documents the ``domain`` option of every module that extends it, exactly as their specs."""

import importlib

import pytest
import yaml

from ansible_collections.gravitee_community.mcp.plugins.doc_fragments import am_domain

MODULES = ["am_mcp_server", "am_dcr", "am_registration", "am_application", "preflight", "am_dcr_clients", "am_cimd"]


@pytest.mark.parametrize("name", MODULES)
def test_modules_that_extend_the_fragment_have_its_domain_option(name):
    module = importlib.import_module("ansible_collections.gravitee_community.mcp.plugins.modules." + name)
    documented = yaml.safe_load(am_domain.ModuleDocFragment.DOCUMENTATION)["options"]
    assert "gravitee_community.mcp.am_domain" in yaml.safe_load(module.DOCUMENTATION)["extends_documentation_fragment"]
    assert "domain" not in yaml.safe_load(module.DOCUMENTATION)["options"]
    spec = module.ARGUMENT_SPEC["domain"]
    assert documented["domain"]["type"] == spec["type"] and documented["domain"]["required"] == spec["required"]


@pytest.mark.parametrize("name", ["am_dcr", "am_registration"])
def test_the_known_domain_variant_documents_the_option_of_the_settings_modules(name):
    module = importlib.import_module("ansible_collections.gravitee_community.mcp.plugins.modules." + name)
    documented = yaml.safe_load(am_domain.ModuleDocFragment.KNOWN_DOMAIN)["options"]
    assert "gravitee_community.mcp.am_domain.known_domain" in yaml.safe_load(
        module.DOCUMENTATION)["extends_documentation_fragment"]
    spec = module.ARGUMENT_SPEC["known_domain"]
    assert documented["known_domain"]["type"] == spec["type"] == "dict" and not spec["no_log"]
