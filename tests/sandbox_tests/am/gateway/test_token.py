"""AM gateway token endpoint, RFC 8707 resources, introspection's audience rule, refresh, revocation, userinfo."""

import time

import pytest
import requests

from tests.sandbox_tests.am.gateway.helpers import (
    LOOPBACK_REDIRECT,
    FormBrowser,
    add_application,
    add_mcp_server,
    gateway_base,
    pkce_pair,
    seeded_domain,
    update_domain,
)

MCP_URL = "https://gw.example.com/my-mcp/"


def _token(sandbox, data, auth=None):
    return requests.post(gateway_base(sandbox) + "/oauth/token", data=data, auth=auth, timeout=10)


def _introspect(sandbox, token, auth):
    return requests.post(gateway_base(sandbox) + "/oauth/introspect", data={"token": token}, auth=auth, timeout=10)


def _service(sandbox, **oauth):
    return add_application(sandbox, app_type="service", grantTypes=["client_credentials"], **oauth)


def _web_client(sandbox, **oauth):
    update_domain(sandbox, "dcr", allowLocalhostRedirectUri=True, allowHttpSchemeRedirectUri=True)
    oauth.setdefault("grantTypes", ["authorization_code", "refresh_token"])
    return add_application(sandbox, redirectUris=[LOOPBACK_REDIRECT], **oauth)


def _code(sandbox, client_id, **params):
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": LOOPBACK_REDIRECT, **params}
    url = requests.Request("GET", gateway_base(sandbox) + "/oauth/authorize", params=query).prepare().url
    answer = FormBrowser(sandbox.seed["am_user"], sandbox.seed["am_user_password"], LOOPBACK_REDIRECT).run(url)
    assert "code" in answer, answer
    return answer["code"][0]


def test_client_credentials_with_basic_and_post_authentication(sandbox):
    basic_id, basic_secret = _service(sandbox)
    post_id, post_secret = _service(sandbox, tokenEndpointAuthMethod="client_secret_post")

    basic = _token(sandbox, {"grant_type": "client_credentials"}, auth=(basic_id, basic_secret))
    post = _token(sandbox, {"grant_type": "client_credentials", "client_id": post_id, "client_secret": post_secret})

    assert basic.status_code == 200 and post.status_code == 200
    assert basic.json()["token_type"] == "bearer" and "refresh_token" not in basic.json()
    assert basic.headers["cache-control"] == "no-store"
    record = sandbox.am.gateway["access_tokens"][basic.json()["access_token"]]
    assert record["aud"] == [basic_id] and record["sub"] == basic_id and record["resource"] == []


