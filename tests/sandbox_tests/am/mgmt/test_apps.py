"""AM management API: applications, the manual (non-DCR) path (ApplicationsResource.java)."""

from tests.sandbox_tests.am.mgmt.helpers import AmClient, assert_error

UNKNOWN = "Property [{}] is not recognized as a valid property"
VSCODE = {"name": "vscode-mcp", "type": "NATIVE", "clientId": "vscode-mcp",
          "redirectUris": ["http://127.0.0.1:33418/", "https://vscode.dev/redirect"]}


def _create(client, **body):
    answer = client.post(client.d("/applications"), json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_redirect_uris_follow_the_domain_flags(sandbox):
    client = AmClient(sandbox)
    path = client.d("/applications")
    assert_error(client.post(path, json=VSCODE), 400, "localhost is forbidden")
    client.patch(client.d(), json={"oidc": {"clientRegistrationSettings": {"allowLocalhostRedirectUri": True}}})
    assert_error(client.post(path, json=VSCODE), 400, "Unsecured http scheme is forbidden")
    client.allow_local_redirects()
    assert client.post(path, json=VSCODE).status_code == 201
    for uri, message in (("https://*.example.com/cb", "Wildcard are forbidden"),
                         ("https://app.example.com/cb#frag", "redirect_uri with fragment is forbidden"),
                         ("not a uri", "redirect_uri : not a uri is malformed")):
        body = {"name": "web", "type": "WEB", "redirectUris": [uri]}
        assert_error(client.post(path, json=body), 400, message)
    # Custom schemes are not restricted; native apps need at least one redirect URI.
    assert _create(client, name="cursor", type="native", redirectUris=["cursor://anysphere.cursor/oauth"])
    assert_error(client.post(path, json={"name": "n", "type": "NATIVE"}), 400, "At least one redirect_uri is required")


def test_native_is_a_public_client_and_the_secret_is_shown_once(sandbox):
    client = AmClient(sandbox)
    client.allow_local_redirects()
    answer = client.post(client.d("/applications"), json=VSCODE)
    assert answer.status_code == 201
    assert answer.headers["Location"].endswith(f"/applications/{answer.json()['id']}")
    app = answer.json()
    oauth = app["settings"]["oauth"]
    assert app["type"] == "native" and oauth["clientId"] == "vscode-mcp"
    assert (oauth["tokenEndpointAuthMethod"], oauth["clientType"], oauth["forcePKCE"]) == ("none", "public", True)
    assert oauth["grantTypes"] == ["authorization_code"] and "code" in oauth["responseTypes"]
    assert oauth["redirectUris"] == VSCODE["redirectUris"]
    secret = oauth["clientSecret"]
    fetched = client.get(client.d(f"/applications/{app['id']}"))
    assert fetched.status_code == 200 and secret not in fetched.text
    assert "clientSecret" not in fetched.json()["settings"]["oauth"]
    assert [s["name"] for s in fetched.json()["secrets"]] == ["Default"]
    stored = sandbox.am.applications[app["id"]]
    assert stored["clientId"] == "vscode-mcp" and stored["_domain"] == client.domain_id
    assert sandbox.am.find_client(client.domain_id, "vscode-mcp") == ("application", stored)
    assert "identityProviders" not in fetched.json()  # MAPI-created apps get no identity provider


def test_types_and_their_defaults(sandbox):
    client = AmClient(sandbox)
    web = _create(client, name="web", type="web", redirectUris=["https://app.example.com/cb"])["settings"]["oauth"]
    assert (web["clientType"], web["tokenEndpointAuthMethod"]) == ("confidential", "client_secret_basic")
    assert web["grantTypes"] == ["authorization_code", "password"]
    browser = _create(client, name="spa", type="Browser", redirectUris=["https://spa.example.com/cb"])
    assert browser["settings"]["oauth"]["tokenEndpointAuthMethod"] == "none"
    service = _create(client, name="svc", type="SERVICE")["settings"]["oauth"]
    assert service["grantTypes"] == ["client_credentials"] and service["responseTypes"] == []
    server = _create(client, name="rs", type="RESOURCE_SERVER", redirectUris=["https://rs.example.com/cb"])
    assert server["type"] == "resource_server"
    assert "client_credentials" in server["settings"]["oauth"]["grantTypes"]
    assert_error(client.post(client.d("/applications"), json={"name": "x", "type": "ROBOT"}), 400, "Malformed json")
    assert_error(client.post(client.d("/applications"), json={"name": "x"}), 400, "[type: must not be null]")
    assert_error(client.post(client.d("/applications"), json={"name": "x", "type": "WEB", "grantTypes": []}), 400,
                 UNKNOWN.format("grantTypes"))
    sandbox.config.am_version = "4.10.20"
    assert_error(client.post(client.d("/applications"), json={"name": "a", "type": "AGENT"}), 400, "Malformed json")


def test_client_ids_are_unique_in_the_domain(sandbox):
    client = AmClient(sandbox)
    _create(client, name="one", type="SERVICE", clientId="svc")
    assert_error(client.post(client.d("/applications"), json={"name": "two", "type": "SERVICE", "clientId": "svc"}),
                 400, f"A client [svc] already exists for domain [{client.domain_id}]")


def test_list_and_search(sandbox):
    client = AmClient(sandbox)
    for name, client_id in (("Weather App", "weather"), ("Maps App", "maps")):
        _create(client, name=name, type="SERVICE", clientId=client_id)
    path = client.d("/applications")
    page = client.get(path).json()
    assert page["totalCount"] == 2
    assert set(page["data"][0]) == {"id", "name", "type", "enabled", "template", "updatedAt"}

    def found(query):
        return [a["name"] for a in client.get(path, params={"q": query}).json()["data"]]

    assert found("weather") == ["Weather App"]  # clientId
    assert found("maps app") == ["Maps App"]  # name, case-insensitive
    assert found("ma*") == ["Maps App"]
    entry = client.get(path, params={"q": "maps", "expand": "clientId"}).json()["data"][0]
    assert entry["clientId"] == "maps"


def test_patch_grants_and_identity_provider(sandbox):
    client = AmClient(sandbox)
    client.allow_local_redirects()
    app = _create(client, **VSCODE)
    path = client.d(f"/applications/{app['id']}")
    idp = f"default-idp-{client.domain_id}"
    answer = client.patch(path, json={
        "settings": {"oauth": {"grantTypes": ["authorization_code", "refresh_token"]}},
        "identityProviders": [{"identity": idp, "priority": 0}, {"identity": "missing-idp", "priority": 1}]})
    assert answer.status_code == 200, answer.text
    patched = answer.json()
    assert patched["settings"]["oauth"]["grantTypes"] == ["authorization_code", "refresh_token"]
    assert patched["identityProviders"] == [{"identity": idp, "priority": 0}]  # unknown providers are dropped
    assert patched["settings"]["oauth"]["redirectUris"] == VSCODE["redirectUris"]
    stored = sandbox.am.applications[app["id"]]["settings"]["oauth"]
    assert stored["grantTypes"] == ["authorization_code", "refresh_token"]


def test_patch_rules(sandbox):
    client = AmClient(sandbox)
    app = _create(client, name="spa", type="BROWSER", redirectUris=["https://spa.example.com/cb"])
    path = client.d(f"/applications/{app['id']}")
    assert_error(client.patch(path, json={}), 400, "You need to specify at least one value to update.")
    assert_error(client.patch(path, json={"settings": {"oauth": {"grantTypes": ["refresh_token"]}}}), 400,
                 "refresh_token grant type must be associated with one of authorization_code, password, "
                 "urn:ietf:params:oauth:grant-type:jwt-bearer")
    assert_error(client.patch(path, json={"settings": {"oauth": {"grantTypes": ["device_code"]}}}), 400,
                 "Missing or invalid grant type.")
    assert_error(client.patch(path, json={"settings": {"oauth": {
        "grantTypes": ["authorization_code", "client_credentials"]}}}), 400,
        "Invalid token_endpoint_auth_method for service application (client_credentials grant type)")
    assert_error(client.patch(path, json={"settings": {"oauth": {"redirectUris": ["http://localhost:8080/cb"]}}}),
                 400, "localhost is forbidden")
    assert_error(client.patch(path, json={"settings": {"saml": {}}}), 400, UNKNOWN.format("saml"))
    assert client.patch(path, json={"name": "renamed"}).json()["settings"]["oauth"]["clientName"] == "renamed"
    assert_error(client.get(client.d("/applications/nope")), 404, "Application [nope] can not be found.")


def test_delete(sandbox):
    client = AmClient(sandbox)
    app = _create(client, name="svc", type="SERVICE", clientId="svc")
    assert client.delete(client.d(f"/applications/{app['id']}")).status_code == 204
    assert_error(client.delete(client.d(f"/applications/{app['id']}")), 404,
                 f"Application [{app['id']}] can not be found.")
    assert sandbox.am.find_client(client.domain_id, "svc") == (None, None)
