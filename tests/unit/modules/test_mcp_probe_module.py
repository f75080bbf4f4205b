"""mcp_probe as a whole module against a mocked gateway and AM (HTTP via responses): results, failures with
causes, the wait for the gateway, cleanup of the registered client, bad input, and no secret in the output."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from ansible_collections.gravitee_community.mcp.plugins.module_utils.probe.http import ProbeHttp, TransportFailure
from tests.sandbox.am.gateway import pages as am_pages

GW = "https://gw.example.com"
URL = GW + "/my-mcp/"
PRM_URL = GW + "/.well-known/oauth-protected-resource/my-mcp/"
AM_BASE = "https://am.example.com/mcp-domain"
ISSUER = AM_BASE + "/oidc"
AM_DISCOVERY = ISSUER + "/.well-known/openid-configuration"
TOKEN = "at-9f8e7d6c5b4a-secret-token"
CLIENT_SECRET = "dcr-client-secret-31337"
REGISTRATION_TOKEN = "registration-access-token-4242"
PASSWORD = "Alice-passw0rd!"
CODE = "authorization-code-777"
SSE = "text/event-stream"


def sse(message):
    return "event: message\ndata: %s\n\n" % json.dumps(message)


class FakeStack:
    """A gateway with an OAuth2 plan and an AM domain, answering like Gravitee (RFC 9728, OIDC discovery)."""

    def __init__(self, issuer=ISSUER, challenge=None, registration_token=True, gateway_statuses=None):
        self.issuer = issuer
        self.challenge = challenge if challenge is not None else 'Bearer resource_metadata="%s"' % PRM_URL
        self.registration_token = registration_token
        self.gateway_statuses = list(gateway_statuses or [])  # answers to the first unauthenticated calls
        self.mcp_calls = []

    def install(self):
        responses.add_callback(responses.POST, URL, callback=self.mcp)
        responses.add(responses.DELETE, URL, status=200)
        responses.add(responses.GET, PRM_URL, json={"resource": URL, "authorization_servers": [ISSUER],
                                                    "scopes_supported": ["mcp"]})
        responses.add(responses.GET, "https://am.example.com/.well-known/oauth-authorization-server/mcp-domain/oidc",
                      status=404)
        responses.add(responses.GET, "https://am.example.com/.well-known/openid-configuration/mcp-domain/oidc",
                      status=404)
        responses.add(responses.GET, AM_DISCOVERY, json={
            "issuer": self.issuer, "authorization_endpoint": AM_BASE + "/oauth/authorize",
            "token_endpoint": AM_BASE + "/oauth/token", "registration_endpoint": ISSUER + "/register",
            "code_challenge_methods_supported": ["plain", "S256"],
            "grant_types_supported": ["authorization_code", "refresh_token"]})
        responses.add_callback(responses.POST, ISSUER + "/register", callback=self.register)
        responses.add(responses.DELETE, ISSUER + "/register/c-probe", status=204)
        responses.add_callback(responses.GET, AM_BASE + "/oauth/authorize", callback=self.authorize)
        responses.add(responses.GET, AM_BASE + "/login", content_type="text/html", body=am_pages.login_page(
            client_name="probe", action=AM_BASE + "/login", csrf="xsrf", client_id="c-probe").body.decode())
        responses.add_callback(responses.POST, AM_BASE + "/login", callback=self.login)
        responses.add_callback(responses.POST, AM_BASE + "/oauth/token", callback=self.token)

    def mcp(self, request):
        body = json.loads(request.body)
        auth = request.headers.get("Authorization")
        self.mcp_calls.append((body["method"], auth, dict(request.headers)))
        if auth is None and self.gateway_statuses:
            return self.gateway_statuses.pop(0), {}, "No context-path matches the request URI."
        if auth != "Bearer " + TOKEN:
            return 401, {"WWW-Authenticate": self.challenge}, '{"message":"Unauthorized","http_status_code":401}'
        if body["method"] == "initialize":
            return 200, {"Content-Type": SSE, "Mcp-Session-Id": "sess-1"}, sse(
                {"jsonrpc": "2.0", "id": body["id"], "result": {"protocolVersion": "2025-11-25",
                                                                "serverInfo": {"name": "up", "version": "1"}}})
        if body["method"] == "notifications/initialized":
            return 202, {}, ""
        return 200, {"Content-Type": SSE}, sse({"jsonrpc": "2.0", "id": body["id"],
                                                "result": {"tools": [{"name": "echo"}, {"name": "add"}]}})

    def register(self, request):
        body = json.loads(request.body)
        answer = {"client_id": "c-probe", "client_secret": CLIENT_SECRET, "client_name": body["client_name"],
                  "token_endpoint_auth_method": body["token_endpoint_auth_method"], "scope": body.get("scope")}
        if self.registration_token:
            answer.update(registration_access_token=REGISTRATION_TOKEN,
                          registration_client_uri=ISSUER + "/register/c-probe")
        return 201, {}, json.dumps(answer)

    def authorize(self, request):
        query = parse_qs(urlsplit(request.url).query)
        if "GRAVITEE_IO_AM_SESSION" not in request.headers.get("Cookie", ""):
            self.authorized = query  # AM keeps the request while the user signs in
            return 302, {"Location": AM_BASE + "/login"}, ""
        query = self.authorized
        return 302, {"Location": query["redirect_uri"][0] + "?code=%s&state=%s" % (CODE, query["state"][0])}, ""

    def login(self, request):
        form = parse_qs(request.body)
        if form.get("password") != [PASSWORD]:
            return 302, {"Location": AM_BASE + "/login?error=login_failed&error_description=Invalid+user"}, ""
        return 302, {"Location": AM_BASE + "/oauth/authorize?again=1",
                     "Set-Cookie": "GRAVITEE_IO_AM_SESSION=s1; Path=/"}, ""

    def token(self, request):
        form = parse_qs(request.body)
        self.token_form = form
        return 200, {}, json.dumps({"access_token": TOKEN, "token_type": "bearer", "expires_in": 300,
                                    "scope": "mcp", "refresh_token": "rt-secret-555"})


def task_warnings(result):
    """The task's warnings as text (ansible-core 2.19+ returns them as structured summaries)."""
    return json.dumps(result.get("warnings", []))