def test_client_authentication_failures(sandbox):
    client_id, secret = _service(sandbox)

    wrong = _token(sandbox, {"grant_type": "client_credentials"}, auth=(client_id, "nope"))
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    assert wrong.headers["www-authenticate"] == 'Basic realm="gravitee-io"'

    # A client_secret_basic client may not send its secret in the body.
    post = _token(sandbox, {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
    assert post.status_code == 401
    assert post.json()["error_description"] == "Invalid client: missing or unsupported authentication method"

    unknown = _token(sandbox, {"grant_type": "client_credentials"}, auth=("who", "x"))
    assert unknown.status_code == 401
    assert unknown.json()["error_description"] == ("Client authentication failed due to unknown clientId, expired "
                                                   "or invalid client secret")


def test_request_errors(sandbox):
    client_id, secret = _service(sandbox)
    code_only, code_secret = _web_client(sandbox, grantTypes=["authorization_code"])

    missing = _token(sandbox, {}, auth=(client_id, secret))
    assert missing.status_code == 400
    assert missing.json() == {"error": "invalid_request", "error_description": "Missing parameter: grant_type"}

    repeated = _token(sandbox, [("grant_type", "client_credentials"), ("scope", "a"), ("scope", "b")],
                      auth=(client_id, secret))
    assert repeated.json()["error_description"] == "Parameter [scope] is included more than once"

    not_allowed = _token(sandbox, {"grant_type": "client_credentials"}, auth=(code_only, code_secret))
    assert not_allowed.status_code == 400
    assert not_allowed.json() == {"error": "unsupported_grant_type",
                                  "error_description": "Unsupported grant type: client_credentials"}

    bad_code = _token(sandbox, {"grant_type": "authorization_code", "code": "nope", "redirect_uri": LOOPBACK_REDIRECT},
                      auth=(code_only, code_secret))
    assert bad_code.json() == {"error": "invalid_grant", "error_description": "The authorization code nope is invalid."}

    scope = _token(sandbox, {"grant_type": "client_credentials", "scope": "admin"}, auth=(client_id, secret))
    assert scope.json() == {"error": "invalid_scope", "error_description": "Invalid scope(s): admin"}


@pytest.mark.parametrize("resource", [MCP_URL, [MCP_URL]])
def test_resource_must_equal_a_stored_identifier(sandbox, resource):
    add_mcp_server(sandbox, [MCP_URL])
    client_id, secret = _service(sandbox)

    good = _token(sandbox, {"grant_type": "client_credentials", "resource": resource}, auth=(client_id, secret))
    assert good.status_code == 200, good.text
    assert sandbox.am.gateway["access_tokens"][good.json()["access_token"]]["aud"] == [MCP_URL]

    for other in (MCP_URL.rstrip("/"), MCP_URL.upper(), "https://elsewhere.example.com/"):
        bad = _token(sandbox, {"grant_type": "client_credentials", "resource": other}, auth=(client_id, secret))
        assert bad.status_code == 400
        assert bad.json() == {"error": "invalid_target", "error_description":
                              "The requested resource is not recognized by this authorization server."}


def test_a_just_created_mcp_server_is_unknown_until_the_gateway_syncs(sandbox):
    sandbox.config.sync_delay = 0.5
    client_id, secret = _service(sandbox)
    add_mcp_server(sandbox, [MCP_URL], fresh=True)

    early = _token(sandbox, {"grant_type": "client_credentials", "resource": MCP_URL}, auth=(client_id, secret))
    assert early.json().get("error") == "invalid_target", early.text
    time.sleep(0.6)
    assert _token(sandbox, {"grant_type": "client_credentials", "resource": MCP_URL},
                  auth=(client_id, secret)).status_code == 200


def test_introspection_audience_rule(sandbox):
    mcp_id, mcp_secret = add_mcp_server(sandbox, [MCP_URL], secret="s3cret")
    client_id, secret = _service(sandbox)
    other_id, other_secret = _service(sandbox)
    for_mcp = _token(sandbox, {"grant_type": "client_credentials", "resource": MCP_URL},
                     auth=(client_id, secret)).json()["access_token"]
    plain = _token(sandbox, {"grant_type": "client_credentials"}, auth=(client_id, secret)).json()["access_token"]

    active = _introspect(sandbox, for_mcp, (mcp_id, "s3cret")).json()
    assert active["active"] is True
    assert active["client_id"] == client_id and active["sub"] == client_id and active["aud"] == [MCP_URL]
    assert active["token_type"] == "bearer" and active["iss"] == gateway_base(sandbox) + "/oidc"
    assert active["exp"] > active["iat"]

    assert _introspect(sandbox, for_mcp, (other_id, other_secret)).json() == {"active": False}
    assert _introspect(sandbox, for_mcp, (mcp_id, "wrong")).status_code == 401
    # Without a resource the audience is the client itself: any authenticated client may read it.
    assert _introspect(sandbox, plain, (other_id, other_secret)).json()["aud"] == client_id
    assert _introspect(sandbox, "not-a-token", (mcp_id, mcp_secret)).json() == {"active": False}


def test_introspection_of_seeded_tokens(sandbox):
    mcp_id, mcp_secret = add_mcp_server(sandbox, [MCP_URL])
    domain_id = seeded_domain(sandbox)["id"]
    now = int(time.time())

    def seed():
        tokens = sandbox.am.gateway["access_tokens"]
        tokens["seeded-ok"] = {"client_id": "some-client", "sub": "alice", "aud": [MCP_URL], "scope": "openid",
                               "exp": now + 60, "domain": domain_id, "resource": [MCP_URL]}
        tokens["seeded-expired"] = {**tokens["seeded-ok"], "exp": now - 1}
        tokens["seeded-stranger"] = {**tokens["seeded-ok"], "aud": ["https://nobody.example.com/"]}
    sandbox.call_soon(seed)

    ok = _introspect(sandbox, "seeded-ok", (mcp_id, mcp_secret)).json()
    assert ok["active"] is True and ok["sub"] == "alice" and ok["scope"] == "openid"
    assert _introspect(sandbox, "seeded-expired", (mcp_id, mcp_secret)).json() == {"active": False}
    assert _introspect(sandbox, "seeded-stranger", (mcp_id, mcp_secret)).json() == {"active": False}


def test_code_exchange_checks_pkce_and_redirect_uri(sandbox):
    client_id, secret = _web_client(sandbox)
    verifier, challenge = pkce_pair()

    code = _code(sandbox, client_id, code_challenge=challenge, code_challenge_method="S256")
    wrong = _token(sandbox, {"grant_type": "authorization_code", "code": code, "redirect_uri": LOOPBACK_REDIRECT,
                             "code_verifier": "x" * 43}, auth=(client_id, secret))
    assert wrong.json() == {"error": "invalid_grant", "error_description": "Invalid code_verifier"}

    code = _code(sandbox, client_id, code_challenge=challenge, code_challenge_method="S256")
    no_verifier = _token(sandbox, {"grant_type": "authorization_code", "code": code,
                                   "redirect_uri": LOOPBACK_REDIRECT}, auth=(client_id, secret))
    assert no_verifier.json()["error_description"] == "Missing parameter: code_verifier"

    code = _code(sandbox, client_id, code_challenge=challenge, code_challenge_method="S256")
    other_uri = _token(sandbox, {"grant_type": "authorization_code", "code": code, "code_verifier": verifier,
                                 "redirect_uri": LOOPBACK_REDIRECT + "/x"}, auth=(client_id, secret))
    assert other_uri.json()["error_description"] == "Redirect URI mismatch."

    plain_verifier = "p" * 50
    code = _code(sandbox, client_id, code_challenge=plain_verifier)
    plain = _token(sandbox, {"grant_type": "authorization_code", "code": code, "code_verifier": plain_verifier,
                             "redirect_uri": LOOPBACK_REDIRECT}, auth=(client_id, secret))
    assert plain.status_code == 200, plain.text


def test_refresh_token_rotates_and_keeps_the_resources(sandbox):
    add_mcp_server(sandbox, [MCP_URL])
    client_id, secret = _web_client(sandbox)
    code = _code(sandbox, client_id, resource=MCP_URL)
    first = _token(sandbox, {"grant_type": "authorization_code", "code": code, "redirect_uri": LOOPBACK_REDIRECT},
                   auth=(client_id, secret)).json()

    refreshed = _token(sandbox, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
                       auth=(client_id, secret))

    assert refreshed.status_code == 200, refreshed.text
    new = refreshed.json()
    assert new["refresh_token"] != first["refresh_token"]
    assert sandbox.am.gateway["access_tokens"][new["access_token"]]["aud"] == [MCP_URL]
    again = _token(sandbox, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
                   auth=(client_id, secret))
    assert again.json() == {"error": "invalid_grant", "error_description": "Refresh token is invalid"}
    widened = _token(sandbox, {"grant_type": "refresh_token", "refresh_token": new["refresh_token"],
                               "resource": "https://elsewhere.example.com/"}, auth=(client_id, secret))
    assert widened.json()["error"] == "invalid_target"


def test_userinfo_and_revocation(sandbox):
    client_id, secret = _web_client(sandbox, scopeSettings=[{"scope": "openid"}, {"scope": "email"}])
    sandbox.call_soon(lambda: _skip_consent(sandbox, client_id))
    code = _code(sandbox, client_id, scope="openid email")
    token = _token(sandbox, {"grant_type": "authorization_code", "code": code, "redirect_uri": LOOPBACK_REDIRECT},
                   auth=(client_id, secret)).json()["access_token"]
    service_id, service_secret = _service(sandbox, scopeSettings=[{"scope": "openid", "defaultScope": True}])
    service_token = _token(sandbox, {"grant_type": "client_credentials"},
                           auth=(service_id, service_secret)).json()["access_token"]

    info = requests.get(gateway_base(sandbox) + "/oidc/userinfo", headers={"Authorization": "Bearer " + token},
                        timeout=10)
    assert info.status_code == 200
    assert info.json()["sub"] == sandbox.seed["am_user"] and info.json()["email"] == "alice@example.com"
    not_user = requests.get(gateway_base(sandbox) + "/oidc/userinfo",
                            headers={"Authorization": "Bearer " + service_token}, timeout=10)
    assert not_user.status_code == 401
    assert not_user.json()["error_description"] == "The access token was not issued for an End-User"

    revoked = requests.post(gateway_base(sandbox) + "/oauth/revoke", data={"token": token}, auth=(client_id, secret),
                            timeout=10)
    assert revoked.status_code == 200
    assert _introspect(sandbox, token, (client_id, secret)).json() == {"active": False}


def _skip_consent(sandbox, client_id):
    app = next(a for a in sandbox.am.applications.values() if a["clientId"] == client_id)
    app["settings"]["advanced"] = {"skipConsent": True}
