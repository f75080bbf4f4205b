"""mcp_probe's check selection, result shape and likely causes, as pure functions."""

import pytest

from ansible_collections.gravitee_community.mcp.plugins.module_utils.probe import causes as causes
from ansible_collections.gravitee_community.mcp.plugins.module_utils.probe.checks import (
    DISCOVERY_CHECKS,
    Check,
    requested_checks,
    summary,
)

GRAVITEE_CHALLENGE = 'Bearer resource_metadata="https://gw/.well-known/oauth-protected-resource/mcp" scope="openid"'


# --- which checks run -------------------------------------------------------------------------------------

def test_defaults_per_expectation():
    assert requested_checks("open") == ["initialize", "tools_list"]
    assert requested_checks("oauth2") == list(DISCOVERY_CHECKS)
    assert requested_checks("oauth2", register_client=True)[-1] == "registration"
    assert requested_checks("oauth2", login=True)[-4:] == ["registration", "login", "initialize", "tools_list"]


def test_explicit_checks_keep_the_run_order_and_options_add_theirs():
    assert requested_checks("oauth2", ["issuer", "challenge"]) == ["challenge", "issuer"]
    assert requested_checks("oauth2", ["bogus_token"], register_client=True) == ["bogus_token", "registration"]
    assert requested_checks("oauth2", ["resource"], login=True) == [
        "resource", "registration", "login", "initialize", "tools_list"]


@pytest.mark.parametrize("kwargs, words", [
    ({"expect": "open", "login": True}, ["username", "expect=oauth2"]),
    ({"expect": "open", "register_client": True}, ["register_client", "expect=oauth2"]),
    ({"expect": "open", "checks": ["issuer"]}, ["checks issuer", "expect=open", "initialize, tools_list"]),
    ({"expect": "oauth2", "checks": ["login"]}, ["checks login", "username and password"]),
    ({"expect": "oauth2", "checks": ["tools_list", "challenge"]}, ["checks tools_list", "username and password"]),
])
def test_impossible_combinations_name_the_option(kwargs, words):
    with pytest.raises(ValueError) as raised:
        requested_checks(**kwargs)
    for word in words:
        assert word in str(raised.value)


# --- result shape ---------------------------------------------------------------------------------------

def test_a_passed_check_has_no_cause_and_a_failed_one_says_all_three():
    passed = Check.passed("pkce", "code_challenge_methods_supported: ['S256']").as_result()
    failed = Check.failed("issuer", "https://x/d/oidc", "serverURL is wrong").as_result()

    assert passed == {"name": "pkce", "ok": True, "expected": "S256 in code_challenge_methods_supported",
                      "got": "code_challenge_methods_supported: ['S256']", "cause": None}
    assert failed["ok"] is False and failed["cause"] == "serverURL is wrong"
    assert failed["expected"].startswith("issuer equal to authorization_servers[0]")


def test_blocked_check_points_at_the_root_failure():
    root = Check.failed("authorization_server", "404 at https://am/x", "wrong serverURL")

    shown = Check.blocked("issuer", root, requested=["authorization_server", "issuer"])
    hidden = Check.blocked("issuer", root, requested=["issuer"])

    assert shown.got == "not checked" and "authorization_server check failed" in shown.cause
    assert "404 at https://am/x" in hidden.cause and "wrong serverURL" in hidden.cause


def test_summary_gives_the_first_failure_in_full():
    checks = [Check.passed("challenge", "401"), Check.failed("resource", "https://gw/mcp", "trailing slash"),
              Check.failed("issuer", "x", "serverURL")]

    text = summary(checks)

    assert text.startswith("2 of 3 MCP checks failed. resource: expected resource equal")
    assert "got https://gw/mcp. Likely cause: trailing slash" in text
    assert text.endswith("Also failed: issuer.")
    assert summary(checks[:1]) == "All 1 MCP checks passed."


# --- causes ---------------------------------------------------------------------------------------------

def test_open_api_where_oauth2_is_expected_names_the_keyless_plan():
    assert "Keyless plan" in causes.challenge_status_cause(200)
    assert "not started or deployed" in causes.challenge_status_cause(404)


def test_missing_challenge_parts_name_apim_version_and_api_type():
    assert "APIM before 4.10" in causes.NO_CHALLENGE
    assert "MCP Proxy (MCP_PROXY)" in causes.MISSING_RESOURCE_METADATA and "4.10" in causes.MISSING_RESOURCE_METADATA


