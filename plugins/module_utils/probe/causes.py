# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""Likely causes of failed MCP checks, in Gravitee terms, as pure functions.

They follow the MCP authorization spec (a 401 with a Bearer challenge naming ``resource_metadata``,
RFC 9728 metadata, RFC 8414 / OpenID Connect discovery, PKCE S256, RFC 7591 registration) and what
Gravitee does: APIM builds ``resource`` from the request its gateway receives, AM names its issuer
after the URL it is reached at, and APIM's OAuth2 plan checks tokens with the AM resource.

Each function gets what came back and returns one or two sentences saying what to change.
"""

from __future__ import annotations

from .discovery import sdk_accepts_resource, url_differences

OPEN_API = ("The endpoint answered without a token: the API still has a published Keyless plan, or the gateway "
            "has not synced the deployment that secures it yet. Close the Keyless plan and redeploy the API "
            "(raise probe_retries/probe_delay to wait for the gateway).")
NOT_FOUND = ("No API answers at this path on the gateway: the API is not started or deployed, its context path "
             "differs from the URL, or the gateway has not synced it yet (raise probe_retries/probe_delay to wait).")
NO_CHALLENGE = ("The 401 has no WWW-Authenticate header, so clients cannot find the authorization server: APIM before "
                "4.10 sends none, and APIM 4.10.0-4.10.11 only when the OAuth2 plan's 'Add WWW-Authenticate "
                "header' option is on, and never for a plain proxy API on APIM CE 4.10. Use APIM 4.10.12+ (or turn the "
                "option on); for a plain proxy API set api_type=proxy.")
PROXY_WITHOUT_CHALLENGE = (
    "No resource_metadata in the 401 (a plain proxy API: APIM CE 4.10 sends no WWW-Authenticate at all): the "
    "probe reads the metadata at <url>/.well-known/oauth-protected-resource, where the OAuth2 plan serves it, but "
    "MCP clients look only at /.well-known/oauth-protected-resource/<path> and the root without a challenge, so "
    "they must be given the authorization server some other way. An MCP Proxy API (APIM 4.10.12+ Enterprise) "
    "sends the challenge.")
NOT_BEARER = ("The 401 does not come from an OAuth2 plan (no Bearer challenge): the API is secured by another plan "
              "type. MCP clients need an OAuth2 plan using the AM resource.")
MISSING_RESOURCE_METADATA = (
    "The Bearer challenge has no resource_metadata: Gravitee adds it only for APIs of type MCP Proxy (MCP_PROXY) "
    "from APIM 4.10. The API is a plain HTTP proxy API, or APIM is older than 4.10.")
NEEDS_TOKEN = ("The endpoint needs a token: the API has an OAuth2 plan and no published Keyless plan. Use "
               "expect=oauth2, or publish a Keyless plan and redeploy the API to open it.")
INTROSPECTION = ("The gateway could not check the token with AM (503): the API's AM resource has a wrong clientId "
                 "or clientSecret (those of the AM MCP server), a wrong serverURL or securityDomain, or AM is not "
                 "reachable from the gateway.")
NO_REGISTRATION_ENDPOINT = (
    "The authorization server metadata has no registration_endpoint, so clients cannot register themselves: VS Code "
    "asks the user for a client id, and the MCP SDK posts to <MCP origin>/register, which is the gateway.")
NO_AUTHORIZATION_SERVERS = (
    "The metadata lists no authorization server: the API's AM resource (type oauth2-am-resource) named by the "
    "OAuth2 plan is missing, disabled, or has no serverURL/securityDomain.")
FORM_NOT_UNDERSTOOD = ("The login page could not be filled in: the probe signs in through plain HTML forms only "
                       "(a username and a password field); a JavaScript, MFA or captcha step stops it.")


def comma_split_reading(header):
    """What a parser that splits auth-params on commas (VS Code's) reads as resource_metadata."""
    text = header.split(" ", 1)[1] if " " in (header or "") else ""
    for part in text.split(","):
        name, _sep, value = part.strip().partition("=")
        if name.strip().lower() == "resource_metadata":
            value = value.strip()
            return value[1:-1] if len(value) > 1 and value[0] == value[-1] == '"' else value
    return None


def comma_warning(header):
    return ("The WWW-Authenticate auth-params are separated by spaces, not commas (Gravitee does this when the "
            "OAuth2 plan has required scopes). The MCP Python SDK copes, but VS Code splits on commas and reads "
            "resource_metadata as %r. Keep the plan's required scopes empty for VS Code users, or check VS Code's "
            "behaviour with your version." % comma_split_reading(header))


def empty_scopes_warning():
    return ("The resource metadata lists no scopes (scopes_supported is empty and the challenge names none): the "
            "MCP Python SDK then asks AM for scope ' offline_access' (with a leading space), which AM refuses as an "
            "invalid scope. Give the OAuth2 plan a required scope that exists in AM (for example openid).")


def redirect_cause(location):
    return ("The server redirects to %s: MCP clients do not follow redirects of their POST requests. Configure "
            "clients (and the probe) with the URL it redirects to, often https:// instead of http://." % location)


# The answer to a request without a token, where a 401 was expected.
CHALLENGE_STATUS_CAUSES = {
    200: OPEN_API,
    404: NOT_FOUND,
    503: ("The gateway answered 503 to a request without a token: an OAuth2 plan could not be evaluated (its AM "
          "resource is missing or AM is unreachable), or the gateway is overloaded."),
}
# The answer to a made-up token, where a 401 was expected.
BOGUS_TOKEN_CAUSES = {
    503: INTROSPECTION,
    200: ("The gateway let a made-up token through: the API does not check tokens (no OAuth2 plan on this "
          "entrypoint, or another plan accepts the request)."),
}


def challenge_status_cause(status):
    return CHALLENGE_STATUS_CAUSES.get(status) or status_cause(status)


def status_cause(status):
    if status in (502, 504):
        return ("The gateway could not reach the MCP server behind it: check the API's endpoint target and that the "
                "MCP server runs and is reachable from the gateway.")
    if status is not None and status >= 500:
        return "The server failed (%s): check its logs." % status
    if status == 405:
        return "The server does not accept POST at this URL: it is not an MCP streamable HTTP endpoint."
    if status == 406:
        return "The server refused the Accept header (application/json, text/event-stream) MCP clients send."
    return "Unexpected answer %s; check the URL and the API's plans." % status


def prm_not_found_cause(attempts):
    """``attempts``: (url, status or None) pairs, in the order tried."""
    statuses = [status for _url, status in attempts]
    if any(s is not None and (s >= 500 or s == 429) for s in statuses):
        return ("A server error answered the metadata request, and MCP clients stop there (the SDK gives up after a "
                "5xx): fix what answers %s." % next(u for u, s in attempts if s is not None and (s >= 500 or s == 429)))
    return ("No protected resource metadata: Gravitee serves /.well-known/oauth-protected-resource/<context path> "
            "only for MCP Proxy APIs (APIM 4.10.12+) with an OAuth2 plan whose AM resource exists and is enabled. "
            "A proxy in front of the gateway must also forward the root /.well-known/ paths to it.")


def resource_cause(mcp_url, resource):
    differences = url_differences(mcp_url, resource)
    what = ", ".join(differences)
    text = "The metadata names another resource than the URL: %s. " % what
    if any(d.startswith("scheme") for d in differences):
        text += ("TLS is probably terminated in front of the gateway, which then sees http://: make the load "
                 "balancer or proxy send X-Forwarded-Proto (Gravitee builds resource from the request it receives).")
    elif any(d.startswith(("host", "port")) for d in differences):
        text += ("The gateway saw another host name or port than the URL's: a proxy or load balancer in front does "
                 "not pass the original Host (preserve it or send X-Forwarded-Host/X-Forwarded-Port), or the URL "
                 "uses a host alias clients do not use.")
    elif any(d.startswith("trailing slash") for d in differences):
        text += ("Give clients exactly %s (VS Code compares it exactly), or fix what rewrites the path in front of "
                 "the gateway." % resource)
    else:
        text += ("A proxy in front of the gateway rewrites the path (send X-Forwarded-Prefix), or the URL is not "
                 "the API's entrypoint.")
    if sdk_accepts_resource(mcp_url, resource):
        text += " (The MCP Python SDK would accept it; VS Code does not.)"
    return text


def as_metadata_cause(attempts):
    server_errors = [url for url, status in attempts if status is not None and status >= 500]
    if server_errors:
        return ("%s answered a server error, and MCP clients stop at a 5xx instead of trying the next discovery "
                "URL: whatever answers there (AM, a proxy) must answer 404 instead." % server_errors[0])
    return ("None of the discovery URLs serves the authorization server metadata: the API's AM resource has a "
            "wrong serverURL or securityDomain (authorization_servers[0] is <serverURL>/<securityDomain>/oidc, "
            "and AM serves <that>/.well-known/openid-configuration), or the AM domain is disabled or not synced.")


def issuer_cause(expected, issuer):
    if not isinstance(issuer, str) or not issuer:
        return "The metadata has no issuer; it does not come from AM (or from a compliant authorization server)."
    return ("The issuer differs from authorization_servers[0]: %s. APIM publishes <serverURL>/<securityDomain>/oidc "
            "of the API's AM resource, while AM names itself after the URL it was reached at: set the AM resource's "
            "serverURL to the public AM gateway URL clients use (and securityDomain to the domain's path), and make "
            "any proxy in front of AM pass Host, X-Forwarded-Proto/-Host/-Prefix unchanged. The MCP SDK refuses "
            "this metadata." % ", ".join(url_differences(expected, issuer)))


def pkce_cause(methods):
    if methods is None:
        return ("The metadata has no code_challenge_methods_supported: MCP clients must refuse an authorization "
                "server that does not advertise PKCE S256.")
    return "The authorization server does not offer PKCE S256 (%s), which every MCP client uses." % methods


def bogus_token_cause(status):
    return BOGUS_TOKEN_CAUSES.get(status) or challenge_status_cause(status)


def registration_cause(status, body):
    """Cause of a refused registration (AM's own words are already in "got")."""
    body = body if isinstance(body, dict) else {}
    error, description = body.get("error"), body.get("error_description") or ""
    if status == 403 or error == "registration_forbidden":
        return ("Dynamic Client Registration is off in the AM domain: turn it on (module am_dcr, or the AM console "
                "Settings > Client Registration). Without it VS Code asks users for a client id.")
    if status == 401:
        return ("Dynamic Client Registration is on but not open: registering needs a token with scope dcr_admin, "
                "and MCP clients register without one. Turn open registration on (am_dcr open_registration).")
    if error == "invalid_redirect_uri":
        return ("AM refused VS Code's redirect URIs: allow localhost and http redirect URIs in the domain's client "
                "registration settings (am_dcr allow_localhost_redirect_uri, allow_http_scheme_redirect_uri).")
    if error == "invalid_client_metadata" and "scope" in description:
        return ("AM refused the scope clients ask for: the OAuth2 plan's required scopes must be scopes of the AM "
                "domain.")
    if status in (404, 405):
        return "Nothing registers clients at the registration_endpoint address: check the AM domain and its gateway."
    if status is not None and status >= 500:
        return "AM failed to register the client (%s): check the AM gateway logs." % status
    return "AM refused the registration (%s)." % (error or status)


def login_cause(error, description=None, resource=None, scope=None):
    """Cause of a failed sign-in or token request (AM's own words are already in "got")."""
    if error == "login_failed":
        return ("AM refused the username or password: check username and password, and that the user belongs to "
                "the identity provider DCR clients use (the domain's first one).")
    if error == "invalid_target":
        return ("AM knows no MCP server whose resource identifier is %s (the value clients send as resource=, taken "
                "from the resource metadata): the AM MCP server's resource identifier must equal the URL clients "
                "use exactly - check the trailing slash, the host name and the scheme - and the AM gateway must have "
                "synced it." % resource)
    if error == "invalid_scope":
        return ("AM refused the scope %r: the OAuth2 plan's required scopes must exist in the AM domain and be "
                "allowed for registered clients." % scope)
    if error == "access_denied":
        return "The user (or the consent page) denied the access."
    if error == "redirect_uri_mismatch":
        return "AM refused the redirect URI the client registered (http://127.0.0.1:33418/)."
    if error == "invalid_grant":
        return "AM refused the authorization code or the PKCE verifier."
    if error == "invalid_client":
        return ("AM did not accept the registered client at the token endpoint (a public client, "
                "token_endpoint_auth_method none).")
    if error in ("page", "too_many_steps") or (error or "").startswith("http_"):
        return FORM_NOT_UNDERSTOOD
    return "AM answered %s%s." % (error or "an error", ": %s" % description if description else "")


def mcp_cause(status, *, authenticated, text="", step="initialize"):
    """Cause of a failed MCP call through the gateway."""
    lowered = (text or "").lower()
    if status == 401:
        if not authenticated:
            return NEEDS_TOKEN
        return ("The gateway refused the token AM issued: the API's AM resource found it inactive (another AM domain "
                "or serverURL) or, with 'check required scopes' on, the token lacks the plan's required scopes.")
    if status == 503 and authenticated:
        return INTROSPECTION
    if status == 404:
        return NOT_FOUND
    if status in (421, 403) and ("host" in lowered or "origin" in lowered):
        return ("The MCP server refused the Host or Origin header the gateway sends (DNS rebinding protection): "
                "allow the gateway's Host on the MCP server.")
    if status == 400 and "session" in lowered:
        return ("The MCP server did not get the Mcp-Session-Id of the session: the gateway drops the Mcp-Session-Id "
                "or MCP-Protocol-Version header.")
    if status == 200:
        return ("The answer to %s carried no JSON-RPC response: the gateway buffers or cuts the event stream, or the "
                "server is not an MCP server." % step)
    return status_cause(status)