def by_name(result):
    return {check["name"]: check for check in result["checks"]}


@responses.activate
def test_full_oauth2_probe_passes_and_prints_no_secret(run_module):
    stack = FakeStack()
    stack.install()

    result, out, code = run_module(username="alice", password=PASSWORD, register_client=True)

    assert code == 0 and result["ok"] is True and result["changed"] is False
    assert [c["name"] for c in result["checks"]] == [
        "challenge", "resource_metadata", "resource", "authorization_server", "issuer", "registration_endpoint",
        "pkce", "bogus_token", "registration", "login", "initialize", "tools_list"]
    assert result["tools"] == ["echo", "add"]
    assert result["server_info"] == {"name": "up", "version": "1", "protocol_version": "2025-11-25", "session": True}
    assert result["registration"]["deleted"] is True
    for secret in (TOKEN, CLIENT_SECRET, REGISTRATION_TOKEN, PASSWORD, CODE, "rt-secret-555"):
        assert secret not in out
    # The login asked for the PRM resource and the challenge/PRM scope, with PKCE S256.
    assert stack.authorized["resource"] == [URL] and stack.authorized["scope"] == ["mcp"]
    assert stack.authorized["code_challenge_method"] == ["S256"]
    assert stack.token_form["resource"] == [URL] and stack.token_form["client_id"] == ["c-probe"]
    # RFC 7592 cleanup with the registration access token.
    deletion = [c.request for c in responses.calls if c.request.method == "DELETE" and "register" in c.request.url]
    assert deletion[0].headers["Authorization"] == "Bearer " + REGISTRATION_TOKEN
    # The session headers went back on the calls after initialize.
    notified = [headers for method, _auth, headers in stack.mcp_calls if method == "notifications/initialized"][0]
    assert notified["Mcp-Session-Id"] == "sess-1" and notified["MCP-Protocol-Version"] == "2025-11-25"


