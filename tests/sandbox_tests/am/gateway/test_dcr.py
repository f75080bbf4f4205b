"""AM gateway Dynamic Client Registration: the domain flags, AM's validation messages, RFC 7592 clean-up."""

import requests

from tests.sandbox_tests.am.gateway.helpers import (
    LOOPBACK_REDIRECT,
    add_application,
    gateway_base,
    open_dcr,
    register,
    seeded_domain,
    update_domain,
)

VSCODE_BODY = {
    "client_name": "Visual Studio Code", "client_uri": "https://code.visualstudio.com",
    "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
    "redirect_uris": ["https://insiders.vscode.dev/redirect", "https://vscode.dev/redirect", "http://127.0.0.1/",
                      "http://127.0.0.1:33418/"],
    "token_endpoint_auth_method": "none", "application_type": "native",
}


def _dcr_admin_token(sandbox, scope="dcr_admin"):
    client_id, secret = add_application(sandbox, grantTypes=["client_credentials"], app_type="service",
                                        scopeSettings=[{"scope": scope, "defaultScope": True}])
    response = requests.post(gateway_base(sandbox) + "/oauth/token", data={"grant_type": "client_credentials"},
                             auth=(client_id, secret), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def test_dcr_off_is_registration_forbidden(sandbox):
    response = register(sandbox, {"redirect_uris": ["https://client.example.org/cb"]})

    assert response.status_code == 403
    assert response.json() == {"error": "registration_forbidden",
                               "error_description": "Not allowed to access to this resource."}


def test_open_flag_alone_does_not_open_registration(sandbox):
    update_domain(sandbox, "dcr", isOpenDynamicClientRegistrationEnabled=True)

    assert register(sandbox, {"redirect_uris": ["https://client.example.org/cb"]}).status_code == 403


def test_dcr_on_but_not_open_needs_a_dcr_admin_client_token(sandbox):
    update_domain(sandbox, "dcr", isDynamicClientRegistrationEnabled=True)
    body = {"redirect_uris": ["https://client.example.org/cb"]}

    missing = register(sandbox, body)
    assert missing.status_code == 401
    assert missing.json()["error"] == "invalid_token"
    assert missing.headers["www-authenticate"] == 'Bearer realm="gravitee-io"'

    bogus = register(sandbox, body, token="wrong-token")
    assert bogus.status_code == 401
    assert bogus.json() == {"error": "invalid_token", "error_description": "The access token is invalid"}

    weak = register(sandbox, body, token=_dcr_admin_token(sandbox, scope="openid"))
    assert weak.status_code == 403
    assert weak.json() == {"error": "insufficient_scope", "error_description": "Invalid access token scopes. "
                           "The access token should have at least 'dcr_admin' scope"}

    assert register(sandbox, body, token=_dcr_admin_token(sandbox)).status_code == 201


def test_open_dcr_registers_a_vscode_public_client(sandbox):
    open_dcr(sandbox)

    response = register(sandbox, VSCODE_BODY)

    assert response.status_code == 201, response.text
    client = response.json()
    assert client["client_id"] and client["client_secret"]  # AM generates a secret even for "none"
    assert client["token_endpoint_auth_method"] == "none"
    assert client["application_type"] == "native"
    assert client["grant_types"] == ["authorization_code", "refresh_token"]
    assert client["redirect_uris"] == VSCODE_BODY["redirect_uris"]
    assert client["registration_client_uri"] == gateway_base(sandbox) + "/oidc/register/" + client["client_id"]
    assert client["registration_access_token"]
    stored = [a for a in sandbox.am.applications.values() if a["clientId"] == client["client_id"]]
    assert len(stored) == 1 and stored[0]["type"] == "native"
    domain_id = seeded_domain(sandbox)["id"]
    assert stored[0]["identityProviders"][0]["identity"] == "default-idp-" + domain_id
    assert sandbox.am.secret_matches(stored[0], client["client_secret"])


def test_defaults_of_a_minimal_registration(sandbox):
    open_dcr(sandbox)

    client = register(sandbox, {"redirect_uris": ["https://client.example.org/cb"]}).json()

    assert client["client_name"] == "Unknown Client"
    assert client["application_type"] == "web"
    assert client["grant_types"] == ["authorization_code"]
    assert client["response_types"] == ["code"]
    assert client["token_endpoint_auth_method"] == "client_secret_basic"


def test_redirect_uri_rules_follow_the_domain_flags(sandbox):
    open_dcr(sandbox, localhost=False)

    def error_of(uris):
        response = register(sandbox, {"redirect_uris": uris})
        assert response.status_code == 400, response.text
        assert response.json()["error"] == "invalid_redirect_uri"
        return response.json()["error_description"]

    assert error_of(["http://127.0.0.1:33418/"]) == "localhost is forbidden"
    assert error_of(["http://client.example.org/cb"]) == "Unsecured http scheme is forbidden"
    assert error_of(["https://client.example.org/*/cb"]) == "Wildcard are forbidden"
    assert error_of(["https://client.example.org/cb#frag"]) == "redirect_uri with fragment is forbidden"
    assert error_of(["no_scheme"]) == "redirect_uri : no_scheme is malformed"
    assert error_of([]) == "At least one redirect_uri is required"
    missing = register(sandbox, {"client_name": "x"})
    assert missing.json() == {"error": "invalid_redirect_uri", "error_description": "Missing or invalid redirect_uris."}

    update_domain(sandbox, "dcr", allowLocalhostRedirectUri=True)
    assert error_of(["http://127.0.0.1:33418/"]) == "Unsecured http scheme is forbidden"
    update_domain(sandbox, "dcr", allowHttpSchemeRedirectUri=True)
    assert register(sandbox, {"redirect_uris": [LOOPBACK_REDIRECT]}).status_code == 201
    assert register(sandbox, {"redirect_uris": ["cursor://anysphere.cursor-retrieval/oauth/callback"]}).status_code \
        == 201


def test_grant_types_outside_the_allow_list_are_refused(sandbox):
    open_dcr(sandbox)
    for grants in (["urn:ietf:params:oauth:grant-type:device_code"], ["unknown"], []):
        response = register(sandbox, {"redirect_uris": ["https://c.example.org/cb"], "grant_types": grants})
        assert response.status_code == 400
        assert response.json() == {"error": "invalid_client_metadata",
                                   "error_description": "Missing or invalid grant type."}


def test_scopes_must_be_domain_scopes_split_on_single_spaces(sandbox):
    open_dcr(sandbox)
    ok = register(sandbox, {"redirect_uris": ["https://c.example.org/cb"], "scope": "openid offline_access"})
    assert ok.status_code == 201 and ok.json()["scope"] == "openid offline_access"

    unknown = register(sandbox, {"redirect_uris": ["https://c.example.org/cb"], "scope": "mcp"})
    assert unknown.json() == {"error": "invalid_client_metadata", "error_description": "scope mcp is not valid."}

    # What the MCP SDK 2.3.0 sends when the protected resource lists no scopes: AM's Java split keeps "".
    leading_space = register(sandbox, {"redirect_uris": ["https://c.example.org/cb"], "scope": " offline_access"})
    assert leading_space.status_code == 400
    assert leading_space.json()["error_description"] == "scope  is not valid."


def test_public_client_cannot_use_client_credentials(sandbox):
    open_dcr(sandbox)
    response = register(sandbox, {"redirect_uris": ["https://c.example.org/cb"], "token_endpoint_auth_method": "none",
                                  "grant_types": ["client_credentials"]})
    assert response.status_code == 400
    assert response.json()["error_description"] == ("Invalid token_endpoint_auth_method for service application "
                                                     "(client_credentials grant type)")


def test_registration_token_reads_and_deletes_the_client(sandbox):
    open_dcr(sandbox)
    client = register(sandbox, VSCODE_BODY).json()
    uri = client["registration_client_uri"]
    auth = {"Authorization": "Bearer " + client["registration_access_token"]}

    read = requests.get(uri, headers=auth, timeout=10)
    assert read.status_code == 200
    assert read.json()["client_id"] == client["client_id"]
    assert "registration_access_token" not in read.json() and "client_secret" not in read.json()

    other = register(sandbox, VSCODE_BODY).json()
    foreign = requests.get(other["registration_client_uri"], headers=auth, timeout=10)
    assert foreign.status_code == 403, "one client's registration token must not read another client"

    assert requests.delete(uri, headers=auth, timeout=10).status_code == 204
    assert not [a for a in sandbox.am.applications.values() if a["clientId"] == client["client_id"]]
    assert requests.get(uri, headers=auth, timeout=10).status_code == 401
    assert requests.get(uri, timeout=10).status_code == 401


def test_register_takes_json_only(sandbox):
    open_dcr(sandbox)
    response = requests.post(gateway_base(sandbox) + "/oidc/register", data={"redirect_uris": "https://c.example/cb"},
                             timeout=10)
    assert response.status_code == 415
