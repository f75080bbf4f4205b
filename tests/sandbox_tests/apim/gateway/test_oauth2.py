"""The OAuth2 policy's pure rules: token extraction, introspection results, scopes, endpoints."""

from tests.sandbox.apim.gateway.oauth2 import (
    Introspection,
    extract_token,
    find_am_resource,
    has_required_scopes,
    introspection_url,
)


def test_token_from_the_first_bearer_header_then_the_query():
    assert extract_token([("authorization", "Basic x"), ("authorization", "bearer  tok ")], "") == "tok"
    assert extract_token([], "a=1&access_token=q") == "q"
    assert extract_token([("authorization", "Bearer h")], "access_token=q") == "h"
    assert extract_token([("authorization", "Basic x")], "") is None
    assert extract_token([("authorization", "Bearer")], "") == ""


def test_client_id_falls_back_to_the_audience():
    assert Introspection(True, {"active": True, "client_id": "c"}).client_id == "c"
    assert Introspection(True, {"active": True, "aud": ["first", "second"]}).client_id == "first"
    assert Introspection(True, {"active": True, "aud": "only"}).client_id == "only"
    assert Introspection(True, {"active": True, "aud": []}).client_id is None
    assert Introspection(True, {"active": True, "client_id": "  "}).client_id is None
    assert Introspection(False).client_id is None


def test_scopes_from_string_array_or_legacy_claim():
    assert Introspection(True, {"scope": "a b"}).scopes() == ["a", "b"]
    assert Introspection(True, {"scope": ["a", "b"]}).scopes() == ["a", "b"]
    assert Introspection(True, {"scp": "x"}).scopes() == ["x"]
    assert Introspection(True, {}).scopes() == [""]


def test_required_scopes_strict_and_lenient():
    assert has_required_scopes(["a"], [], True)
    assert not has_required_scopes([], ["a"], True)
    assert has_required_scopes(["a", "b"], ["a", "b"], True)
    assert not has_required_scopes(["a"], ["a", "b"], True)
    assert has_required_scopes(["a"], ["a", "b"], False)
    assert not has_required_scopes(["c"], ["a", "b"], False)


def test_introspection_endpoint_per_version():
    resource = {"serverURL": "http://am:8092", "securityDomain": "dom", "version": "V3_X"}

    assert introspection_url(resource) == "http://am:8092/dom/oauth/introspect"
    assert introspection_url({**resource, "serverURL": "https://am/base"}) == "https://am:443/base/dom/oauth/introspect"
    # The Java default version is V1_X: AM 1.x's check_token endpoint.
    assert introspection_url({k: v for k, v in resource.items() if k != "version"}) == (
        "http://am:8092/dom/oauth/check_token")


def test_resource_must_be_an_enabled_am_resource():
    api = {"resources": [
        {"name": "am", "type": "oauth2-am-resource", "configuration": '{"clientId": "c"}'},
        {"name": "off", "type": "oauth2-am-resource", "enabled": False, "configuration": {}},
        {"name": "generic", "type": "oauth2", "configuration": {}},
    ]}

    assert find_am_resource(api, "am") == {"clientId": "c"}
    assert find_am_resource(api, "off") is None
    assert find_am_resource(api, "generic") is None
    assert find_am_resource(api, "missing") is None