@responses.activate
def test_issuer_mismatch_fails_with_the_server_url_cause(run_module):
    FakeStack(issuer="https://am-internal:8092/mcp-domain/oidc").install()

    result, _out, code = run_module()

    checks = by_name(result)
    assert code == 1 and result["failed"] is True and result["failed_checks"] == ["issuer"]
    assert checks["issuer"]["got"] == "https://am-internal:8092/mcp-domain/oidc"
    assert ISSUER in checks["issuer"]["expected"]
    assert "serverURL to the public AM gateway URL" in checks["issuer"]["cause"]
    assert result["msg"].startswith("1 of 8 MCP checks failed. issuer: expected issuer equal to")
    assert checks["registration_endpoint"]["ok"] and checks["pkce"]["ok"]


@responses.activate
def test_a_5xx_on_an_earlier_discovery_url_is_a_failure(run_module):
    responses.add(responses.GET, "https://am.example.com/.well-known/oauth-authorization-server/mcp-domain/oidc",
                  status=500)
    FakeStack().install()  # the later registration of the same URL (404) is never reached: first match wins

    result, _out, code = run_module(checks=["authorization_server", "issuer"], probe_retries=0)

    checks = by_name(result)
    got = checks["authorization_server"]["got"]
    assert code == 1 and not checks["authorization_server"]["ok"]
    assert "500 at https://am.example.com/.well-known/oauth-authorization-server" in got
    assert "200 at " + AM_DISCOVERY in got
    assert "stop at a 5xx" in checks["authorization_server"]["cause"]
    assert checks["issuer"]["got"] == "not checked"


@responses.activate
def test_waits_for_the_gateway_sync_then_passes(run_module):
    stack = FakeStack(gateway_statuses=[404, 404])
    stack.install()

    result, _out, code = run_module(probe_retries=3, checks=["challenge"])

    assert code == 0 and result["attempts"] == 3 and by_name(result)["challenge"]["attempts"] == 3


@responses.activate
def test_the_connection_retries_and_timeout_of_group_defaults_do_not_change_the_probe(run_module):
    # module_defaults group/gravitee_community.mcp.gravitee hands every module the management API's retries and
    # timeout; the probe waits for the gateway with its own probe_retries (default 3) and probe_timeout.
    FakeStack(gateway_statuses=[404, 404]).install()

    result, _out, code = run_module(retries=0, timeout=1, probe_timeout=12.5, checks=["challenge"])

    assert code == 0 and result["attempts"] == 3
    assert {call.request.req_kwargs["timeout"] for call in responses.calls} == {12.5}


@responses.activate
def test_gives_up_after_the_retries_with_the_not_deployed_cause(run_module):
    FakeStack(gateway_statuses=[404, 404, 404]).install()

    result, _out, code = run_module(probe_retries=1, checks=["challenge"])

    challenge = by_name(result)["challenge"]
    assert code == 1 and result["attempts"] == 2
    assert challenge["got"].startswith("404: No context-path matches")
    assert "not started or deployed" in challenge["cause"]


@responses.activate
def test_space_separated_challenge_passes_with_a_warning(run_module):
    FakeStack(challenge='Bearer resource_metadata="%s" scope="mcp"' % PRM_URL).install()

    result, _out, code = run_module(checks=["challenge"])

    challenge = by_name(result)["challenge"]
    assert code == 0 and challenge["ok"] and result["challenge"]["commas_ok"] is False
    assert "VS Code" in challenge["warnings"][0]
    assert "VS Code splits on commas" in task_warnings(result)


