# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""Discovery as MCP clients do it (MCP specification 2025-11-25, "Authorization"), as pure functions.

* the ``WWW-Authenticate`` parser (RFC 7235 grammar), which also notes auth-params that are not
  separated by commas: Gravitee's OAuth2 policy joins ``resource_metadata`` and ``scope`` with a
  space, and VS Code's comma-splitting parser then reads a corrupted ``resource_metadata``;
* the URLs clients try for the Protected Resource Metadata (RFC 9728) and for the authorization
  server metadata (RFC 8414 / OIDC discovery, 3 URLs in a fixed order);
* the exact comparisons clients make (PRM ``resource`` against the configured URL, metadata
  ``issuer`` against ``authorization_servers[0]``) and a description of what differs;
* the scope a client asks for: challenge ``scope``, else PRM ``scopes_supported``, else none.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

PRM_WELL_KNOWN = "/.well-known/oauth-protected-resource"
RFC8414_WELL_KNOWN = "/.well-known/oauth-authorization-server"
OIDC_WELL_KNOWN = "/.well-known/openid-configuration"
DEFAULT_PORTS = {"http": 80, "https": 443}

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_TOKEN68 = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


class Challenge:
    """One challenge of a ``WWW-Authenticate`` value."""

    def __init__(self, scheme):
        self.scheme = scheme
        self.params = {}           # lower-cased name -> value (quotes and escapes removed)
        self.token68 = None
        self.missing_commas = []   # names of params that followed another param without a comma

    @property
    def commas_ok(self) -> bool:
        return not self.missing_commas


def _skip_spaces(text, pos):
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def _quoted(text, pos):
    """(value, position after the closing quote) of the quoted-string starting at ``pos``."""
    value, pos = [], pos + 1
    while pos < len(text):
        char = text[pos]
        if char == "\\" and pos + 1 < len(text):
            value.append(text[pos + 1])
            pos += 2
            continue
        if char == '"':
            return "".join(value), pos + 1
        value.append(char)
        pos += 1
    return "".join(value), pos  # unterminated: take the rest


def parse_www_authenticate(value):
    """Every challenge in a ``WWW-Authenticate`` value, in order.

    A token followed by ``=`` is an auth-param of the current challenge; a token followed by
    anything else starts a new challenge. Several params must be separated by commas; a param
    that follows another after white space only is kept (lenient, like the MCP SDK) and listed in
    ``missing_commas`` (strict parsers such as VS Code's get it wrong).
    """
    text, pos, challenges = value or "", 0, []
    current, comma_seen = None, False
    while pos < len(text):
        pos = _skip_spaces(text, pos)
        if pos >= len(text):
            break
        if text[pos] == ",":
            comma_seen, pos = True, pos + 1
            continue
        token = _TOKEN.match(text, pos)
        if not token:
            pos += 1  # stray character: skip it
            continue
        after = _skip_spaces(text, token.end())
        is_param = after < len(text) and text[after] == "=" and current is not None
        if is_param and current.token68 is None:
            name = token.group(0).lower()
            value_pos = _skip_spaces(text, after + 1)
            if value_pos < len(text) and text[value_pos] == '"':
                param_value, pos = _quoted(text, value_pos)
            else:
                bare = _TOKEN.match(text, value_pos)
                param_value, pos = (bare.group(0), bare.end()) if bare else ("", value_pos)
            if current.params and not comma_seen:
                current.missing_commas.append(name)
            current.params.setdefault(name, param_value)
            comma_seen = False
            continue
        current = Challenge(token.group(0))
        challenges.append(current)
        comma_seen = False
        pos = _skip_spaces(text, token.end())
        blob = _TOKEN68.match(text, pos)
        # token68 (e.g. "Negotiate abc=="): a blob that ends the challenge (end of value or a comma).
        if blob:
            nxt = _skip_spaces(text, blob.end())
            if nxt >= len(text) or text[nxt] == ",":
                current.token68, pos = blob.group(0), blob.end()
    return challenges


def bearer_challenge(value):
    """The first ``Bearer`` challenge of a ``WWW-Authenticate`` value, or None."""
    for challenge in parse_www_authenticate(value):
        if challenge.scheme.lower() == "bearer":
            return challenge
    return None


