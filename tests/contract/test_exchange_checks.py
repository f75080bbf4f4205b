"""The exchange checker on hand-made exchanges: what passes, what fails and how it reads."""

from .helpers import (
    AM_D,
    AM_E,
    APIM,
    BASIC,
    BEARER,
    api_v4_response,
    checker,
    create_api_body,
    domain_response,
    exchange,
    failures,
    tolerated,
)


def test_valid_create_api_exchange_passes():
    violations = checker().check(exchange("apim_mgmt", "POST", APIM + "/apis", 201, create_api_body(),
                                          api_v4_response()))
    assert violations == []


def test_org_prefixed_apim_path_is_matched_through_the_second_server_url():
    path = "/management/v2/organizations/DEFAULT/environments/DEFAULT/apis"
    assert checker().check(exchange("apim_mgmt", "POST", path, 201, create_api_body(), api_v4_response())) == []


def test_invalid_request_body_accepted_with_2xx_fails_with_a_readable_line():
    body = create_api_body()
    del body["listeners"]
    [violation] = failures(checker().check(exchange("apim_mgmt", "POST", APIM + "/apis", 201, body,
                                                    api_v4_response())))
    assert violation.where == "request-body" and violation.kind == "required"
    assert violation.line() == (
        "POST /management/v2/environments/DEFAULT/apis -> 201 [request-body] $: "
        "'listeners' is a required property")


def test_invalid_request_body_rejected_with_400_is_not_a_violation():
    body = create_api_body()
    del body["listeners"]
    error = {"httpStatus": 400, "message": "Validation error", "technicalCode": "invalidValue"}
    assert checker().check(exchange("apim_mgmt", "POST", APIM + "/apis", 400, body, error)) == []


def test_invalid_response_body_fails_with_path_and_reason():
    response = api_v4_response()
    response["state"] = 3
    response["listeners"][0]["paths"] = []
    found = failures(checker().check(exchange("apim_mgmt", "GET", APIM + "/apis/api-1", 200, None, response)))
    lines = [v.line() for v in found]
    assert "GET /management/v2/environments/DEFAULT/apis/api-1 -> 200 [response-body] $.state: " \
           "3 is not of type 'string'" in lines
    assert any("$.listeners[0].paths: [] should be non-empty" in line for line in lines)


def test_undeclared_response_property_fails():
    response = api_v4_response()
    response["isOutOfSync"] = False
    [violation] = failures(checker().check(exchange("apim_mgmt", "GET", APIM + "/apis/api-1", 200, None,
                                                    response)))
    assert (violation.kind, violation.path) == ("undeclared-property", ("isOutOfSync",))


def test_undeclared_success_status_fails_even_with_a_default_response():
    [violation] = failures(checker().check(exchange("apim_mgmt", "POST", APIM + "/apis", 200, create_api_body(),
                                                    api_v4_response())))
    assert violation.where == "status"
    assert "status 200 is not declared (declared: ['201', 'default'])" in violation.line()


def test_error_status_uses_default_error_schema():
    bad_error = {"httpStatus": "400", "message": "x"}
    [violation] = failures(checker().check(exchange("apim_mgmt", "DELETE", APIM + "/apis/a", 400, None,
                                                    bad_error)))
    assert (violation.where, violation.path, violation.kind) == ("response-body", ("httpStatus",), "type")


def test_unknown_path_and_undeclared_method_fail():
    check = checker().check
    [unknown] = check(exchange("apim_mgmt", "GET", APIM + "/no-such-thing", 200, None, {}))
    assert unknown.kind == "path-not-in-spec"
    [method] = check(exchange("apim_mgmt", "PATCH", APIM + "/apis/a/plans", 200, {}, {}))
    assert method.kind == "method-undeclared" and not method.deviation


def test_refusing_an_unknown_path_or_method_is_right():
    check = checker().check
    assert check(exchange("apim_mgmt", "GET", "/anything", 404, None, b"Not Found", response_type="text/plain")) == []
    assert check(exchange("am_mgmt", "GET", "/management/x", 401, None, {"message": "x", "http_status": 401})) == []
    assert check(exchange("apim_mgmt", "PATCH", APIM + "/apis/a/plans", 405, {}, b"")) == []


def test_empty_body_where_a_body_is_declared_fails():
    [violation] = failures(checker().check(exchange("apim_mgmt", "GET", APIM + "/apis/a", 200)))
    assert violation.kind == "body-missing"


def test_body_where_none_is_declared_fails():
    [violation] = failures(checker().check(exchange("apim_mgmt", "POST", APIM + "/apis/a/deployments", 202,
                                                    {"deploymentLabel": "x"}, {"ok": True})))
    assert violation.kind == "body-undeclared"


def test_wrong_response_content_type_fails():
    [violation] = failures(checker().check(exchange("apim_mgmt", "GET", APIM + "/apis/a", 404, None,
                                                    b"Not Found", response_type="text/plain")))
    assert violation.kind == "content-type-undeclared"