@responses.activate
def test_client_without_rfc7592_credentials_is_left_and_named(run_module):
    FakeStack(registration_token=False).install()

    result, _out, code = run_module(register_client=True, client_name="probe-from-ci")

    assert code == 0 and result["registration"]["deleted"] is False
    assert "'probe-from-ci' (client_id c-probe) is left in AM" in result["registration"]["cleanup"]
    assert "is left in AM" in task_warnings(result)
    registered = json.loads([c.request for c in responses.calls if c.request.url.endswith("/register")][0].body)
    assert registered["client_name"] == "probe-from-ci" and registered["scope"] == "mcp"


@responses.activate
def test_wrong_password_fails_the_login_and_skips_the_session(run_module):
    FakeStack().install()

    result, out, code = run_module(username="alice", password="not-the-password")

    checks = by_name(result)
    assert code == 1 and result["failed_checks"] == ["login", "initialize", "tools_list"]
    assert checks["login"]["got"].startswith("login_failed (Invalid user) at " + AM_BASE + "/login")
    assert "username or password" in checks["login"]["cause"]
    assert checks["initialize"]["cause"] == "Not checked because the login check failed (see it)."
    assert "not-the-password" not in out
    assert result["registration"]["deleted"] is True  # cleaned up after a failed login too


@responses.activate
def test_open_endpoint_lists_every_page_of_tools(run_module):
    pages = {None: {"tools": [{"name": "a"}], "nextCursor": "p2"}, "p2": {"tools": [{"name": "b"}]}}

    def mcp(request):
        body = json.loads(request.body)
        if body["method"] == "initialize":
            return 200, {"Content-Type": "application/json"}, json.dumps(
                {"jsonrpc": "2.0", "id": body["id"], "result": {"protocolVersion": "2025-06-18",
                                                                "serverInfo": {"name": "open", "version": "2"}}})
        if body["method"] == "notifications/initialized":
            return 202, {}, ""
        cursor = (body.get("params") or {}).get("cursor")
        return 200, {"Content-Type": SSE + "; charset=utf-8"}, sse(
            {"jsonrpc": "2.0", "id": body["id"], "result": pages[cursor]})

    responses.add_callback(responses.POST, URL, callback=mcp)

    result, _out, code = run_module(expect="open")

    assert code == 0 and result["tools"] == ["a", "b"]
    assert result["server_info"]["protocol_version"] == "2025-06-18" and result["server_info"]["session"] is False
    sent = [json.loads(c.request.body)["method"] for c in responses.calls]
    assert sent == ["initialize", "notifications/initialized", "tools/list", "tools/list"]
    assert responses.calls[2].request.headers["MCP-Protocol-Version"] == "2025-06-18"


@responses.activate
def test_expect_open_on_a_secured_endpoint_says_a_token_is_needed(run_module):
    FakeStack().install()

    result, _out, code = run_module(expect="open", probe_retries=0)

    assert code == 1 and result["failed_checks"] == ["initialize", "tools_list"]
    assert "expect=oauth2" in by_name(result)["initialize"]["cause"]


@responses.activate
def test_unreachable_gateway_is_a_failed_check_not_a_crash(run_module):
    result, _out, code = run_module(url="http://127.0.0.1:9/mcp/", probe_retries=0, checks=["challenge", "bogus_token"])

    checks = by_name(result)
    assert code == 1 and checks["challenge"]["got"].startswith("could not connect for POST http://127.0.0.1:9/mcp/")
    assert "Nothing answers at that address" in checks["challenge"]["cause"]


