# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""The checks that need no user (challenge to bogus_token): each takes the probe's state, keeps
what later checks need on it, and returns a :class:`Check`."""

from __future__ import annotations

import json

from . import causes
from .checks import Check
from .discovery import (
    as_metadata_urls,
    bearer_challenge,
    is_absolute_http_url,
    issuer_matches,
    prm_urls,
    resource_matches,
)
from .jsonrpc import PROTOCOL_VERSION, VERSION_HEADER, McpSession

BOGUS_TOKEN = "gravitee-mcp-probe-made-up-token"
PROXY_EXPECTATION = ("401 (api_type=proxy: a Bearer challenge with resource_metadata is optional; the metadata is "
                     "then read at <url>/.well-known/oauth-protected-resource)")
METADATA_HEADERS = {"Accept": "application/json", VERSION_HEADER: PROTOCOL_VERSION}


def _tried(attempts):
    return ", ".join("%s at %s" % (status if status is not None else "no answer", url) for url, status in attempts)


def unexpected_answer(name, answer, cause):
    """A failed check for an MCP answer with the wrong status; a redirect gets its own cause."""
    location = answer.headers.get("Location")
    if 300 <= answer.status < 400 and location:
        return Check.failed(name, "%s redirect to %s" % (answer.status, location), causes.redirect_cause(location))
    return Check.failed(name, "%s: %s" % (answer.status, answer.snippet()), cause)


def check_challenge(state):
    """Unauthenticated ``initialize``: 401 with a Bearer challenge carrying ``resource_metadata``."""
    session = state.session()
    answer = session.initialize()
    if answer.status == 200:
        session.close()
        return Check.failed("challenge", "200 without a token", causes.OPEN_API)
    header = answer.headers.get("WWW-Authenticate")
    if answer.status != 401:
        return unexpected_answer("challenge", answer, causes.challenge_status_cause(answer.status))
    proxy = state.api_type == "proxy"
    if not header:
        if proxy:
            return Check.passed("challenge", "401 without WWW-Authenticate", expected=PROXY_EXPECTATION,
                                warnings=[causes.PROXY_WITHOUT_CHALLENGE])
        return Check.failed("challenge", "401 without WWW-Authenticate", causes.NO_CHALLENGE)
    got = "401 with WWW-Authenticate: %s" % header
    challenge = bearer_challenge(header)
    if challenge is None:
        return Check.failed("challenge", got, causes.NOT_BEARER)
    state.challenge = {"header": header, "scheme": challenge.scheme, "params": dict(challenge.params),
                       "commas_ok": challenge.commas_ok}
    state.challenge_scope = challenge.params.get("scope")
    metadata_url = challenge.params.get("resource_metadata")
    if not metadata_url and proxy:
        return Check.passed("challenge", got, expected=PROXY_EXPECTATION, warnings=[causes.PROXY_WITHOUT_CHALLENGE])
    if not metadata_url:
        return Check.failed("challenge", got, causes.MISSING_RESOURCE_METADATA)
    if not is_absolute_http_url(metadata_url):
        return Check.failed("challenge", got, "resource_metadata must be an absolute http(s) URL; clients ignore "
                                              "anything else and fall back to the well-known URLs.")
    state.metadata_url = metadata_url
    warnings = [] if challenge.commas_ok else [causes.comma_warning(header)]
    return Check.passed("challenge", got, warnings=warnings)


def check_resource_metadata(state):
    """The PRM document, where clients look for it: the challenge's URL, then the two well-known URLs."""
    attempts, document, served_at = [], None, None
    for url in prm_urls(state.metadata_url, state.url, suffix=state.api_type == "proxy"):
        reply = state.http.get(url, headers=METADATA_HEADERS)
        attempts.append((url, reply.status))
        body = reply.json()
        if reply.status == 200 and isinstance(body, dict):
            document, served_at = body, url
            break
    if document is None:
        return Check.failed("resource_metadata", _tried(attempts), causes.prm_not_found_cause(attempts))
    got = "200 at %s: %s" % (served_at, json.dumps(document, sort_keys=True))
    resource, servers = document.get("resource"), document.get("authorization_servers")
    if not isinstance(resource, str) or not resource:
        return Check.failed("resource_metadata", got, "The metadata has no resource; it is not RFC 9728 metadata.")
    if not isinstance(servers, list) or not servers or not all(isinstance(s, str) and s for s in servers):
        return Check.failed("resource_metadata", got, causes.NO_AUTHORIZATION_SERVERS)
    state.prm, state.prm_url = document, served_at
    warnings = []
    if state.metadata_url and served_at != state.metadata_url:
        warnings.append("The metadata was found only at %s; %s (from the challenge) answered %s. Clients that "
                        "trust the challenge alone fail." % (served_at, state.metadata_url, attempts[0][1]))
    scopes = document.get("scopes_supported")
    if scopes is not None and not isinstance(scopes, list):
        warnings.append("scopes_supported is not a list: %r." % (scopes,))
    if not (state.challenge_scope or "").split() and not (isinstance(scopes, list) and any(scopes)):
        warnings.append(causes.empty_scopes_warning())
    return Check.passed("resource_metadata", got, warnings=warnings, details={"url": served_at})