def is_absolute_http_url(value) -> bool:
    parts = urlsplit(value or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _origin(url):
    parts = urlsplit(url)
    return "%s://%s" % (parts.scheme, parts.netloc)


def prm_urls(header_url, mcp_url, suffix=False):
    """Where clients look for the Protected Resource Metadata, in their order (RFC 9728 §3, SEP-985).

    ``suffix``: also ``<endpoint>/.well-known/oauth-protected-resource`` right after the challenge's URL,
    where APIM's OAuth2 plan serves the document for a plain proxy API (no RFC 9728 client looks there).
    """
    urls = [header_url] if header_url else []
    path = urlsplit(mcp_url).path
    if suffix:
        urls.append(_origin(mcp_url) + path.rstrip("/") + PRM_WELL_KNOWN)
    if path and path != "/":
        urls.append(_origin(mcp_url) + PRM_WELL_KNOWN + path)
    urls.append(_origin(mcp_url) + PRM_WELL_KNOWN)
    return list(dict.fromkeys(urls))


def as_metadata_urls(issuer):
    """The 3 URLs clients try for an issuer with a path (2 for a root issuer), in their order.

    AM serves only the last (OIDC discovery appended to the issuer).
    """
    path = urlsplit(issuer).path.rstrip("/")
    origin = _origin(issuer)
    if not path:
        return [origin + RFC8414_WELL_KNOWN, origin + OIDC_WELL_KNOWN]
    return [origin + RFC8414_WELL_KNOWN + path, origin + OIDC_WELL_KNOWN + path, origin + path + OIDC_WELL_KNOWN]


def _port(parts):
    try:
        return parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None


def _explicit_port(parts):
    """The port unless it is the scheme's default (so http vs https alone is not also a port difference)."""
    port = _port(parts)
    return None if port == DEFAULT_PORTS.get(parts.scheme.lower()) else port


def normalise_url(url):
    """The URL the way ``new URL(x).toString()`` writes it (what VS Code compares): lower-case scheme
    and host, no default port, ``/`` for an empty path. Anything else is kept as written."""
    parts = urlsplit(url or "")
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = "[%s]" % host
    port = _port(parts)
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else "%s:%s" % (host, port)
    if parts.username is not None:
        netloc = "%s@%s" % (parts.netloc.rsplit("@", 1)[0], netloc)
    path = parts.path or "/"
    query = "?" + parts.query if parts.query else ""
    return "%s://%s%s%s" % (scheme, netloc, path, query)


def url_differences(expected, got):
    """What differs between two URLs, in words (empty when they are equal once normalised)."""
    if normalise_url(expected) == normalise_url(got):
        return []
    want, have = urlsplit(expected or ""), urlsplit(got or "")
    found = []
    if want.scheme.lower() != have.scheme.lower():
        found.append("scheme (%s instead of %s)" % (have.scheme or "none", want.scheme or "none"))
    if (want.hostname or "").lower() != (have.hostname or "").lower():
        found.append("host (%s instead of %s)" % (have.hostname or "none", want.hostname or "none"))
    elif _explicit_port(want) != _explicit_port(have):
        found.append("port (%s instead of %s)" % (_port(have), _port(want)))
    want_path, have_path = want.path or "/", have.path or "/"
    if want_path != have_path:
        if want_path.rstrip("/") == have_path.rstrip("/"):
            found.append("trailing slash (%s instead of %s)" % (have_path, want_path))
        else:
            found.append("path (%s instead of %s)" % (have_path, want_path))
    if want.query != have.query:
        found.append("query (%r instead of %r)" % (have.query, want.query))
    return found or ["spelling (%s instead of %s)" % (got, expected)]


def resource_matches(mcp_url, resource) -> bool:
    """VS Code's rule: the PRM ``resource`` is the configured URL (both normalised)."""
    return bool(resource) and normalise_url(mcp_url) == normalise_url(resource)


def sdk_accepts_resource(mcp_url, resource) -> bool:
    """The MCP Python SDK's looser rule: same scheme and host:port, and the URL's path starts with the
    resource's path (trailing slashes ignored)."""
    want, have = urlsplit(mcp_url or ""), urlsplit(resource or "")
    if want.scheme.lower() != have.scheme.lower() or want.netloc.lower() != have.netloc.lower():
        return False
    return (want.path.rstrip("/") + "/").startswith(have.path.rstrip("/") + "/")


def issuer_matches(expected, issuer) -> bool:
    """Simple string comparison (RFC 8414 §3.3); a root issuer with or without its ``/`` counts as
    equal, as the MCP SDK's URL type writes a root URL with one."""
    if not isinstance(issuer, str) or not expected:
        return False
    if issuer == expected:
        return True
    roots = [value for value in (expected, issuer) if urlsplit(value).path in ("", "/")]
    return len(roots) == 2 and expected.rstrip("/") == issuer.rstrip("/")


def choose_scope(challenge_scope, prm_scopes):
    """The scope a client requests: the challenge's, else the PRM's ``scopes_supported``, else None.

    Scope values are joined with single spaces and never start with one: an empty scope list must
    mean "no scope parameter", not ``""`` (the SDK's ``" offline_access"`` pitfall, which AM refuses).
    """
    if isinstance(challenge_scope, str) and challenge_scope.split():
        values = challenge_scope.split()
    elif isinstance(prm_scopes, list):
        values = [s.strip() for s in prm_scopes if isinstance(s, str) and s.strip()]
    else:
        values = []
    values = list(dict.fromkeys(values))
    return " ".join(values) if values else None
