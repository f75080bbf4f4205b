"""AM gateway and Client ID Metadata Documents (AM 4.12+): discovery says so, and a URL-shaped client id is
fetched over HTTPS and checked (client_id equals the URL, redirect URIs, no secret, trust policy)."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.sandbox.am.store import default_cimd_settings
from tests.sandbox_tests.am.gateway.helpers import (
    LOOPBACK_REDIRECT,
    add_application,
    gateway_base,
    pkce_pair,
    seeded_domain,
    update_domain,
)
from tests.support.cimd_documents import DocumentServer, client_document


@pytest.fixture
def documents(tmp_path, sandbox):
    server = DocumentServer(tmp_path)
    sandbox.config.am_gateway_ca_path = server.ca_path
    yield server
    server.close()


def enable_cimd(sandbox, **settings):
    template_id, _ = add_application(sandbox, app_type="native", tokenEndpointAuthMethod="none",
                                     grantTypes=["authorization_code", "refresh_token"], redirectUris=["https://x.y/"])
    template = next(a for a in sandbox.am.applications.values() if a["clientId"] == template_id)
    sandbox.call_soon(lambda: template.update(template=True))
    settings = {**default_cimd_settings(), "enabled": True, "allowPrivateIpAddress": True,
                "templateId": template["id"], **settings}
    update_domain(sandbox, "oidc", cimdSettings=settings)


def eventually(probe, done, timeout=5.0):
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if done(result) or time.monotonic() > deadline:
            return result
        time.sleep(0.1)


def error_of(answer):
    """AM sends authorize errors for an untrusted client to its error page."""
    query = parse_qs(urlsplit(answer.headers.get("location", "")).query)
    return {k: v[0] for k, v in query.items() if k in ("error", "error_description")}


def authorize(sandbox, client_id, redirect_uri=LOOPBACK_REDIRECT):
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "state": "st",
              "code_challenge": pkce_pair()[1], "code_challenge_method": "S256"}
    return requests.get(gateway_base(sandbox) + "/oauth/authorize", params=params, allow_redirects=False, timeout=10)


def discovery(sandbox):
    return requests.get(gateway_base(sandbox) + "/oidc/.well-known/openid-configuration", timeout=10).json()


def publish(documents, path, **overrides):
    url = documents.url(path)
    documents.documents[path] = client_document(url, LOOPBACK_REDIRECT, **overrides)
    return url


def test_discovery_advertises_cimd_only_when_enabled(sandbox):
    assert "client_id_metadata_document_supported" not in discovery(sandbox)
    enable_cimd(sandbox)
    doc = eventually(lambda: discovery(sandbox), lambda d: "client_id_metadata_document_supported" in d)
    assert doc["client_id_metadata_document_supported"] is True


def test_a_valid_document_leads_to_the_login_page(sandbox, documents):
    enable_cimd(sandbox)
    url = publish(documents, "/good.json")
    answer = eventually(lambda: authorize(sandbox, url), lambda r: r.status_code == 302)
    assert answer.status_code == 302 and "/login?" in answer.headers["location"], answer.text


@pytest.mark.parametrize("path, overrides, error", [
    ("/other-id.json", {"client_id": "https://elsewhere.example.com/doc.json"}, "does not match requested client_id"),
    ("/secret.json", {"client_secret": "x"}, "client_secret metadata is not allowed"),
    ("/basic.json", {"token_endpoint_auth_method": "client_secret_basic"}, "Secret-based"),
    ("/no-redirects.json", {"redirect_uris": []}, "Missing or invalid redirect_uris."),
])
def test_bad_documents_are_refused(sandbox, documents, path, overrides, error):
    enable_cimd(sandbox)
    url = publish(documents, path, **overrides)
    answer = eventually(lambda: authorize(sandbox, url),
                        lambda r: error_of(r).get("error") == "invalid_client_metadata")
    assert error_of(answer)["error"] == "invalid_client_metadata" and error in error_of(answer)["error_description"]


def test_a_redirect_uri_outside_the_document_is_refused(sandbox, documents):
    enable_cimd(sandbox)
    url = publish(documents, "/good.json")
    answer = eventually(lambda: authorize(sandbox, url, "http://127.0.0.1:9/other"),
                        lambda r: error_of(r).get("error") == "redirect_uri_mismatch")
    assert error_of(answer)["error"] == "redirect_uri_mismatch"


def test_trust_policy_private_addresses_http_and_allowed_domains(sandbox, documents):
    enable_cimd(sandbox, allowPrivateIpAddress=False)
    url = publish(documents, "/good.json")
    private = eventually(lambda: authorize(sandbox, url),
                         lambda r: "private" in error_of(r).get("error_description", ""))
    assert "private or reserved IP address" in error_of(private)["error_description"]

    update_domain(sandbox, "oidc", cimdSettings={**seeded_domain(sandbox)["oidc"]["cimdSettings"],
                                                 "allowPrivateIpAddress": True, "allowedDomains": ["example.com"]})
    elsewhere = eventually(lambda: authorize(sandbox, url),
                           lambda r: "allowed" in error_of(r).get("error_description", ""))
    assert error_of(elsewhere)["error_description"] == "client_id host is not in allowed domains."

    plain = authorize(sandbox, "http://localhost:9/doc.json")
    assert error_of(plain)["error_description"] == "Unsecured HTTP client_id is not allowed."
