# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""Client registration and the authorization-code + PKCE login, as an MCP client does them
(MCP specification 2025-11-25, "Authorization"), with an HTTP "browser" that fills the login and
consent forms.

* DCR (RFC 7591) with VS Code's request: a public client (``token_endpoint_auth_method: none``,
  ``application_type: native``) redirecting to ``http://127.0.0.1:33418/`` (among VS Code's URIs);
  the client is deleted afterwards with RFC 7592 when AM hands out a registration access token;
* the authorization request: PKCE S256, ``state``, RFC 8707 ``resource`` = the PRM resource, and a
  ``scope`` only when there is one (never an empty or space-led scope);
* the browser follows redirects itself, submits forms, and stops at the redirect URI (nothing
  listens there), where it takes ``code``, ``state`` and ``iss``;
* the token request with the code verifier and the same ``resource``.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

from .forms import fill_form, has_password, parse_forms, pick_form
from .http import TransportFailure, is_transient

CLIENT_NAME = "gravitee-mcp-probe"
REDIRECT_URI = "http://127.0.0.1:33418/"
# VS Code's redirect URIs (fetchDynamicRegistration); the probe uses the loopback one.
VSCODE_REDIRECT_URIS = ["https://insiders.vscode.dev/redirect", "https://vscode.dev/redirect", "http://127.0.0.1/",
                        REDIRECT_URI]
CLIENT_GRANTS = ["authorization_code", "refresh_token"]
MAX_STEPS = 15


class LoginFailed(Exception):
    """The authorization server sent the browser back with an error, or the flow could not go on."""

    def __init__(self, error, description=None, where=None):
        super().__init__("%s: %s" % (error, description) if description else error)
        self.error = error
        self.description = description
        self.where = where


def pkce_pair():
    """(verifier, S256 challenge): 64 characters from the unreserved set, RFC 7636."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def registration_request(scope=None, grant_types_supported=None, client_name=CLIENT_NAME):
    """VS Code's DCR body; grant types filtered by what the server advertises, as VS Code does."""
    grants = list(CLIENT_GRANTS)
    if isinstance(grant_types_supported, list):
        grants = [g for g in grants if g in grant_types_supported] or ["authorization_code"]
    body = {"client_name": client_name, "client_uri": "https://docs.ansible.com", "grant_types": grants,
            "response_types": ["code"], "redirect_uris": list(VSCODE_REDIRECT_URIS),
            "token_endpoint_auth_method": "none", "application_type": "native"}
    if scope:
        body["scope"] = scope
    return body


def delete_registration(http, registration, retrying=None):
    """RFC 7592 DELETE of a registered client: (deleted, what happened).

    Tried again (``retrying``: the probe's budget) on 404, 5xx, 429 or no answer: right after a domain
    change the AM gateway redeploys the domain and answers 404 for a client it will know again a moment
    later; giving up at once would leave the client in AM.
    """
    uri, token = registration.get("registration_client_uri"), registration.get("registration_access_token")
    if not uri or not token:
        return False, ("AM returned no registration_client_uri/registration_access_token (RFC 7592), so the client "
                       "cannot delete itself")
    where, tries = uri.split("?")[0], 0
    while True:
        tries += 1
        try:
            reply = http.delete(uri, headers={"Authorization": "Bearer " + token, "Accept": "application/json"})
        except TransportFailure:
            if retrying is not None and retrying.take():
                continue
            raise
        after = " after %d tries" % tries if tries > 1 else ""
        if reply.status in (200, 204):
            return True, "deleted with RFC 7592 (DELETE %s)%s" % (where, after)
        if (reply.status == 404 or is_transient(reply.status)) and retrying is not None and retrying.take():
            continue
        if reply.status == 404:
            return False, ("the RFC 7592 DELETE answered 404%s (the AM gateway answers so while it redeploys the "
                           "domain after a change; raise probe_retries/probe_delay to wait longer)" % after)
        return False, "the RFC 7592 DELETE answered %s%s" % (reply.status, after)


