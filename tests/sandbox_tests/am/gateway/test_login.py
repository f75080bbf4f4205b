"""AM gateway browser leg: authorize, login page, consent, sign-up, and the code + PKCE exchange."""

from urllib.parse import parse_qs, urlsplit

import requests

from tests.sandbox_tests.am.gateway.helpers import (
    LOOPBACK_REDIRECT,
    FormBrowser,
    add_application,
    add_mcp_server,
    gateway_base,
    open_dcr,
    parse_page,
    pkce_pair,
    register,
    update_domain,
)

MCP_URL = "https://gw.example.com/my-mcp"


def _authorize_url(sandbox, client_id, challenge, **extra):
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": LOOPBACK_REDIRECT, "state": "st-123",
              "code_challenge": challenge, "code_challenge_method": "S256", **extra}
    return requests.Request("GET", gateway_base(sandbox) + "/oauth/authorize", params=params).prepare().url


def _public_client(sandbox, **body):
    open_dcr(sandbox)
    response = register(sandbox, {"redirect_uris": [LOOPBACK_REDIRECT], "token_endpoint_auth_method": "none",
                                  "grant_types": ["authorization_code", "refresh_token"], "application_type": "native",
                                  **body})
    assert response.status_code == 201, response.text
    return response.json()["client_id"]


def _exchange(sandbox, client_id, code, verifier, **extra):
    return requests.post(gateway_base(sandbox) + "/oauth/token", timeout=10, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": LOOPBACK_REDIRECT, "client_id": client_id,
        "code_verifier": verifier, **extra})


def test_full_code_flow_with_pkce_resource_and_consent(sandbox):
    mcp_client_id, mcp_secret = add_mcp_server(sandbox, [MCP_URL])
    client_id = _public_client(sandbox, scope="openid offline_access")
    verifier, challenge = pkce_pair()
    browser = FormBrowser(sandbox.seed["am_user"], sandbox.seed["am_user_password"], LOOPBACK_REDIRECT)

    answer = browser.run(_authorize_url(sandbox, client_id, challenge, resource=MCP_URL,
                                        scope="openid offline_access", prompt="consent"))

    assert answer["state"] == ["st-123"]
    assert "iss" not in answer, "AM 4.12 sends no RFC 9207 iss"
    pages = [(method, url.rsplit("/", 1)[-1], status) for method, url, status in browser.steps]
    assert pages == [("GET", "authorize", 302), ("GET", "login", 200), ("POST", "login", 302),
                     ("GET", "authorize", 302), ("GET", "consent", 200), ("POST", "consent", 302),
                     ("GET", "authorize", 302)]
    token = _exchange(sandbox, client_id, answer["code"][0], verifier, resource=MCP_URL)
    assert token.status_code == 200, token.text
    body = token.json()
    assert body["token_type"] == "bearer" and body["scope"] == "openid offline_access"
    assert body["refresh_token"] and body["id_token"] and body["expires_in"] == 7200
    stored = sandbox.am.gateway["access_tokens"][body["access_token"]]
    assert stored["aud"] == [MCP_URL] and stored["sub"] == sandbox.seed["am_user"]

    introspected = requests.post(gateway_base(sandbox) + "/oauth/introspect", data={"token": body["access_token"]},
                                 auth=(mcp_client_id, mcp_secret), timeout=10).json()
    assert introspected["active"] is True
    assert introspected["aud"] == [MCP_URL] and introspected["client_id"] == client_id

    replay = _exchange(sandbox, client_id, answer["code"][0], verifier)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    assert body["access_token"] not in sandbox.am.gateway["access_tokens"], "a replayed code revokes its tokens"


def test_wrong_password_shows_the_login_page_again_with_an_error(sandbox):
    client_id = _public_client(sandbox)
    _verifier, challenge = pkce_pair()
    browser = FormBrowser(sandbox.seed["am_user"], "wrong-password", LOOPBACK_REDIRECT)
    http = browser.http

    login = http.get(_authorize_url(sandbox, client_id, challenge), timeout=10)
    assert urlsplit(login.url).path.endswith("/login") and login.status_code == 200
    failed = browser.submit(login)
    assert failed.status_code == 302
    query = parse_qs(urlsplit(failed.headers["location"]).query)
    assert query["error"] == ["login_failed"] and query["error_code"] == ["invalid_user"]
    again = http.get(failed.headers["location"], timeout=10)
    assert again.status_code == 200 and "Invalid or unknown user" in again.text
    assert parse_page(again.text).forms[0]["fields"][1]["type"] == "password"


def test_login_needs_an_identity_provider_on_the_application(sandbox):
    update_domain(sandbox, "dcr", allowLocalhostRedirectUri=True, allowHttpSchemeRedirectUri=True)
    client_id, _secret = add_application(sandbox, idp=False, redirectUris=[LOOPBACK_REDIRECT])
    browser = FormBrowser(sandbox.seed["am_user"], sandbox.seed["am_user_password"], LOOPBACK_REDIRECT)
    login = browser.http.get(_authorize_url(sandbox, client_id, pkce_pair()[1]), timeout=10)

    failed = browser.submit(login)

    assert "error=login_failed" in failed.headers["location"]