def check_resource(state):
    resource = state.prm["resource"]
    if resource_matches(state.url, resource):
        return Check.passed("resource", resource)
    return Check.failed("resource", resource, causes.resource_cause(state.url, resource),
                        expected="resource equal to the probed URL %s, exactly" % state.url)


def check_authorization_server(state):
    """AS metadata at the first of the discovery URLs answering 200; a 5xx before it stops clients."""
    issuer = state.prm["authorization_servers"][0]
    attempts, found, server_error = [], None, False
    for url in as_metadata_urls(issuer):
        reply = state.http.get(url, headers=METADATA_HEADERS)
        attempts.append((url, reply.status))
        body = reply.json()
        if reply.status == 200 and isinstance(body, dict):
            found = (url, body)
            break
        server_error = server_error or reply.status >= 500
    if found is None or server_error:
        return Check.failed("authorization_server", _tried(attempts), causes.as_metadata_cause(attempts))
    url, metadata = found
    state.as_metadata, state.as_metadata_url, state.expected_issuer = metadata, url, issuer
    before = " (after %s)" % _tried(attempts[:-1]) if len(attempts) > 1 else ""
    return Check.passed("authorization_server", "200 at %s%s" % (url, before), details={"url": url})


def check_issuer(state):
    issuer = state.as_metadata.get("issuer")
    expected = "issuer equal to authorization_servers[0] %s, exactly" % state.expected_issuer
    if issuer_matches(state.expected_issuer, issuer):
        return Check.passed("issuer", issuer, expected=expected)
    return Check.failed("issuer", repr(issuer) if not isinstance(issuer, str) else issuer,
                        causes.issuer_cause(state.expected_issuer, issuer), expected=expected)


def check_registration_endpoint(state):
    endpoint = state.as_metadata.get("registration_endpoint")
    if isinstance(endpoint, str) and is_absolute_http_url(endpoint):
        return Check.passed("registration_endpoint", endpoint)
    return Check.failed("registration_endpoint", repr(endpoint), causes.NO_REGISTRATION_ENDPOINT)


def check_pkce(state):
    methods = state.as_metadata.get("code_challenge_methods_supported")
    if isinstance(methods, list) and "S256" in methods:
        return Check.passed("pkce", "code_challenge_methods_supported: %s" % methods)
    return Check.failed("pkce", "code_challenge_methods_supported: %s" % (methods,), causes.pkce_cause(methods))


def check_bogus_token(state):
    session = McpSession(state.http, state.url, token=BOGUS_TOKEN, client_name=state.client_name,
                         client_version=state.client_version)
    answer = session.initialize()
    if answer.status == 200:
        session.close()
    if answer.status != 401:
        return unexpected_answer("bogus_token", answer, causes.bogus_token_cause(answer.status))
    warnings = []
    if not answer.headers.get("WWW-Authenticate"):
        warnings.append("The 401 for a bad token has no WWW-Authenticate: clients holding an expired token cannot "
                        "find the authorization server again.")
    return Check.passed("bogus_token", "401", warnings=warnings)