@pytest.mark.parametrize("args, words", [
    ({"url": "gw.example.com/mcp"}, ["url must be the absolute http:// or https:// URL"]),
    ({"checks": ["login"]}, ["checks login", "username and password"]),
    ({"expect": "open", "register_client": True}, ["register_client", "expect=oauth2"]),
    ({"probe_delay": -1}, ["probe_delay must be 0 or more"]),
    ({"probe_retries": -2}, ["probe_retries must be 0 or more"]),
    ({"probe_timeout": 0}, ["probe_timeout must be a positive number"]),
    ({"timeout": 0}, ["timeout must be a positive number"]),  # the connection option, even though unused here
    ({"username": "alice"}, ["parameters are required together: username, password"]),
])
def test_bad_input_fails_before_any_request(run_module, args, words):
    with responses.RequestsMock() as mocked:  # any request would fail the test
        result, _out, code = run_module(**args)
        assert not mocked.calls
    assert code == 1 and result["failed"] is True
    for word in words:
        assert word in result["msg"]


@responses.activate
def test_secrets_quoted_back_by_the_server_are_masked(run_module):
    stack = FakeStack()
    stack.token = lambda request: (400, {}, json.dumps({
        "error": "invalid_grant", "error_description": "The authorization code %s is invalid." % CODE}))
    stack.install()

    result, out, code = run_module(username="alice", password=PASSWORD)

    login = by_name(result)["login"]
    assert code == 1 and login["got"].startswith("token endpoint: 400 invalid_grant: The authorization code ")
    assert CODE not in out and "********" in login["got"]
    assert "authorization code or the PKCE verifier" in login["cause"]


@responses.activate
def test_a_redirect_is_reported_with_where_it_goes(run_module):
    responses.add(responses.POST, "http://gw.example.com/my-mcp/", status=301, headers={"Location": URL})

    result, _out, code = run_module(url="http://gw.example.com/my-mcp/", probe_retries=0, checks=["challenge"])

    challenge = by_name(result)["challenge"]
    assert code == 1 and challenge["got"] == "301 redirect to " + URL
    assert "do not follow redirects" in challenge["cause"] and "https://" in challenge["cause"]
    assert len(responses.calls) == 1  # not followed


class RecordingSession:
    """Stands in for requests.Session: records the TLS settings of each request, or raises ``error``."""

    def __init__(self, error=None):
        self.error, self.sent, self.auth = error, [], None

    def request(self, method, url, **kwargs):
        self.sent.append(kwargs)
        raise self.error


def test_tls_options_reach_every_request_and_tls_errors_get_their_cause():
    session = RecordingSession(requests.exceptions.SSLError("certificate verify failed: self-signed certificate"))
    with pytest.raises(TransportFailure) as raised:
        ProbeHttp(timeout=7, ca_path="/etc/ssl/private-ca.pem", session=session).get(URL)
    assert session.sent[0]["verify"] == "/etc/ssl/private-ca.pem" and session.sent[0]["timeout"] == 7
    assert session.sent[0]["allow_redirects"] is False
    assert raised.value.kind == "tls" and "ca_path" in raised.value.cause()
    assert "certificate verify failed" in raised.value.describe()

    unchecked = RecordingSession(requests.exceptions.ConnectTimeout("timed out"))
    with pytest.raises(TransportFailure) as raised:
        ProbeHttp(validate_certs=False, ca_path="/ignored.pem", session=unchecked).get(URL)
    assert unchecked.sent[0]["verify"] is False
    assert raised.value.kind == "timeout" and "raise probe_timeout" in raised.value.cause()
    assert unchecked.auth is not None  # never .netrc credentials on the unauthenticated requests


@responses.activate
def test_a_json_rpc_error_is_the_servers_answer(run_module):
    responses.add(responses.POST, URL, json={"jsonrpc": "2.0", "id": 1,
                                             "error": {"code": -32602, "message": "Unsupported protocol version"}})

    result, _out, code = run_module(expect="open", probe_retries=0)

    initialize = by_name(result)["initialize"]
    assert code == 1 and initialize["got"].startswith('JSON-RPC error {"code": -32602')
    assert "Unsupported protocol version" in initialize["cause"]