def test_sign_up_and_forgot_password_links_follow_the_login_settings(sandbox):
    client_id = _public_client(sandbox)
    url = _authorize_url(sandbox, client_id, pkce_pair()[1])

    plain = requests.get(url, timeout=10)
    assert "Sign up" not in plain.text and parse_page(plain.text).links.get("register") is None
    assert "Forgot password" not in plain.text

    update_domain(sandbox, "login", registerEnabled=True, forgotPasswordEnabled=True)
    page = requests.get(url, timeout=10)
    links = parse_page(page.text).links
    assert links["register"].startswith(gateway_base(sandbox) + "/register?")
    assert links["forgot-password"].startswith(gateway_base(sandbox) + "/forgotPassword?")


def test_sign_up_creates_a_user_who_can_then_sign_in(sandbox):
    client_id = _public_client(sandbox)
    verifier, challenge = pkce_pair()
    http = requests.Session()
    register_url = gateway_base(sandbox) + "/register?client_id=" + client_id
    assert http.get(register_url, allow_redirects=False, timeout=10).status_code == 302  # registration disabled

    update_domain(sandbox, "login", registerEnabled=True)
    form_page = http.get(register_url, timeout=10)
    form = parse_page(form_page.text).forms[0]
    data = {f["name"]: f["value"] for f in form["fields"]}
    data.update(firstName="Bob", lastName="Builder", username="bob", email="bob@example.com", password="Bob-passw0rd!")
    done = http.post(form["action"], data=data, timeout=10)
    assert done.status_code == 200 and "Registration succeeded" in done.text
    assert "bob" in sandbox.am.users[sandbox.am.domain_by_path(sandbox.seed["am_domain"])["id"]]

    answer = FormBrowser("bob", "Bob-passw0rd!", LOOPBACK_REDIRECT).run(_authorize_url(sandbox, client_id, challenge))
    assert _exchange(sandbox, client_id, answer["code"][0], verifier).status_code == 200


def test_unknown_resource_redirects_with_invalid_target_after_login(sandbox):
    add_mcp_server(sandbox, [MCP_URL])
    client_id = _public_client(sandbox)
    browser = FormBrowser(sandbox.seed["am_user"], sandbox.seed["am_user_password"], LOOPBACK_REDIRECT)

    answer = browser.run(_authorize_url(sandbox, client_id, pkce_pair()[1], resource=MCP_URL.upper()))

    assert answer["error"] == ["invalid_target"]
    assert answer["error_description"] == ["The requested resource is not recognized by this authorization server."]
    assert answer["state"] == ["st-123"]


def test_redirect_uri_mismatch_goes_to_the_error_page(sandbox):
    client_id = _public_client(sandbox)
    url = _authorize_url(sandbox, client_id, pkce_pair()[1]).replace("33418", "40000")

    response = requests.get(url, allow_redirects=False, timeout=10)

    location = response.headers["location"]
    assert location.startswith(gateway_base(sandbox) + "/oauth/error?")
    assert parse_qs(urlsplit(location).query)["error"] == ["redirect_uri_mismatch"]


def test_pkce_is_forced_only_for_clients_that_ask_for_it(sandbox):
    update_domain(sandbox, "dcr", allowLocalhostRedirectUri=True, allowHttpSchemeRedirectUri=True)
    forced, _ = add_application(sandbox, app_type="native", tokenEndpointAuthMethod="none", forcePKCE=True,
                                redirectUris=[LOOPBACK_REDIRECT])
    params = {"response_type": "code", "client_id": forced, "redirect_uri": LOOPBACK_REDIRECT, "state": "s"}

    response = requests.get(gateway_base(sandbox) + "/oauth/authorize", params=params, allow_redirects=False,
                            timeout=10)

    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert response.headers["location"].startswith(LOOPBACK_REDIRECT)
    assert query["error"] == ["invalid_request"] and query["error_description"] == ["Missing parameter: code_challenge"]


def test_denied_consent_returns_access_denied(sandbox):
    client_id = _public_client(sandbox, scope="openid")
    browser = FormBrowser(sandbox.seed["am_user"], sandbox.seed["am_user_password"], LOOPBACK_REDIRECT, approve=False)

    answer = browser.run(_authorize_url(sandbox, client_id, pkce_pair()[1], scope="openid"))

    assert answer["error"] == ["access_denied"]


def test_redirect_uri_matching_is_am_s_not_rfc8252_s(sandbox):
    open_dcr(sandbox)
    client_id = register(sandbox, {"redirect_uris": ["http://127.0.0.1:33418/", "http://127.0.0.1/"],
                                   "token_endpoint_auth_method": "none"}).json()["client_id"]

    def outcome(redirect_uri):
        params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri}
        location = requests.get(gateway_base(sandbox) + "/oauth/authorize", params=params, allow_redirects=False,
                                timeout=10).headers["location"]
        return "mismatch" if "error=redirect_uri_mismatch" in location else "login"

    # Same scheme, host and port, and a path under a registered one: accepted (non-strict matching).
    assert outcome("http://127.0.0.1:33418/callback") == "login"
    # VS Code's fallback to a random loopback port is not: AM matches ports loosely only for CIMD clients.
    assert outcome("http://127.0.0.1:50123/") == "mismatch"
    update_domain(sandbox, "oidc", redirectUriStrictMatching=True)
    assert outcome("http://127.0.0.1:33418/callback") == "mismatch"
    assert outcome("http://127.0.0.1:33418/") == "login"
