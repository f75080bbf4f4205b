# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""mcp_probe's ``url_forms``: another URL a person may type for the same endpoint (without the
trailing slash, say), checked the way the MCP Python SDK (2.x) uses it.

Given a URL, the SDK sends ``initialize`` there, reads ``resource_metadata`` from the 401, finds
the Protected Resource Metadata (the challenge's URL, then the well-known URLs built from the URL
it was given), and refuses the document unless its ``resource`` has the same scheme and host:port
as the URL (scheme and host lowercased, the port as typed) and a path the URL's path lies under
(``check_resource_allowed`` in ``mcp/shared/auth_utils.py``). It then asks the authorization server
for a token with ``resource`` = that document's ``resource``, which AM grants only when it equals an
identifier of an MCP server exactly (else ``invalid_target``). So for each form the check is:
the gateway answers 401 there, the SDK accepts the metadata, it names the same authorization server
as the main URL's, and - with a user - AM signs in for that ``resource`` and the token works at the
form's URL (``initialize``, ``tools/list``).
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit, urlunsplit

from . import causes
from .checks import Check
from .discovery import bearer_challenge, prm_urls, resource_matches, sdk_accepts_resource, url_differences
from .jsonrpc import McpSession
from .steps_discovery import METADATA_HEADERS, unexpected_answer
from .steps_session import sign_in

NAME = "url_form"


def expectation(form):
    return ("the MCP SDK configured with %s: 401 there, resource metadata whose resource it accepts, the same "
            "authorization server, and a token for that resource that works at %s" % (form, form))


def sdk_url(form):
    """The URL as the SDK compares it: scheme and host lowercased, no fragment (``resource_url_from_server_url``)."""
    parts = urlsplit(form)
    return urlunsplit(parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower(), fragment=""))


def _failed(form, got, cause, **details):
    return Check.failed(NAME, got, "%s: %s" % (form, cause), expected=expectation(form),
                        details=dict(details, form=form))


def _refused_cause(form, resource):
    text = ("the MCP SDK refuses the metadata (\"Protected resource %s does not match expected %s\"): %s."
            % (resource, sdk_url(form), ", ".join(url_differences(sdk_url(form), resource))))
    parts = urlsplit(form)
    if parts.port is not None and parts.port == {"http": 80, "https": 443}.get(parts.scheme.lower()):
        text += (" The SDK keeps an explicit default port in the URL it compares while its HTTP client leaves it "
                 "out of the request (so the gateway builds resource without it): give clients the URL without "
                 ":%d." % parts.port)
    return text


def _challenge(state, form):
    """(metadata URL or None, failed Check or None) of the unauthenticated ``initialize`` at ``form``."""
    session = McpSession(state.http, form, client_name=state.client_name, client_version=state.client_version)
    answer = session.initialize()
    if answer.status == 200:
        session.close()
        return None, _failed(form, "200 without a token", causes.OPEN_API)
    if answer.status != 401:
        check = unexpected_answer(NAME, answer, causes.challenge_status_cause(answer.status))
        return None, _failed(form, check.got, check.cause)
    challenge = bearer_challenge(answer.headers.get("WWW-Authenticate") or "")
    return (challenge.params.get("resource_metadata") if challenge else None), None


def _metadata(state, form, metadata_url):
    attempts = []
    for url in prm_urls(metadata_url, form, suffix=state.api_type == "proxy"):
        reply = state.http.get(url, headers=METADATA_HEADERS)
        attempts.append((url, reply.status))
        if reply.status == 200 and isinstance(reply.json(), dict):
            return url, reply.json(), attempts
    return None, None, attempts


def _use_token(state, form, token):
    """``initialize`` and ``tools/list`` at ``form`` with ``token``: (failed Check or None, tool names)."""
    session = McpSession(state.http, form, token=token, client_name=state.client_name,
                         client_version=state.client_version)
    try:
        answer = session.initialize()
        if answer.status == 200 and isinstance(answer.result, dict):
            session.initialized()
            answer, tools = session.list_tools()
            if answer.status == 200 and isinstance(answer.result, dict):
                return None, [t.get("name") for t in tools if t.get("name")]
    finally:
        session.close()
    cause = causes.mcp_cause(answer.status, authenticated=True, text=answer.text)
    return _failed(form, "%s with the token: %s" % (answer.status, answer.snippet()), cause), None


def check_url_form(state, form):
    """One URL form, the SDK's way (see the module docstring)."""
    metadata_url, failed = _challenge(state, form)
    if failed:
        return failed
    served_at, document, attempts = _metadata(state, form, metadata_url)
    if document is None:
        tried = ", ".join("%s at %s" % (status, url) for url, status in attempts)
        return _failed(form, tried, causes.prm_not_found_cause(attempts))
    resource = document.get("resource")
    got = "resource metadata at %s: %s" % (served_at, json.dumps(document, sort_keys=True))
    if not isinstance(resource, str) or not sdk_accepts_resource(sdk_url(form), resource):
        return _failed(form, got, _refused_cause(form, resource), resource_metadata=document)
    servers = document.get("authorization_servers") or [None]
    if servers[0] != state.expected_issuer:
        return _failed(form, got, "the metadata names the authorization server %s, the main URL's %s: the two URLs "
                       "reach different APIs or plans." % (servers[0], state.expected_issuer))
    details = {"form": form, "resource": resource, "metadata_url": served_at}
    warnings = [] if resource_matches(form, resource) else [
        "%s: VS Code compares the metadata's resource %s with the URL exactly and refuses this form (the MCP SDK "
        "accepts it)." % (form, resource)]
    if not (state.username and state.registration):
        return Check.passed(NAME, "resource %s (the SDK sends it; not signed in, so whether AM knows it is not "
                            "checked)" % resource, expected=expectation(form), warnings=warnings, details=details)
    login, token = sign_in(state, resource, name=NAME)
    if not login.ok:
        cause = login.cause
        if "invalid_target" in login.got:
            cause += (" Register every form: am_mcp_server url_forms=true, or list %s in its resource_identifier."
                      % resource)
        return _failed(form, login.got, cause, resource=resource)
    failed, tools = _use_token(state, form, token)
    if failed:
        return failed
    return Check.passed(NAME, "resource %s: signed in, %d tools at %s" % (resource, len(tools), form),
                        expected=expectation(form), warnings=warnings, details=details)
