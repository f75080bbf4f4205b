"""mcp_probe's pure parsing and comparison functions: WWW-Authenticate, SSE, JSON-RPC, discovery URLs,
resource/issuer comparisons and the scope a client asks for."""

import pytest

from ansible_collections.gravitee_community.mcp.plugins.module_utils.probe.discovery import (
    as_metadata_urls,
    bearer_challenge,
    choose_scope,
    issuer_matches,
    normalise_url,
    parse_www_authenticate,
    prm_urls,
    resource_matches,
    sdk_accepts_resource,
    url_differences,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.probe.jsonrpc import (
    SseParser,
    jsonrpc_messages,
    response_for,
)

GRAVITEE_WITH_SCOPE = ('Bearer resource_metadata="https://gw.example.com/.well-known/oauth-protected-resource/my-mcp", '
                       'scope="mcp read"').replace(", ", " ")
RFC_STYLE = 'Bearer resource_metadata="https://gw.example.com/.well-known/oauth-protected-resource/my-mcp", scope="mcp"'


# --- WWW-Authenticate -----------------------------------------------------------------------------------

def test_gravitee_space_separated_params_are_read_and_flagged():
    challenge = bearer_challenge(GRAVITEE_WITH_SCOPE)

    assert challenge.params == {
        "resource_metadata": "https://gw.example.com/.well-known/oauth-protected-resource/my-mcp", "scope": "mcp read"}
    assert challenge.commas_ok is False
    assert challenge.missing_commas == ["scope"]


def parse_sse(text):
    """Every event of a complete SSE body."""
    parser = SseParser()
    return parser.feed(text) + parser.close()



def test_comma_separated_params_are_fine():
    challenge = bearer_challenge(RFC_STYLE)

    assert challenge.commas_ok is True
    assert challenge.params["scope"] == "mcp"


def test_single_param_needs_no_comma():
    challenge = bearer_challenge('Bearer resource_metadata="https://gw/x"')
    assert challenge.commas_ok and challenge.params == {"resource_metadata": "https://gw/x"}


def test_quoted_strings_keep_commas_spaces_and_escaped_quotes():
    challenge = bearer_challenge(r'Bearer error="invalid_token", error_description="bad, \"old\" token"')
    assert challenge.params["error_description"] == 'bad, "old" token'
    assert challenge.commas_ok


def test_several_challenges_and_token68():
    challenges = parse_www_authenticate('Negotiate YWJj==, Basic realm="gravitee", BEARER realm=x, scope="a b"')

    assert [c.scheme for c in challenges] == ["Negotiate", "Basic", "BEARER"]
    assert challenges[0].token68 == "YWJj=="
    assert challenges[1].params == {"realm": "gravitee"}
    assert bearer_challenge('Basic realm="x", Bearer scope="s"').params == {"scope": "s"}
    assert challenges[2].params == {"realm": "x", "scope": "a b"}


def test_param_names_are_case_insensitive_and_the_first_value_wins():
    challenge = bearer_challenge('Bearer Resource_Metadata="https://a/1", resource_metadata="https://b/2"')
    assert challenge.params == {"resource_metadata": "https://a/1"}


@pytest.mark.parametrize("value", [None, "", "Basic realm=\"x\"", "Digest nonce=\"1\""])
def test_no_bearer_challenge(value):
    assert bearer_challenge(value) is None


def test_bare_bearer_has_no_params():
    challenge = bearer_challenge("Bearer")
    assert challenge is not None and challenge.params == {} and challenge.commas_ok


# --- SSE and JSON-RPC -----------------------------------------------------------------------------------

def test_sse_body_with_a_notification_before_the_response():
    body = ('event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{}}\n\n'
            ': keep-alive comment\n\n'
            'event: message\nid: 7\ndata: {"jsonrpc":"2.0","id":1,\ndata: "result":{"tools":[]}}\n\n')
    events = parse_sse(body)

    assert [e["event"] for e in events] == ["message", "message"]
    assert events[1]["id"] == "7"
    assert response_for(list(jsonrpc_messages(events)), 1) == {"jsonrpc": "2.0", "id": 1, "result": {"tools": []}}


def test_sse_parser_handles_chunks_split_anywhere_and_crlf():
    text = 'event: message\r\ndata: {"jsonrpc":"2.0","id":3,"result":{"ok":true}}\r\n\r\n'
    for size in (1, 2, 5, 17):
        parser, events = SseParser(), []
        for start in range(0, len(text), size):
            events += parser.feed(text[start:start + size])
        events += parser.close()
        assert len(events) == 1, size
        assert response_for(list(jsonrpc_messages(events)), 3)["result"] == {"ok": True}


def test_sse_last_event_without_blank_line_is_kept_at_close():
    events = parse_sse('data: {"jsonrpc":"2.0","id":2,"result":{}}')
    assert events == [{"event": "message", "data": '{"jsonrpc":"2.0","id":2,"result":{}}', "id": None}]


def test_sse_field_rules():
    events = parse_sse("data:no-space\ndata:  two-spaces\nevent:ping\n\ndata\n\n")
    assert events[0] == {"event": "ping", "data": "no-space\n two-spaces", "id": None}
    assert events[1]["data"] == ""  # "data" alone is a field with an empty value


def test_only_message_events_with_json_count():
    events = parse_sse('event: ping\ndata: {"id":1,"result":{}}\n\ndata: not json\n\n'
                       'data: [{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"nope"}}]\n\n')
    messages = list(jsonrpc_messages(events))
    assert messages == [{"jsonrpc": "2.0", "id": 1, "error": {"code": -32601, "message": "nope"}}]
    assert response_for(messages, 1)["error"]["message"] == "nope"
    assert response_for(messages, 2) is None


# --- discovery URLs -------------------------------------------------------------------------------------

def test_as_metadata_urls_in_client_order_for_an_issuer_with_a_path():
    assert as_metadata_urls("https://am.example.com/mcp-domain/oidc") == [
        "https://am.example.com/.well-known/oauth-authorization-server/mcp-domain/oidc",
        "https://am.example.com/.well-known/openid-configuration/mcp-domain/oidc",
        "https://am.example.com/mcp-domain/oidc/.well-known/openid-configuration",  # where AM serves it
    ]
    assert as_metadata_urls("https://am.example.com/mcp-domain/oidc/")[2] == \
        "https://am.example.com/mcp-domain/oidc/.well-known/openid-configuration"


def test_as_metadata_urls_for_a_root_issuer():
    assert as_metadata_urls("https://as.example.com/") == [
        "https://as.example.com/.well-known/oauth-authorization-server",
        "https://as.example.com/.well-known/openid-configuration"]


def test_prm_urls_for_a_proxy_api_add_the_suffix_form_after_the_header():
    assert prm_urls(None, "https://gw/my-mcp/", suffix=True) == [
        "https://gw/my-mcp/.well-known/oauth-protected-resource",
        "https://gw/.well-known/oauth-protected-resource/my-mcp/", "https://gw/.well-known/oauth-protected-resource"]
    assert prm_urls("https://gw/x", "https://gw/my-mcp", suffix=True)[:2] == [
        "https://gw/x", "https://gw/my-mcp/.well-known/oauth-protected-resource"]


def test_prm_urls_header_first_then_path_inserted_then_root():
    assert prm_urls("https://gw/.well-known/oauth-protected-resource/my-mcp/", "https://gw/my-mcp/") == [
        "https://gw/.well-known/oauth-protected-resource/my-mcp/", "https://gw/.well-known/oauth-protected-resource"]
    assert prm_urls(None, "https://gw/my-mcp") == [
        "https://gw/.well-known/oauth-protected-resource/my-mcp", "https://gw/.well-known/oauth-protected-resource"]
    assert prm_urls(None, "https://gw") == ["https://gw/.well-known/oauth-protected-resource"]


# --- comparisons ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, resource, differences", [
    ("https://gw.example.com/my-mcp/", "https://gw.example.com/my-mcp",
     ["trailing slash (/my-mcp instead of /my-mcp/)"]),
    ("https://gw.example.com/my-mcp", "http://gw.example.com/my-mcp", ["scheme (http instead of https)"]),
    ("https://gw.example.com/my-mcp", "https://gateway.internal/my-mcp",
     ["host (gateway.internal instead of gw.example.com)"]),
    ("https://gw.example.com/my-mcp", "https://gw.example.com:8082/my-mcp", ["port (8082 instead of 443)"]),
    ("https://gw.example.com/my-mcp", "https://gw.example.com/other", ["path (/other instead of /my-mcp)"]),
])
def test_resource_differences_are_named(url, resource, differences):
    assert not resource_matches(url, resource)
    assert url_differences(url, resource) == differences