def test_comma_warning_shows_what_vscode_reads():
    warning = causes.comma_warning(GRAVITEE_CHALLENGE)
    assert causes.comma_split_reading(GRAVITEE_CHALLENGE) == \
        'https://gw/.well-known/oauth-protected-resource/mcp" scope="openid'
    assert "VS Code" in warning and "scope=\"openid" in warning and "required scopes" in warning
    assert causes.comma_split_reading('Bearer resource_metadata="https://gw/x", scope="a"') == "https://gw/x"


@pytest.mark.parametrize("url, resource, words", [
    ("https://gw/my-mcp/", "https://gw/my-mcp", ["trailing slash", "exactly https://gw/my-mcp",
                                                 "MCP Python SDK would accept it"]),
    ("https://gw/my-mcp", "http://gw/my-mcp", ["scheme (http instead of https)", "X-Forwarded-Proto"]),
    ("https://gw/my-mcp", "https://gw-internal:8082/my-mcp", ["host (gw-internal instead of gw)", "original Host"]),
    ("http://127.0.0.1:9000/mcp/", "http://127.0.0.1:8082/mcp/", ["port (8082 instead of 9000)", "X-Forwarded-Port"]),
    ("https://gw/my-mcp", "https://gw/api/my-mcp", ["path", "X-Forwarded-Prefix"]),
])
def test_resource_cause_says_what_differs_and_why(url, resource, words):
    text = causes.resource_cause(url, resource)
    for word in words:
        assert word in text


def test_issuer_cause_names_the_am_resource_server_url():
    text = causes.issuer_cause("http://am-proxy:9000/mcp-domain/oidc", "http://am:8092/mcp-domain/oidc")
    assert "host (am instead of am-proxy)" in text
    assert "serverURL to the public AM gateway URL" in text and "securityDomain" in text
    assert "no issuer" in causes.issuer_cause("http://am/d/oidc", None)


def test_metadata_not_found_causes():
    assert "5xx" in causes.prm_not_found_cause([("https://gw/a", 404), ("https://gw/b", 502)])
    assert "MCP Proxy APIs" in causes.prm_not_found_cause([("https://gw/a", 404)])
    stop = causes.as_metadata_cause([("https://am/.well-known/oauth-authorization-server/d/oidc", 500)])
    assert "stop at a 5xx" in stop and "oauth-authorization-server" in stop
    assert "serverURL or securityDomain" in causes.as_metadata_cause([("https://am/x", 404)] * 3)


@pytest.mark.parametrize("status, body, words", [
    (403, {"error": "registration_forbidden"}, ["Dynamic Client Registration is off", "am_dcr"]),
    (401, {"error": "invalid_token"}, ["not open", "open_registration"]),
    (400, {"error": "invalid_redirect_uri", "error_description": "localhost is forbidden"},
     ["allow_localhost_redirect_uri"]),
    (400, {"error": "invalid_client_metadata", "error_description": "scope x is not valid."}, ["required scopes"]),
    (500, "oops", ["AM failed"]),
])
def test_registration_causes(status, body, words):
    text = causes.registration_cause(status, body)
    for word in words:
        assert word in text


@pytest.mark.parametrize("error, words", [
    ("login_failed", ["username or password"]),
    ("invalid_target", ["https://gw/mcp", "resource identifier", "trailing slash"]),
    ("invalid_scope", ["'openid'", "required scopes"]),
    ("access_denied", ["denied"]),
    ("page", ["plain HTML forms"]),
    ("server_error", ["AM answered server_error: boom"]),
])
def test_login_causes(error, words):
    text = causes.login_cause(error, "boom", resource="https://gw/mcp", scope="openid")
    for word in words:
        assert word in text


def test_mcp_call_causes():
    assert "expect=oauth2" in causes.mcp_cause(401, authenticated=False)
    assert "token AM issued" in causes.mcp_cause(401, authenticated=True)
    assert "clientSecret" in causes.mcp_cause(503, authenticated=True)
    assert "DNS rebinding" in causes.mcp_cause(421, authenticated=False, text="Invalid Host header")
    assert "Mcp-Session-Id" in causes.mcp_cause(400, authenticated=True, text="Bad Request: Missing session ID")
    assert "endpoint target" in causes.mcp_cause(502, authenticated=False)
    assert "no JSON-RPC response" in causes.mcp_cause(200, authenticated=False, step="tools/list")


def test_bogus_token_causes():
    assert "clientSecret" in causes.bogus_token_cause(503)
    assert "made-up token" in causes.bogus_token_cause(200)
