# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""The checks that register, sign in and use the MCP session (registration, login, initialize,
tools_list).

Every secret met here (client secret, registration access token, code, verifier, tokens) is
handed to ``state.secret`` first, which hides it from everything the module prints.
"""

from __future__ import annotations

import json
import secrets

from . import causes
from .checks import Check
from .discovery import choose_scope, issuer_matches
from .login import (
    HeadlessBrowser,
    LoginFailed,
    authorization_url,
    pkce_pair,
    registration_request,
    token_request,
)
from .steps_discovery import unexpected_answer

TOKEN_SECRETS = ("access_token", "refresh_token", "id_token")


def check_registration(state):
    """DCR with VS Code's request; the client is kept on the state for the login and the cleanup."""
    state.scope = choose_scope(state.challenge_scope, (state.prm or {}).get("scopes_supported"))
    body = registration_request(state.scope, state.as_metadata.get("grant_types_supported"), state.client_name)
    reply = state.http.post(state.as_metadata["registration_endpoint"], json_body=body,
                            headers={"Accept": "application/json"})
    answer = reply.json()
    if isinstance(answer, dict):
        state.secret(answer.get("client_secret"), answer.get("registration_access_token"))
    if reply.status not in (200, 201) or not isinstance(answer, dict) or not answer.get("client_id"):
        got = "%s: %s" % (reply.status, _oauth_error_text(answer) or reply.snippet())
        return Check.failed("registration", got, causes.registration_cause(reply.status, answer))
    state.registration = answer
    got = "%s: client_id %s, client_name %r, token_endpoint_auth_method %s, scope %r" % (
        reply.status, answer["client_id"], answer.get("client_name"), answer.get("token_endpoint_auth_method"),
        answer.get("scope"))
    return Check.passed("registration", got, details={"client_id": answer["client_id"]})


def check_login(state):
    """Authorization code + PKCE S256 through the login pages, then the token request."""
    check, token = sign_in(state, state.prm["resource"])
    state.token = token
    return check


def sign_in(state, resource, name="login"):
    """Sign in with the registered client asking for ``resource``: (the Check, the access token or None)."""
    metadata, client = state.as_metadata, state.registration
    verifier, challenge = pkce_pair()
    state.secret(verifier)
    expected_state = secrets.token_urlsafe(24)
    url = authorization_url(metadata["authorization_endpoint"], client_id=client["client_id"], state=expected_state,
                            challenge=challenge, resource=resource, scope=state.scope)
    browser = HeadlessBrowser(state.http.browser(), state.username, state.password)
    details = {"scope": state.scope, "resource": resource}
    try:
        answer = browser.authorize(url)
    except LoginFailed as failure:
        details["steps"] = _steps(browser.steps)
        said = " (%s)" % failure.description if failure.description else ""
        if failure.where == "redirect_uri":
            got = "redirect to the redirect URI with error %s%s" % (failure.error, said)
        else:
            got = "%s%s at %s" % (failure.error, said, failure.where or "the authorization server")
        cause = causes.login_cause(failure.error, failure.description, resource, state.scope)
        return Check.failed(name, got, cause, details=details), None
    details["steps"] = _steps(browser.steps)
    state.secret(answer.get("code"))
    if answer.get("state") != expected_state:
        return Check.failed(name, "a redirect whose state differs from the one sent",
                            "The authorization server did not return the client's state: clients refuse the code.",
                            details=details), None
    if answer.get("iss") and not issuer_matches(metadata.get("issuer"), answer["iss"]):
        return Check.failed(name, "iss %s on the redirect" % answer["iss"],
                            "The redirect names another issuer (RFC 9207) than the metadata: clients refuse it.",
                            details=details), None
    pairs, auth = token_request(client, code=answer["code"], verifier=verifier, resource=resource)
    reply = state.http.post(metadata["token_endpoint"], data=pairs, auth=auth,
                            headers={"Accept": "application/json",
                                     "Content-Type": "application/x-www-form-urlencoded"})
    tokens = reply.json() if isinstance(reply.json(), dict) else {}
    state.secret(*(tokens.get(key) for key in TOKEN_SECRETS))
    if reply.status != 200 or not tokens.get("access_token"):
        got = "token endpoint: %s %s" % (reply.status, _oauth_error_text(tokens) or reply.snippet())
        cause = causes.login_cause(tokens.get("error"), tokens.get("error_description"), resource, state.scope)
        return Check.failed(name, got, cause, details=details), None
    if str(tokens.get("token_type", "")).lower() != "bearer":
        return Check.failed(name, "token_type %r" % tokens.get("token_type"),
                            "MCP clients only use Bearer access tokens.", details=details), None
    details["token_info"] = {"token_type": tokens.get("token_type"), "expires_in": tokens.get("expires_in"),
                             "scope": tokens.get("scope"), "refresh_token": bool(tokens.get("refresh_token"))}
    got = "signed in as %s in %d browser steps; Bearer token received (expires_in %s, scope %r)" % (
        state.username, len(browser.steps), tokens.get("expires_in"), tokens.get("scope"))
    return Check.passed(name, got, details=details), tokens["access_token"]


def check_initialize(state):
    """``initialize`` then ``notifications/initialized`` (with the session id), with the token if any."""
    session = state.session(token=state.token)
    answer = session.initialize()
    authenticated = state.token is not None
    if answer.status != 200 or not isinstance(answer.result, dict):
        if answer.error is not None:
            return _rpc_error("initialize", answer.error)
        return unexpected_answer("initialize", answer,
                                 causes.mcp_cause(answer.status, authenticated=authenticated, text=answer.text))
    result = answer.result
    info = result.get("serverInfo") if isinstance(result.get("serverInfo"), dict) else {}
    state.server_info = {"name": info.get("name"), "version": info.get("version"),
                         "protocol_version": result.get("protocolVersion"), "session": bool(session.session_id)}
    state.mcp = session
    warnings = []
    notified = session.initialized()
    if notified.status not in (200, 202, 204):
        warnings.append("notifications/initialized answered %s instead of 202: %s" % (notified.status,
                                                                                      notified.snippet()))
    got = "200: server %s %s, protocol %s, %s" % (info.get("name"), info.get("version"), result.get("protocolVersion"),
                                                  "with a session id" if session.session_id else "without session id")
    return Check.passed("initialize", got, warnings=warnings)


def check_tools_list(state):
    answer, tools = state.mcp.list_tools()
    if answer.status != 200 or not isinstance(answer.result, dict):
        if answer.error is not None:
            return _rpc_error("tools_list", answer.error)
        return unexpected_answer("tools_list", answer, causes.mcp_cause(
            answer.status, authenticated=state.token is not None, text=answer.text, step="tools/list"))
    state.tools = [t.get("name") for t in tools if t.get("name")]
    return Check.passed("tools_list", "200: %d tools (%s)" % (len(state.tools), ", ".join(state.tools)))


def _rpc_error(name, error):
    message = error.get("message") if isinstance(error, dict) else error
    return Check.failed(name, "JSON-RPC error %s" % json.dumps(error),
                        "The MCP server refused the request: %s. Check the MCP server's logs." % message)


def _oauth_error_text(body):
    if isinstance(body, dict) and body.get("error"):
        return "%s%s" % (body["error"], ": %s" % body["error_description"] if body.get("error_description") else "")
    return None


def _steps(steps):
    return ["%s %s -> %s" % step for step in steps]