def test_equal_after_url_normalisation_like_vscode():
    assert resource_matches("HTTPS://GW.example.com:443/my-mcp", "https://gw.example.com/my-mcp")
    assert resource_matches("http://gw.example.com", "http://gw.example.com/")
    assert normalise_url("http://[::1]:80/x") == "http://[::1]/x"
    assert url_differences("http://a/x", "http://A:80/x") == []


def test_the_sdk_accepts_a_parent_resource_but_vscode_does_not():
    assert sdk_accepts_resource("https://gw/my-mcp/", "https://gw/my-mcp")
    assert sdk_accepts_resource("https://gw/my-mcp/sub", "https://gw/my-mcp")
    assert not sdk_accepts_resource("https://gw/my-mcpx", "https://gw/my-mcp")
    assert not sdk_accepts_resource("https://gw/my-mcp", "http://gw/my-mcp")


def test_issuer_is_compared_exactly_except_a_root_slash():
    assert issuer_matches("https://am/d/oidc", "https://am/d/oidc")
    assert not issuer_matches("https://am/d/oidc", "https://am/d/oidc/")
    assert not issuer_matches("http://127.0.0.1:8092/d/oidc", "http://localhost:8092/d/oidc")
    assert issuer_matches("https://as.example.com", "https://as.example.com/")
    assert not issuer_matches("https://am/d/oidc", None)


# --- scope ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("challenge_scope, prm_scopes, scope", [
    ("mcp read", ["other"], "mcp read"),      # the challenge wins
    (None, ["openid", "mcp"], "openid mcp"),  # else the PRM's scopes_supported
    ("", [], None),                           # nothing: no scope parameter at all
    (None, ["", " "], None),                  # never "" nor " x" (the SDK's ' offline_access' pitfall)
    ("  a   b a ", None, "a b"),              # single spaces, no repeats
    (None, None, None),
])
def test_choose_scope(challenge_scope, prm_scopes, scope):
    chosen = choose_scope(challenge_scope, prm_scopes)
    assert chosen == scope
    assert chosen is None or (chosen == chosen.strip() and "  " not in chosen)
