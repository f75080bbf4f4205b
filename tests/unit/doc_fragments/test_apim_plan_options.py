"""The plan options are written once for apim_plan (top level) and apim_api (plans[]): both match the spec."""

import pytest
import yaml

from ansible_collections.gravitee_community.mcp.plugins.doc_fragments import apim_plan_options
from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.plan_model import PLAN_ARGUMENT_SPEC
from tests.unit.doc_fragments.spec_match import assert_documents_the_spec

FRAGMENT = apim_plan_options.ModuleDocFragment


@pytest.mark.parametrize("variant, path", [("DOCUMENTATION", "O(state="), ("PLANS", "O(plans[].state=")])
def test_both_variants_document_the_plan_spec_with_their_own_option_paths(variant, path):
    options = yaml.safe_load(getattr(FRAGMENT, variant))["options"]
    if variant == "PLANS":
        assert options["plans"]["type"] == "list" and options["plans"]["elements"] == "dict"
        options = options["plans"]["suboptions"]
    assert_documents_the_spec(options, PLAN_ARGUMENT_SPEC)
    assert path in " ".join(options["security"]["description"])
