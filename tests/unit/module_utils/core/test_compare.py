"""Subset comparison, list helpers, minimal patches, deep merge and masked diffs."""

import pytest

from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.compare import (
    build_diff,
    changed_keys,
    deep_merge,
    is_subset,
    is_subset_by_key,
    is_subset_unordered,
    minimal_patch,
    strip_none,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.scrub import MASK, Scrubber

CURRENT = {
    "id": "a1", "name": "API MCP Proxy", "state": "STARTED",
    "listeners": [{"type": "HTTP", "paths": [{"path": "/mcp-proxy/"}], "entrypoints": [{"type": "mcp-proxy"}]}],
    "resources": [{"name": "AM", "type": "oauth2-am-resource", "enabled": True,
                   "configuration": {"serverURL": "https://am", "clientSecret": "s", "version": "V3_X",
                                     "userClaim": "sub"}}],
    "labels": [],
}


@pytest.mark.parametrize("desired, expected", [
    ({}, True),
    ({"name": "API MCP Proxy"}, True),
    ({"name": "api mcp proxy"}, False),                       # strings are case-sensitive
    ({"description": None}, True),                            # None = not managed
    ({"description": "x"}, False),                            # missing key
    ({"resources": [{"name": "AM", "configuration": {"version": "V3_X"}}]}, True),  # server-added keys ignored
    ({"resources": [{"name": "AM", "configuration": {"version": "V2_X"}}]}, False),
    ({"resources": []}, False),                               # lists: same length
    ({"labels": []}, True),
    ({"labels": None}, True),
    ({"listeners": {"type": "HTTP"}}, False),                 # type mismatch
    ({"state": ["STARTED"]}, False),
])
def test_is_subset(desired, expected):
    assert is_subset(desired, CURRENT) is expected


def test_subset_scalars_and_types():
    assert is_subset(1, 1.0)
    assert not is_subset(True, 1) and not is_subset(1, True) and not is_subset("1", 1)
    assert not is_subset({"a": 1}, None) and not is_subset([1], None)
    assert is_subset([1, 2], (1, 2)) and not is_subset([2, 1], [1, 2])  # order matters by default
    assert is_subset([{"a": 1}], [{"a": 1, "b": 2}])


def test_unordered_lists():
    assert is_subset_unordered(["b", "a"], ["a", "b"])
    assert not is_subset_unordered(["a", "a"], ["a", "b"])
    assert not is_subset_unordered(["a"], ["a", "b"])
    # Greedy matching would pair {"k":1} with the first item and then fail: backtracking finds the pairing.
    assert is_subset_unordered([{"k": 1}, {"k": 1, "v": 2}], [{"k": 1, "v": 2}, {"k": 1, "v": 3}])
    assert is_subset_unordered(None, ["x"])


def test_lists_by_key():
    current = [{"name": "AM", "type": "oauth2-am-resource", "enabled": True}, {"name": "cache", "type": "cache"}]
    assert is_subset_by_key([{"name": "cache"}, {"name": "AM", "enabled": True}], current, "name")
    assert not is_subset_by_key([{"name": "AM", "enabled": False}, {"name": "cache"}], current, "name")
    assert not is_subset_by_key([{"name": "AM"}], current, "name")  # a missing item is a difference
    assert not is_subset_by_key([{"name": "AM"}, {"name": "x"}], current, "name")


def test_changed_keys_and_minimal_patch():
    desired = {"name": "API MCP Proxy", "description": "new", "labels": [], "tags": None,
               "resources": [{"name": "AM", "configuration": {"version": "V3_X", "userClaim": "email"}}]}
    assert changed_keys(desired, CURRENT) == ["description", "resources"]
    assert minimal_patch(desired, CURRENT) == {
        "description": "new", "resources": [{"name": "AM", "configuration": {"version": "V3_X", "userClaim": "email"}}]}
    assert minimal_patch({"name": "API MCP Proxy"}, CURRENT) == {}
    assert changed_keys({"a": 1}, None) == ["a"]


def test_recursive_minimal_patch_keeps_only_differing_leaves():
    current = {"oidc": {"clientRegistrationSettings": {"isDynamicClientRegistrationEnabled": False,
                                                       "allowLocalhostRedirectUri": True}},
               "loginSettings": {"registerEnabled": True}}
    desired = {"oidc": {"clientRegistrationSettings": {"isDynamicClientRegistrationEnabled": True,
                                                       "allowLocalhostRedirectUri": True}},
               "loginSettings": {"registerEnabled": True}}
    assert minimal_patch(desired, current, recursive=True) == {
        "oidc": {"clientRegistrationSettings": {"isDynamicClientRegistrationEnabled": True}}}
    # A desired key that is absent in current is sent whole.
    assert minimal_patch({"loginSettings": {"registerEnabled": True}}, {}, recursive=True) == {
        "loginSettings": {"registerEnabled": True}}


def test_deep_merge():
    base = {"a": {"x": 1, "y": [1, 2]}, "b": 1, "keep": "k"}
    merged = deep_merge(base, {"a": {"y": [3], "z": 0}, "b": None, "c": {"n": 1}})
    assert merged == {"a": {"x": 1, "y": [3], "z": 0}, "b": 1, "keep": "k", "c": {"n": 1}}
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": 1, "keep": "k"}  # inputs untouched
    assert deep_merge(None, {"a": 1}) == {"a": 1}
    assert deep_merge({"a": 1}, None) == {"a": 1}


def test_strip_none():
    assert strip_none({"a": None, "b": {"c": None, "d": 1}, "e": [{"f": None}]}) == {"b": {"d": 1}, "e": [{}]}


def test_build_diff_masks_secrets_and_uses_empty_for_absent():
    scrubber = Scrubber(["s3cr3t"])
    before = {"name": "x", "configuration": {"clientSecret": "old"}}
    after = {"name": "x", "configuration": {"clientSecret": "new"}, "note": "uses s3cr3t"}
    diff = build_diff(before, after, scrubber)
    assert diff == {"before": {"name": "x", "configuration": {"clientSecret": MASK}},
                    "after": {"name": "x", "configuration": {"clientSecret": MASK}, "note": "uses " + MASK}}
    assert build_diff(None, {"a": 1}) == {"before": {}, "after": {"a": 1}}
    assert build_diff({"a": 1}, None) == {"before": {"a": 1}, "after": {}}
