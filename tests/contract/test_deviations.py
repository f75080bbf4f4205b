"""Deviations are honoured only at their place, and every entry cites its reference."""

import re

from .deviations import DEVIATIONS, OUT_OF_SPEC, REFERENCE_RULES, path_matches
from .helpers import AM_D, AM_E, APIM, checker, domain_response, exchange, failures, tolerated

PROTECTED = AM_D + "/protected-resources"


def protected_resource(kind="mcp_server", tool_type="mcp_tool"):
    return {"id": "pr-1", "clientId": "c", "name": "MCP", "type": kind, "resourceIdentifiers": ["https://gw/mcp"],
            "features": [{"key": "get_weather", "type": tool_type, "scopes": ["weather_read"],
                          "createdAt": 1, "updatedAt": 1}], "updatedAt": 1}


def test_dcr_flag_names_tolerated_only_under_client_registration_settings():
    check = checker().check
    at_place = check(exchange("am_mgmt", "GET", AM_D, 200, None,
                              domain_response(isDynamicClientRegistrationEnabled=True,
                                              isOpenDynamicClientRegistrationEnabled=True)))
    assert failures(at_place) == []
    assert {v.deviation for v in tolerated(at_place)} == {"am-dcr-flag-field-names"}

    elsewhere = domain_response()
    elsewhere["isDynamicClientRegistrationEnabled"] = True  # same name, other JSON path
    elsewhere["oidc"]["clientRegistrationSettings"]["isSomethingElseEnabled"] = True  # other name, same object
    found = failures(check(exchange("am_mgmt", "GET", AM_D, 200, None, elsewhere)))
    assert sorted(v.path for v in found) == [
        ("isDynamicClientRegistrationEnabled",),
        ("oidc", "clientRegistrationSettings", "isSomethingElseEnabled")]


def test_dcr_flag_names_not_tolerated_in_other_operations():
    # Same JSON path, but in a request: the spec declares the is* names there, nothing to tolerate.
    body = {"oidc": {"clientRegistrationSettings": {"isDynamicClientRegistrationEnabled": True}}}
    assert checker().check(exchange("am_mgmt", "PATCH", AM_D, 200, body, domain_response())) == []
    # Same extra property in a scope response: a failure.
    scope = {"id": "s", "key": "k", "name": "n", "isDynamicClientRegistrationEnabled": True}
    [violation] = failures(checker().check(exchange("am_mgmt", "GET", AM_D + "/scopes/s", 200, None, scope)))
    assert violation.kind == "undeclared-property"


def test_lowercase_enums_tolerated_on_protected_resources_only():
    check = checker().check
    listing = check(exchange("am_mgmt", "GET", PROTECTED, 200, None,
                             {"data": [protected_resource()], "currentPage": 0, "totalCount": 1},
                             query="type=MCP_SERVER&page=0&size=50"))
    assert failures(listing) == []
    assert {v.deviation for v in tolerated(listing)} == {"am-enums-lowercase-protected-resources"}
    # A value that is not the enum in another case is still wrong.
    [wrong] = failures(check(exchange("am_mgmt", "GET", PROTECTED + "/pr-1", 200, None,
                                      protected_resource(kind="mcp_serverr"), query="type=MCP_SERVER")))
    assert wrong.kind == "enum" and wrong.path == ("type",)
    # Another case than lower case is not what AM writes.
    [mixed] = failures(check(exchange("am_mgmt", "GET", PROTECTED + "/pr-1", 200, None,
                                      protected_resource(kind="Mcp_Server"), query="type=MCP_SERVER")))
    assert (mixed.kind, mixed.path) == ("enum-case", ("type",))
    # Lowercase in a request is not covered (the create schema wants exactly MCP_SERVER).
    new = {"name": "MCP", "type": "mcp_server", "resourceIdentifiers": ["https://gw/mcp"]}
    secret = {"id": "pr-1", "name": "MCP", "clientId": "c", "clientSecret": "s"}
    [request] = failures(check(exchange("am_mgmt", "POST", PROTECTED, 201, new, secret)))
    assert (request.where, request.kind) == ("request-body", "pattern")


def test_null_in_am_patch_tolerated_but_not_in_create():
    check = checker().check
    patch = check(exchange("am_mgmt", "PATCH", AM_D, 200, {"oidc": {"clientRegistrationSettings": None}},
                           domain_response()))
    assert failures(patch) == [] and [v.deviation for v in patch] == ["am-patch-null-resets"]
    create = {"name": "d", "dataPlaneId": "default", "description": None}
    [violation] = failures(check(exchange("am_mgmt", "POST", AM_E + "/domains", 201, create, domain_response())))
    assert (violation.where, violation.kind, violation.path) == ("request-body", "null", ("description",))