def add_query(url, params):
    parts = urlsplit(url)
    extra = urlencode(params)
    query = parts.query + ("&" if parts.query and extra else "") + extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def authorization_url(endpoint, *, client_id, state, challenge, resource, scope=None, redirect_uri=REDIRECT_URI):
    params = [("response_type", "code"), ("client_id", client_id), ("redirect_uri", redirect_uri), ("state", state),
              ("code_challenge", challenge), ("code_challenge_method", "S256")]
    if resource:
        params.append(("resource", resource))
    if scope:
        params.append(("scope", scope))
    return add_query(endpoint, params)


def page_text(html, limit=160):
    """The visible words of a page, shortened (for "got" texts)."""
    text = " ".join(re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", html or "", flags=re.S | re.I).split())
    return text[:limit] + ("..." if len(text) > limit else "")


def _without_query(url):
    return url.split("?", 1)[0]


def _first(query, name):
    values = query.get(name)
    return values[0] if values else None


class HeadlessBrowser:
    """Plays the user for one authorization request; ``steps`` keeps (method, URL without query, status)."""

    def __init__(self, http, username, password, redirect_uri=REDIRECT_URI, max_steps=MAX_STEPS):
        self.http = http
        self.username = username
        self.password = password
        self.redirect_uri = redirect_uri
        self.max_steps = max_steps
        self.steps = []

    def authorize(self, url):
        """Follow the flow from the authorization URL; return the redirect URI's query (code, state, iss)."""
        reply = self._go("GET", url)
        password_sent = False
        for _step in range(self.max_steps):
            if reply.is_redirect:
                location = urljoin(reply.url, reply.header("Location"))
                query = parse_qs(urlsplit(location).query)
                if location.startswith(self.redirect_uri):
                    if "error" in query:
                        raise LoginFailed(_first(query, "error"), _first(query, "error_description"), "redirect_uri")
                    if "code" not in query:
                        raise LoginFailed("no_code", "the redirect to the redirect URI carries no code", "redirect_uri")
                    return {key: _first(query, key) for key in ("code", "state", "iss")}
                if "error" in query:
                    raise LoginFailed(_first(query, "error"), _first(query, "error_description"),
                                      _without_query(location))
                reply = self._go("GET", location)
                continue
            forms = parse_forms(reply.text) if reply.status == 200 and "<form" in reply.text.lower() else []
            form = pick_form(forms)
            if form is None:
                where = _without_query(reply.url)
                stopped = "the flow stopped at %s (%s): %s" % (where, reply.status, page_text(reply.text))
                raise LoginFailed("page" if reply.status == 200 else "http_%s" % reply.status, stopped, where)
            if has_password(form):
                if password_sent:
                    raise LoginFailed("login_failed", "the sign-in form came back after the password was sent",
                                      _without_query(reply.url))
                password_sent = True
            target = urljoin(reply.url, form["action"] or reply.url)
            pairs = fill_form(form, self.username, self.password)
            if form["method"] == "post":
                reply = self._go("POST", target, data=pairs,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
            else:
                reply = self._go("GET", add_query(target, pairs))
        raise LoginFailed("too_many_steps", "the login did not reach the redirect URI in %d steps" % self.max_steps)

    def _go(self, method, url, data=None, headers=None):
        send = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
        send.update(headers or {})
        reply = self.http.request(method, url, data=data, headers=send)
        self.steps.append((method, _without_query(url), reply.status))
        return reply


def token_request(client, *, code, verifier, resource, redirect_uri=REDIRECT_URI):
    """(form pairs, requests auth) of the code exchange, authenticated the way the client registered."""
    pairs = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect_uri),
             ("code_verifier", verifier)]
    if resource:
        pairs.append(("resource", resource))
    method = client.get("token_endpoint_auth_method") or "client_secret_basic"
    secret = client.get("client_secret")
    if method == "client_secret_basic" and secret:
        return pairs, (client["client_id"], secret)
    pairs.append(("client_id", client["client_id"]))
    if method == "client_secret_post" and secret:
        pairs.append(("client_secret", secret))
    return pairs, None
