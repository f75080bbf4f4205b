"""Wire facts of AM's management API and gateway, written once and run against both the sandbox and a real AM.

Each check takes a target (``urls`` + ``seed``) and asserts one wire fact. test_am_checks_sandbox.py runs
them on the sandbox (so a check is known to encode its fact); test_am_checks_live.py runs the same functions
on a real AM, where a failure is a real-vs-sandbox difference to fix in the sandbox and the modules.
Names carry a random suffix so repeated runs on a persistent real AM do not collide.
"""

import time
import uuid

import requests

from tests.live.seed import am_token, wait_for_domain_on_gateway


class Am:
    """A thin management client: the token once, paths built from the seed's organization and environment."""

    def __init__(self, target):
        self.url = target.urls["am_url"]
        self.gateway = target.urls["am_gateway_url"]
        self.seed = target.seed
        self.token = am_token(self.url, self.seed)
        self.env_path = (f"{self.url}/management/organizations/{self.seed['am_org']}"
                         f"/environments/{self.seed['am_env']}")

    def call(self, method, path, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return requests.request(method, self.env_path + path, headers=headers, timeout=30, **kwargs)

    def new_domain(self, enabled=True):
        name = "live-" + uuid.uuid4().hex[:8]
        created = self.call("POST", "/domains", json={"name": name, "dataPlaneId": "default"})
        assert created.status_code == 201, created.text
        domain = created.json()
        if enabled:
            patched = self.call("PATCH", f"/domains/{domain['id']}", json={"enabled": True})
            assert patched.status_code == 200, patched.text
            domain = patched.json()
        return domain


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def check_token_exchange(target):
    seed = target.seed
    url = f"{target.urls['am_url']}/management/auth/token"
    good = requests.post(url, auth=(seed["am_username"], seed["am_password"]), timeout=30)
    assert good.status_code == 200, good.text
    body = good.json()
    assert body["token_type"] == "bearer"
    assert body["access_token"].count(".") == 2, "a JWT"
    assert isinstance(body["expires_at"], str)
    bad = requests.post(url, auth=(seed["am_username"], "not-the-password"), timeout=30)
    assert bad.status_code == 401


def check_domain_create_rules(target):
    am = Am(target)
    missing_plane = am.call("POST", "/domains", json={"name": unique("live")})
    assert missing_plane.status_code == 400
    assert "dataPlaneId" in missing_plane.json()["message"]
    unknown = am.call("POST", "/domains", json={"name": unique("live"), "dataPlaneId": "default", "foo": 1})
    assert unknown.status_code == 400
    assert unknown.json() == {"message": "Property [foo] is not recognized as a valid property", "http_status": 400}
    domain = am.new_domain(enabled=False)
    assert domain["enabled"] is False
    assert domain["path"] == "/" + domain["hrid"]
    clash = am.call("POST", "/domains", json={"name": domain["name"], "dataPlaneId": "default"})
    assert clash.status_code == 400
    assert clash.json()["message"] == f"A domain [{domain['name']}] already exists."
    by_hrid = am.call("GET", f"/domains/_hrid/{domain['hrid']}")
    assert by_hrid.status_code == 200 and by_hrid.json()["id"] == domain["id"]
    empty = am.call("PATCH", f"/domains/{domain['id']}", json={})
    assert empty.status_code == 400


def check_dcr_settings_use_the_is_field_names(target):
    am = Am(target)
    domain = am.new_domain()
    wrong = am.call("PATCH", f"/domains/{domain['id']}",
                    json={"oidc": {"clientRegistrationSettings": {"dynamicClientRegistrationEnabled": True}}})
    assert wrong.status_code == 400
    assert "dynamicClientRegistrationEnabled" in wrong.json()["message"]
    right = am.call("PATCH", f"/domains/{domain['id']}", json={"oidc": {"clientRegistrationSettings": {
        "isDynamicClientRegistrationEnabled": True, "isOpenDynamicClientRegistrationEnabled": True,
        "allowLocalhostRedirectUri": True, "allowHttpSchemeRedirectUri": True}}})
    assert right.status_code == 200, right.text
    settings = right.json()["oidc"]["clientRegistrationSettings"]
    assert settings["isDynamicClientRegistrationEnabled"] is True
    assert settings["isOpenDynamicClientRegistrationEnabled"] is True


def check_mcp_server_secret_is_shown_once(target):
    am = Am(target)
    domain = am.new_domain(enabled=False)
    path = f"/domains/{domain['id']}/protected-resources"
    identifier = f"https://apim.example.com/{unique('MCP')}"
    created = am.call("POST", path, json={"name": "Live MCP", "type": "MCP_SERVER",
                                          "resourceIdentifiers": [identifier]})
    assert created.status_code == 201, created.text
    body = created.json()
    assert set(body) == {"id", "name", "clientId", "clientSecret"}
    fetched = am.call("GET", f"{path}/{body['id']}", params={"type": "MCP_SERVER"})
    assert fetched.status_code == 200
    resource = fetched.json()
    assert "clientSecret" not in resource
    assert resource["type"].lower() == "mcp_server"
    assert resource["resourceIdentifiers"] == [identifier.lower()]
    listed = am.call("GET", path, params={"type": "MCP_SERVER", "page": 0, "size": 50})
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["data"]] == [body["id"]]
    assert all("clientSecret" not in r for r in listed.json()["data"])
    for where in (path, f"{path}/{body['id']}"):
        # type is required; real AM 4.10.8 and 4.11.1 fail without it with an unmapped 500, not a 400.
        untyped = am.call("GET", where)
        assert (untyped.status_code, untyped.json()) == (500, {"message": "Internal error", "http_status": 500}), \
            untyped.text
    clash = am.call("POST", path, json={"name": "Other", "type": "MCP_SERVER", "resourceIdentifiers": [identifier]})
    assert clash.status_code == 400
    assert clash.json()["message"] == "Resource identifier already exists"
    wrong_type = am.call("POST", path, json={"name": "X", "type": "mcp_server",
                                             "resourceIdentifiers": ["https://other.example.com/x"]})
    assert wrong_type.status_code == 400
    deleted = am.call("DELETE", f"{path}/{body['id']}", params={"type": "MCP_SERVER"})
    assert deleted.status_code == 204