def test_am_error_status_tolerated_but_its_body_must_be_an_error_entity():
    check = checker().check
    good = check(exchange("am_mgmt", "GET", AM_D, 404, None, {"message": "Domain [x] can not be found.",
                                                               "http_status": 404}))
    assert failures(good) == [] and [v.deviation for v in good] == ["am-error-statuses-undeclared"]
    bad = failures(check(exchange("am_mgmt", "GET", AM_D, 404, None, {"message": 404, "code": "x"})))
    assert sorted((v.kind, v.path) for v in bad) == [("type", ("message",)), ("undeclared-property", ("code",))]
    [unlisted] = failures(check(exchange("am_mgmt", "GET", AM_D, 409, None, {"message": "x", "http_status": 409})))
    assert unlisted.kind == "status-undeclared"
    [plain] = failures(check(exchange("am_mgmt", "GET", AM_D, 404, None, b"Not Found", response_type="text/plain")))
    assert plain.kind == "content-type-undeclared"


def test_verify_deployment_get_is_checked_as_the_post_operation():
    verify = APIM + "/apis/a/deployments/_verify"
    assert failures(checker().check(exchange("apim_mgmt", "GET", verify, 200, None, {"ok": True}))) == []
    [bad] = failures(checker().check(exchange("apim_mgmt", "GET", verify, 200, None, {"ok": "yes"})))
    assert (bad.where, bad.path) == ("response-body", ("ok",))
    [other] = failures(checker().check(exchange("apim_mgmt", "PUT", verify, 200, None, {"ok": True})))
    assert other.kind == "method-undeclared"


def test_put_protected_resource_unknown_fields_tolerated_from_4_11_only():
    body = {"name": "MCP", "resourceIdentifiers": ["https://gw/mcp"], "id": "pr-1"}
    answer = protected_resource()
    on_412 = checker().check(exchange("am_mgmt", "PUT", PROTECTED + "/pr-1", 200, body, answer))
    assert failures(on_412) == [] and "am-put-protected-resource-ignores-unknown" in {v.deviation for v in on_412}
    on_410 = checker().check(exchange("am_mgmt", "PUT", PROTECTED + "/pr-1", 200, body, answer, am_version="4.10.20"))
    assert [(v.kind, v.path) for v in failures(on_410)] == [("undeclared-property", ("id",))]


def test_epoch_dates_tolerated_against_the_4_10_spec_only():
    answer = protected_resource()
    on_410 = checker().check(exchange("am_mgmt", "GET", PROTECTED + "/pr-1", 200, None, answer,
                                      query="type=MCP_SERVER", am_version="4.10.20"))
    assert failures(on_410) == []
    assert "am-4.10-spec-dates-are-epoch-millis" in {v.deviation for v in on_410}
    answer["updatedAt"] = "2025-01-01T00:00:00Z"  # the 4.12 spec (and the real server) want epoch millis
    [on_412] = failures(checker().check(exchange("am_mgmt", "GET", PROTECTED + "/pr-1", 200, None, answer,
                                                 query="type=MCP_SERVER")))
    assert (on_412.kind, on_412.path) == ("type", ("updatedAt",))


def test_json_path_patterns():
    assert path_matches("data.*.type", ("data", 3, "type"))
    assert not path_matches("data.*.type", ("data", 3, "features", 0, "type"))
    assert path_matches("**", ())
    assert path_matches("oidc.**", ("oidc", "a", "b"))
    assert path_matches("a.is*", ("a", "isX"))
    assert not path_matches("a.is*", ("b", "isX"))


def test_every_entry_names_its_source():
    """A Gravitee source file, the OpenAPI file it corrects, the public docs or a measurement on a real server."""
    source = re.compile(r"\b\w+\.java\b|\bopenapi[\w.-]*\.yaml\b|Gravitee docs|^measured on real (AM|APIM) ")
    for entry in DEVIATIONS + OUT_OF_SPEC + REFERENCE_RULES:
        assert source.search(entry.reference), f"{entry.id}: no source named in {entry.reference!r}"
        assert ".md" not in entry.reference and "/work/" not in entry.reference, entry.id


def test_deviation_ids_are_unique():
    ids = [entry.id for entry in DEVIATIONS + OUT_OF_SPEC + REFERENCE_RULES]
    assert len(ids) == len(set(ids))
