"""Helpers for the AM gateway tests: store set-up (through the sandbox loop) and a form-filling browser.

The management API is tested elsewhere; these tests change the AM store directly, the way the
gateway would see it after a sync.
"""

import base64
import hashlib
import secrets
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

from tests.sandbox.am.store import default_oauth_settings, new_id, now_ms

LOOPBACK_REDIRECT = "http://127.0.0.1:33418/callback"


def gateway_base(sandbox, domain_path=None):
    return sandbox.urls["am_gateway_url"] + "/" + (domain_path or sandbox.seed["am_domain"])


def seeded_domain(sandbox):
    return sandbox.am.domain_by_path(sandbox.seed["am_domain"])


def update_domain(sandbox, section, **values):
    """Change ``oidc.clientRegistrationSettings`` ("dcr"), ``oidc`` ("oidc"), ``loginSettings`` ("login") or the
    domain itself (None)."""
    def change():
        domain = seeded_domain(sandbox)
        if section == "dcr":
            domain["oidc"]["clientRegistrationSettings"].update(values)
        elif section == "oidc":
            domain["oidc"].update(values)
        elif section == "login":
            domain.setdefault("loginSettings", {}).update(values)
        else:
            domain.update(values)
    sandbox.call_soon(change)


def open_dcr(sandbox, localhost=True):
    update_domain(sandbox, "dcr", isDynamicClientRegistrationEnabled=True, isOpenDynamicClientRegistrationEnabled=True,
                  allowLocalhostRedirectUri=localhost, allowHttpSchemeRedirectUri=localhost)


def add_application(sandbox, *, client_id=None, secret="app-s3cret", app_type="web", idp=True, **oauth):
    """An application as the management API stores it; returns (client_id, secret)."""
    client_id = client_id or "app-" + secrets.token_hex(4)
    domain = seeded_domain(sandbox)
    oauth.setdefault("grantTypes", ["authorization_code"])
    oauth.setdefault("responseTypes", ["code"])
    oauth.setdefault("tokenEndpointAuthMethod", "client_secret_basic")
    oauth.setdefault("redirectUris", [])
    app = {
        "id": new_id(), "name": client_id, "type": app_type, "domain": domain["id"], "enabled": True,
        "template": False, "identityProviders": [{"identity": "default-idp-" + domain["id"], "priority": 0}] if idp
        else [], "createdAt": now_ms() - 60_000, "updatedAt": now_ms() - 60_000,
        "settings": {"oauth": default_oauth_settings(clientId=client_id, clientName=client_id, **oauth)},
        "clientId": client_id, "_domain": domain["id"], "_secrets": [sandbox.am.new_secret_record(secret)],
    }
    sandbox.call_soon(lambda: sandbox.am.applications.__setitem__(app["id"], app))
    return client_id, secret


def add_mcp_server(sandbox, identifiers, *, client_id=None, secret="s3cret", features=None, fresh=False):
    """A protected resource (MCP server); ``fresh`` makes it look just written by the management API."""
    domain = seeded_domain(sandbox)
    stamp = now_ms() if fresh else now_ms() - 60_000
    resource = {"id": new_id(), "name": "MCP server", "clientId": client_id or "mcp-" + secrets.token_hex(4),
                "_domain": domain["id"], "_secrets": [sandbox.am.new_secret_record(secret)],
                "resourceIdentifiers": list(identifiers), "type": "mcp_server", "features": features or [],
                "updatedAt": stamp, "_createdAt": stamp}
    sandbox.call_soon(lambda: sandbox.am.protected_resources.__setitem__(resource["id"], resource))
    return resource["clientId"], secret


def pkce_pair():
    verifier = secrets.token_urlsafe(64)[:96]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def register(sandbox, body, token=None):
    headers = {"Authorization": "Bearer " + token} if token else {}
    return requests.post(gateway_base(sandbox) + "/oidc/register", json=body, headers=headers, timeout=10)


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self.links = [], {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "method": (attrs.get("method") or "get").lower(),
                               "fields": [], "buttons": []})
        elif tag == "a" and attrs.get("href"):
            self.links[attrs.get("id") or attrs["href"]] = attrs["href"]
        elif tag in ("input", "button") and self.forms:
            kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
            target = self.forms[-1]["buttons" if kind == "submit" else "fields"]
            target.append({"name": attrs.get("name"), "value": attrs.get("value") or "", "type": kind,
                           "checked": "checked" in attrs})


def parse_page(html):
    parser = _Forms()
    parser.feed(html)
    return parser


class FormBrowser:
    """A headless browser: follows redirects, signs in, consents or denies."""

    def __init__(self, username, password, redirect_uri, approve=True):
        self.http = requests.Session()
        self.username, self.password, self.redirect_uri, self.approve = username, password, redirect_uri, approve
        self.steps = []

    def run(self, url, max_steps=12):
        """Returns the query of the final redirect to ``redirect_uri`` (dict of lists)."""
        response = self.http.get(url, allow_redirects=False, timeout=10)
        for _ in range(max_steps):
            self.steps.append((response.request.method, response.request.url.split("?")[0], response.status_code))
            if response.is_redirect:
                location = urljoin(response.request.url, response.headers["location"])
                if location.startswith(self.redirect_uri):
                    return parse_qs(urlsplit(location).query)
                response = self.http.get(location, allow_redirects=False, timeout=10)
                continue
            if response.status_code != 200 or "<form" not in response.text:
                raise AssertionError(f"stuck at {response.request.url}: {response.status_code} {response.text[:300]}")
            response = self.submit(response)
        raise AssertionError(f"no redirect to {self.redirect_uri} after {self.steps}")

    def submit(self, response):
        form = parse_page(response.text).forms[0]
        data = {}
        for field in form["fields"]:
            if field["type"] == "password":
                data[field["name"]] = self.password
            elif field["name"] == "username":
                data[field["name"]] = self.username
            elif field["type"] != "checkbox" or field["checked"]:
                data[field["name"]] = field["value"]
        wanted = "true" if self.approve else "false"
        for button in form["buttons"]:
            if button["name"] and button["value"] == wanted:
                data[button["name"]] = button["value"]
        target = urljoin(response.request.url, form["action"])
        return self.http.post(target, data=data, allow_redirects=False, timeout=10)
