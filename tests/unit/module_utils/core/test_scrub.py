"""Scrubber: masks by key name (recursively, case-insensitive) and by registered value."""

import pytest

from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.scrub import (
    MASK,
    Scrubber,
    is_secret_key,
    secret_values,
)


def scrub(data, values=()):
    return Scrubber(values).scrub(data)


@pytest.mark.parametrize("key", [
    "clientSecret", "client_secret", "CLIENT-SECRET", "password", "am_password", "token", "apim_token",
    "access_token", "refresh_token", "secret", "apiKey", "x-api-key", "registration_access_token",
    "Authorization", "id_token", "newClientSecret"])
def test_secret_keys(key):
    assert is_secret_key(key)


@pytest.mark.parametrize("key", [
    "name", "clientId", "client_id", "secretSettings", "tokenEndpointAuthMethod", "token_type", "token_endpoint",
    "client_secret_expires_at", "registerEnabled", "forgotPasswordEnabled", "expires_at"])
def test_not_secret_keys(key):
    assert not is_secret_key(key)


def test_recursive_masking_by_key_keeps_structure():
    data = {
        "name": "MCP", "clientId": "cid",
        "resources": [{"configuration": {"clientSecret": "abc", "clientId": "cid", "serverURL": "https://am"}}],
        "settings": {"oauth": {"clientSecret": "", "grantTypes": ["client_credentials"]}},
        "tokens": [{"Access_Token": "jwt", "nested": {"PASSWORD": 1234}}],
        "apiKey": None,
    }
    masked = scrub(data)
    assert masked == {
        "name": "MCP", "clientId": "cid",
        "resources": [{"configuration": {"clientSecret": MASK, "clientId": "cid", "serverURL": "https://am"}}],
        "settings": {"oauth": {"clientSecret": "", "grantTypes": ["client_credentials"]}},  # blank stays blank
        "tokens": [{"Access_Token": MASK, "nested": {"PASSWORD": MASK}}],
        "apiKey": None,  # "not set" is not a secret
    }
    assert data["resources"][0]["configuration"]["clientSecret"] == "abc"  # input untouched


def test_registered_values_are_masked_inside_any_string():
    scrubber = Scrubber(["hunter2-pass"])
    scrubber.register("generated-secret-XYZ", None, "", True)
    data = {"message": "login hunter2-pass failed", "list": ["a", "x-generated-secret-XYZ-y"], "n": 3}
    assert scrubber.scrub(data) == {"message": "login %s failed" % MASK, "list": ["a", "x-%s-y" % MASK], "n": 3}
    assert scrubber.values == frozenset({"hunter2-pass", "generated-secret-XYZ"})


def test_longest_secret_is_masked_first():
    scrubber = Scrubber(["abc", "abcdef123"])
    assert scrubber.scrub_text("v=abcdef123") == "v=" + MASK


def test_text_bodies_mask_secret_pairs_and_auth_headers():
    scrubber = Scrubber()
    text = ('{"client_id":"c1","client_secret":"s-123","registration_access_token": "RAT-999"} '
            "POST /oauth/token?grant_type=password&password=pw1&user=bob Authorization: Basic YWRtaW46YWRtaW4=")
    masked = scrubber.scrub_text(text)
    for secret in ("s-123", "RAT-999", "pw1", "YWRtaW46YWRtaW4="):
        assert secret not in masked
    assert '"client_id":"c1"' in masked and "user=bob" in masked and "grant_type=password" in masked


def test_prose_about_basic_authentication_is_left_alone():
    text = "Uses basic authentication. Bearer tokens work too."
    assert Scrubber().scrub_text(text) == text


def test_tuples_and_sets_become_lists():
    assert scrub({"a": ("x", "pw")}, ["pw"]) == {"a": ["x", MASK]}


def test_secret_values_are_found_at_any_depth_as_text():
    data = {"clientId": "c1", "clientSecret": "s1", "nested": [{"auth": {"password": "p2", "token": 42}}],
            "secretSettings": {"apiKey": "k3"}, "password": True, "x": {"clientSecret": ""}}
    assert sorted(secret_values(data)) == ["42", "k3", "p2", "s1"]