def check_discovery_and_open_dcr_at_the_gateway(target):
    am = Am(target)
    domain = am.new_domain()
    patched = am.call("PATCH", f"/domains/{domain['id']}", json={"oidc": {"clientRegistrationSettings": {
        "isDynamicClientRegistrationEnabled": True, "isOpenDynamicClientRegistrationEnabled": True,
        "allowLocalhostRedirectUri": True, "allowHttpSchemeRedirectUri": True}}})
    assert patched.status_code == 200, patched.text
    base = am.gateway + domain["path"]
    wait_for_domain_on_gateway(am.gateway, domain)
    discovery = requests.get(base + "/oidc/.well-known/openid-configuration", timeout=30).json()
    assert discovery["issuer"] == base + "/oidc"
    assert discovery["registration_endpoint"] == base + "/oidc/register"
    assert discovery["token_endpoint"] == base + "/oauth/token"
    assert discovery["introspection_endpoint"] == base + "/oauth/introspect"
    assert "S256" in discovery["code_challenge_methods_supported"]
    assert "urn:ietf:params:oauth:grant-type:device_code" not in discovery["grant_types_supported"]
    rfc8414 = requests.get(f"{am.gateway}/.well-known/oauth-authorization-server{domain['path']}/oidc", timeout=30)
    assert rfc8414.status_code == 404
    registration = {"client_name": "live-dcr", "redirect_uris": ["http://127.0.0.1:33418/"],
                    "grant_types": ["authorization_code", "refresh_token"], "token_endpoint_auth_method": "none"}
    registered = None
    for _ in range(30):  # the DCR settings reach the gateway on its next sync
        registered = requests.post(discovery["registration_endpoint"], json=registration, timeout=30)
        if registered.status_code != 403:
            break
        time.sleep(1)
    assert registered.status_code == 201, registered.text
    client = registered.json()
    for key in ("client_id", "registration_access_token", "registration_client_uri"):
        assert client.get(key), key


def check_login_settings_are_replaced_and_registration_settings_merged(target):
    """Measured on AM 4.10.8 and 4.11.1: PATCH replaces loginSettings whole (keys not sent become false) but
    merges oidc.clientRegistrationSettings key by key."""
    am = Am(target)
    domain = am.new_domain(enabled=False)
    path = f"/domains/{domain['id']}"
    first = am.call("PATCH", path, json={"loginSettings": {"registerEnabled": True, "hideForm": True}})
    assert first.status_code == 200, first.text
    login = am.call("PATCH", path, json={"loginSettings": {"forgotPasswordEnabled": True}}).json()["loginSettings"]
    assert (login["forgotPasswordEnabled"], login["registerEnabled"], login["hideForm"]) == (True, False, False)
    for flag in ("allowLocalhostRedirectUri", "allowHttpSchemeRedirectUri"):
        answer = am.call("PATCH", path, json={"oidc": {"clientRegistrationSettings": {flag: True}}})
        assert answer.status_code == 200, answer.text
    settings = answer.json()["oidc"]["clientRegistrationSettings"]
    assert settings["allowLocalhostRedirectUri"] is True and settings["allowHttpSchemeRedirectUri"] is True
    assert am.call("DELETE", path).status_code == 204


CHECKS = [check_token_exchange, check_domain_create_rules, check_dcr_settings_use_the_is_field_names,
          check_login_settings_are_replaced_and_registration_settings_merged,
          check_mcp_server_secret_is_shown_once, check_discovery_and_open_dcr_at_the_gateway]
