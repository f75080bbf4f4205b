"""Argument errors inside a list of dictionaries name the item: ``plans[1].foo``, not ansible-core's ``plans.foo``."""

import pytest

from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.arguments import item_error_message

SPEC = {"items": {"type": "list", "elements": "dict", "options": {
    "name": {"type": "str", "required": True},
    "kind": {"type": "str", "choices": ["a", "b"]},
    "nested": {"type": "dict", "options": {"flag": {"type": "bool"}}},
}}, "other": {"type": "str"}}


@pytest.mark.parametrize("items, expected", [
    ([{"name": "x"}, {"name": "y", "typo": 1}],
     "Unsupported option items[1].typo: remove it or fix its spelling. Options of items[1]: kind, name, nested."),
    ([{"name": "x", "kind": "c"}], "items[0].kind: value of kind must be one of: a, b, got: c"),
    ([{"name": "x"}, {"name": "y", "nested": {"flag": "maybe"}}], "items[1].nested.flag: argument 'flag' is of type"),
    ([{"kind": "a"}], "items[0].name: missing required arguments: name"),
])
def test_the_refused_item_is_named_with_its_index(items, expected):
    assert item_error_message(SPEC, {"items": items}, "an error about items").startswith(expected)


def test_errors_about_other_options_are_left_to_ansible_core():
    assert item_error_message(SPEC, {"items": [{"typo": 1}]}, "other must be a str") is None
    assert item_error_message(SPEC, {"items": "not a list"}, "items") is None
    assert item_error_message(SPEC, {"items": [{"name": "x"}]}, "items") is None