def test_query_parameters_are_checked_when_declared():
    plans = APIM + "/apis/a/plans"
    page = {"data": [], "pagination": {}, "links": {}}
    good = "statuses=STAGING,PUBLISHED,DEPRECATED,CLOSED&securities=KEY_LESS,OAUTH2&page=1&perPage=100"
    assert checker().check(exchange("apim_mgmt", "GET", plans, 200, None, page, query=good)) == []
    found = failures(checker().check(exchange("apim_mgmt", "GET", plans, 200, None, page,
                                              query="statuses=staging&perPage=many&crossId=x")))
    assert sorted((v.kind, v.path) for v in found) == [
        ("query-param-invalid", ("perPage",)), ("query-param-invalid", ("statuses",)),
        ("query-param-undeclared", ("crossId",))]


def test_credentials_must_match_the_declared_security():
    check = checker().check
    created = api_v4_response()
    unauthenticated = failures(check(exchange("apim_mgmt", "GET", APIM + "/apis/a", 200, None, created, auth="")))
    assert [v.kind for v in unauthenticated] == ["unauthenticated-accepted"]
    basic_on_am = failures(check(exchange("am_mgmt", "GET", AM_D, 200, None, domain_response(), auth=BASIC)))
    assert [v.kind for v in basic_on_am] == ["auth-scheme-undeclared"]
    rejected = check(exchange("am_mgmt", "GET", AM_D, 401, None, {"message": "Unauthorized", "http_status": 401},
                              auth=""))
    assert failures(rejected) == []


def test_am_request_with_undeclared_property_accepted_is_a_violation():
    found = failures(checker().check(exchange("am_mgmt", "PATCH", AM_D, 200, {"enabled": True, "foo": 1},
                                              domain_response())))
    assert [(v.where, v.kind, v.path) for v in found] == [("request-body", "undeclared-property", ("foo",))]


def test_apim_request_with_undeclared_property_is_fine():
    body = create_api_body()
    body["crossId"] = "read-only-extra"
    body["unknownField"] = 1
    assert checker().check(exchange("apim_mgmt", "POST", APIM + "/apis", 201, body, api_v4_response())) == []


def test_reference_rules_catch_what_the_spec_allows_but_the_server_refuses():
    page = {"data": [], "currentPage": 0, "totalCount": 0}
    listing = AM_D + "/protected-resources"
    [missing_type] = failures(checker().check(exchange("am_mgmt", "GET", listing, 200, None, page)))
    assert missing_type.kind == "reference:am-protected-resource-type-required"
    assert checker().check(exchange("am_mgmt", "GET", listing, 200, None, page, query="type=MCP_SERVER")) == []
    setter = {"oidc": {"clientRegistrationSettings": {"dynamicClientRegistrationEnabled": True}}}
    [refused] = failures(checker().check(exchange("am_mgmt", "PATCH", AM_D, 200, setter, domain_response())))
    assert refused.kind == "reference:am-dcr-setter-names-rejected"


def test_known_out_of_spec_endpoint_is_checked_against_the_reference():
    check = checker().check
    token = "/management/auth/token"
    good = {"access_token": "jwt", "token_type": "bearer", "expires_at": "Wed Dec 03 10:00:00 UTC 2025"}
    assert check(exchange("am_mgmt", "POST", token, 200, None, good, auth=BASIC)) == []
    bad = check(exchange("am_mgmt", "POST", token, 200, None, {"access_token": "x"}, auth=BASIC))
    assert [v.kind for v in bad] == ["required", "required"]
    assert "'token_type' is a required property (TokenController.java: POST /management/auth/token" in bad[0].message
    [bearer] = check(exchange("am_mgmt", "POST", token, 200, None, good, auth=BEARER))
    assert bearer.where == "security"
    [unlisted] = check(exchange("am_mgmt", "POST", "/management/auth/other", 200, None, good))
    assert unlisted.kind == "path-not-in-spec"


def test_known_endpoint_refusal_shape_comes_from_the_reference():
    check = checker().check
    token = "/management/auth/token"
    refused = exchange("am_mgmt", "POST", token, 401, None, b"", auth=BASIC)
    refused.response_headers = {"www-authenticate": 'Basic realm="Gravitee.io AM Management API"'}
    assert check(refused) == []
    json_refusal = exchange("am_mgmt", "POST", token, 401, None, {"message": "Unauthorized", "http_status": 401})
    assert sorted(v.kind for v in check(json_refusal)) == ["body-undeclared", "header-missing"]


def test_am_organisation_paths_are_matched_under_the_management_server():
    assert checker().check(exchange("am_mgmt", "GET", AM_E + "/domains/_hrid/mcp-domain", 200, None,
                                    domain_response())) == []


def test_bearer_tolerated_only_on_apim():
    violations = checker().check(exchange("apim_mgmt", "GET", APIM + "/apis/a", 200, None, api_v4_response(),
                                          auth=BEARER))
    assert [v.deviation for v in violations] == ["apim-bearer-auth"]
    assert failures(violations) == [] and len(tolerated(violations)) == 1
