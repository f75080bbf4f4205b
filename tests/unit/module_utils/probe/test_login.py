"""mcp_probe's client side of the login: form filling, PKCE, the DCR body, the token request, and the headless
browser against mocked AM pages (HTTP via responses)."""

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from ansible_collections.gravitee_community.mcp.plugins.module_utils.probe.forms import (
    fill_form,
    parse_forms,
    pick_form,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.probe.http import ProbeHttp
from ansible_collections.gravitee_community.mcp.plugins.module_utils.probe.login import (
    REDIRECT_URI,
    HeadlessBrowser,
    LoginFailed,
    authorization_url,
    pkce_pair,
    registration_request,
    token_request,
)
from tests.sandbox.am.gateway import pages as am_pages

AM = "https://am.example.com/mcp"
PASSWORD = "S3cret-pass!"


def page(response):
    return response.body.decode()


# --- forms ----------------------------------------------------------------------------------------------

def test_am_login_form_gets_user_password_and_hidden_fields():
    html = page(am_pages.login_page(client_name="probe", action=AM + "/login?client_id=c1", csrf="xsrf-1",
                                    client_id="c1", register_url=AM + "/register"))
    form = pick_form(parse_forms(html))

    assert form["action"] == AM + "/login?client_id=c1" and form["method"] == "post"
    assert fill_form(form, "alice", PASSWORD) == [
        ("username", "alice"), ("password", PASSWORD), ("X-XSRF-TOKEN", "xsrf-1"), ("client_id", "c1")]


def test_am_consent_form_approves_with_the_checked_scopes():
    html = page(am_pages.consent_page(client_name="probe", action=AM + "/oauth/consent?x=1", csrf="xsrf-2",
                                      scopes=["openid", "profile"]))
    pairs = fill_form(pick_form(parse_forms(html)), "alice", PASSWORD)

    assert ("user_oauth_approval", "true") in pairs and ("user_oauth_approval", "false") not in pairs
    assert ("scope.openid", "true") in pairs and ("scope.profile", "true") in pairs
    assert ("X-XSRF-TOKEN", "xsrf-2") in pairs
    assert PASSWORD not in [value for _name, value in pairs]


def test_other_login_pages():
    html = """<html><form action="/signin" method="POST">
      <input name="email" type="email"><input name="pwd" type="password">
      <input type="checkbox" name="remember" value="yes"><input type="checkbox" name="terms" checked>
      <select name="lang"><option value="en">en</option><option value="fr" selected>fr</option></select>
      <input type="submit" name="cancel" value="Cancel"><button name="go" value="1">Sign in</button>
    </form></html>"""
    pairs = fill_form(pick_form(parse_forms(html)), "bob@example.com", PASSWORD)

    assert pairs == [("email", "bob@example.com"), ("pwd", PASSWORD), ("terms", "on"), ("lang", "fr"), ("go", "1")]


def test_the_only_text_field_of_a_password_form_is_the_username():
    form = pick_form(parse_forms('<form><input name="j_id"><input type="password" name="j_pw"></form>'))
    assert fill_form(form, "carol", PASSWORD) == [("j_id", "carol"), ("j_pw", PASSWORD)]


def test_the_sign_in_form_wins_over_a_search_form():
    html = ('<form action="/search"><input name="q"><button>Go</button></form>'
            '<form action="/login" method="post"><input name="username"><input type="password" name="password">'
            "</form>")
    assert pick_form(parse_forms(html))["action"] == "/login"
    assert pick_form([]) is None


# --- PKCE, DCR, token request ---------------------------------------------------------------------------

def test_pkce_pair_is_s256_of_an_unreserved_verifier():
    verifier, challenge = pkce_pair()
    assert 43 <= len(verifier) <= 128 and set(verifier) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert challenge == digest
    assert pkce_pair()[0] != verifier


def test_registration_request_is_vscode_shaped_and_never_sends_an_empty_scope():
    body = registration_request(None, ["authorization_code", "client_credentials"])

    assert "scope" not in body
    assert body["token_endpoint_auth_method"] == "none" and body["application_type"] == "native"
    assert REDIRECT_URI in body["redirect_uris"] and "https://vscode.dev/redirect" in body["redirect_uris"]
    assert body["grant_types"] == ["authorization_code"]  # refresh_token not advertised: left out, as VS Code does
    assert body["client_name"] == "gravitee-mcp-probe"
    assert registration_request("openid mcp")["scope"] == "openid mcp"
    assert registration_request("openid")["grant_types"] == ["authorization_code", "refresh_token"]


def test_authorization_url_carries_pkce_state_resource_and_scope():
    url = authorization_url(AM + "/oauth/authorize?x=1", client_id="c1", state="st", challenge="ch",
                            resource="https://gw/mcp/", scope="openid")
    query = parse_qs(urlsplit(url).query)

    assert query == {"x": ["1"], "response_type": ["code"], "client_id": ["c1"], "redirect_uri": [REDIRECT_URI],
                     "state": ["st"], "code_challenge": ["ch"], "code_challenge_method": ["S256"],
                     "resource": ["https://gw/mcp/"], "scope": ["openid"]}
    assert "scope" not in parse_qs(urlsplit(authorization_url(AM, client_id="c", state="s", challenge="c",
                                                              resource=None)).query)


def test_token_request_authenticates_like_the_client_registered():
    common = {"code": "the-code", "verifier": "v" * 43, "resource": "https://gw/mcp/"}
    public_pairs, public_auth = token_request({"client_id": "c1", "token_endpoint_auth_method": "none",
                                               "client_secret": "ignored"}, **common)
    basic_pairs, basic_auth = token_request({"client_id": "c2", "client_secret": "s2"}, **common)
    post_pairs, _auth = token_request({"client_id": "c3", "client_secret": "s3",
                                       "token_endpoint_auth_method": "client_secret_post"}, **common)

    assert public_auth is None and ("client_id", "c1") in public_pairs
    assert all(name != "client_secret" for name, _value in public_pairs)
    assert ("resource", "https://gw/mcp/") in public_pairs and ("code_verifier", "v" * 43) in public_pairs
    assert basic_auth == ("c2", "s2") and all(name != "client_id" for name, _value in basic_pairs)
    assert ("client_secret", "s3") in post_pairs


# --- the headless browser -------------------------------------------------------------------------------

def _browser():
    return HeadlessBrowser(ProbeHttp(timeout=5), "alice", PASSWORD)


def _login_html(error=None):
    return page(am_pages.login_page(client_name="probe", action=AM + "/login?client_id=c1", csrf="x1",
                                    client_id="c1", error=error))


@responses.activate
def test_browser_signs_in_consents_and_stops_at_the_redirect_uri():
    responses.add(responses.GET, AM + "/oauth/authorize", status=302, headers={"Location": AM + "/login?client_id=c1"})
    responses.add(responses.GET, AM + "/login", body=_login_html(), content_type="text/html",
                  headers={"Set-Cookie": "GRAVITEE_IO_AM_SESSION=s1; Path=/"})
    responses.add(responses.POST, AM + "/login", status=302, headers={"Location": "/mcp/oauth/authorize?again=1"})
    consent = page(am_pages.consent_page(client_name="probe", action=AM + "/oauth/consent", csrf="x1",
                                         scopes=["openid"]))
    responses.add(responses.GET, AM + "/oauth/authorize", status=302, headers={"Location": AM + "/oauth/consent"})
    responses.add(responses.GET, AM + "/oauth/consent", body=consent, content_type="text/html")
    responses.add(responses.POST, AM + "/oauth/consent", status=302, headers={"Location": AM + "/oauth/authorize"})
    responses.add(responses.GET, AM + "/oauth/authorize", status=302,
                  headers={"Location": REDIRECT_URI + "?code=the-code&state=st"})
    browser = _browser()

    answer = browser.authorize(AM + "/oauth/authorize?client_id=c1")

    assert answer == {"code": "the-code", "state": "st", "iss": None}
    login_post = responses.calls[2].request
    assert parse_qs(login_post.body) == {"username": ["alice"], "password": [PASSWORD], "X-XSRF-TOKEN": ["x1"],
                                         "client_id": ["c1"]}
    assert "GRAVITEE_IO_AM_SESSION=s1" in login_post.headers["Cookie"]  # the browser keeps its session
    assert "user_oauth_approval=true" in responses.calls[5].request.body
    assert [step[0] for step in browser.steps] == ["GET", "GET", "POST", "GET", "GET", "POST", "GET"]
    assert all("?" not in step[1] for step in browser.steps)  # no code or state in the trace


@responses.activate
def test_wrong_password_is_login_failed():
    responses.add(responses.GET, AM + "/oauth/authorize", status=302, headers={"Location": AM + "/login"})
    responses.add(responses.GET, AM + "/login", body=_login_html(), content_type="text/html")
    responses.add(responses.POST, AM + "/login", status=302, headers={
        "Location": AM + "/login?error=login_failed&error_code=invalid_user&error_description=Invalid+or+unknown+user"})

    with pytest.raises(LoginFailed) as raised:
        _browser().authorize(AM + "/oauth/authorize")

    assert raised.value.error == "login_failed" and raised.value.description == "Invalid or unknown user"
    assert raised.value.where == AM + "/login"


@responses.activate
def test_login_form_shown_again_is_login_failed():
    responses.add(responses.GET, AM + "/oauth/authorize", body=_login_html(), content_type="text/html")
    responses.add(responses.POST, AM + "/login", body=_login_html("login_failed"), content_type="text/html")

    with pytest.raises(LoginFailed) as raised:
        _browser().authorize(AM + "/oauth/authorize")
    assert raised.value.error == "login_failed"


@responses.activate
def test_error_sent_to_the_redirect_uri():
    responses.add(responses.GET, AM + "/oauth/authorize", status=302, headers={
        "Location": REDIRECT_URI + "?error=invalid_target&error_description=not+recognized&state=st"})

    with pytest.raises(LoginFailed) as raised:
        _browser().authorize(AM + "/oauth/authorize")
    assert (raised.value.error, raised.value.where) == ("invalid_target", "redirect_uri")


@responses.activate
def test_a_page_without_form_stops_the_flow_with_its_text():
    responses.add(responses.GET, AM + "/oauth/authorize", body="<html><script>x()</script><p>Enable JavaScript</p>",
                  content_type="text/html")

    with pytest.raises(LoginFailed) as raised:
        _browser().authorize(AM + "/oauth/authorize")
    assert raised.value.error == "page" and "Enable JavaScript" in raised.value.description
    assert "x()" not in raised.value.description
