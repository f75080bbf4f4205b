# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""Checks on MCP resource identifiers, made before any request.

An MCP client sends the URL it connects to as the OAuth ``resource`` parameter, and the AM
gateway accepts it only when it *exactly* equals an identifier stored on a protected
resource (the gateway's ``ResourceValidationServiceImpl.java``). AM stores identifiers trimmed
and lowercased in full, path included (``ProtectedResourceServiceImpl.java``), so:

* an identifier with upper-case letters would be stored differently from what the client
  sends: refused here, with the lowercase form to use (policy: error, not normalisation,
  because the APIM entrypoint path must be made lowercase too, or clients still fail);
* a ``#fragment`` is rejected by AM (and RFC 8707 forbids it);
* a host with ``_`` has no host for ``java.net.URI`` and AM rejects it as "Invalid URL";
* the identifier must be an absolute URL with a scheme and a host, without spaces.

Failing here keeps a task from half-applying (the error comes before any write) and names
the option and the fix.

The *URL forms* of an identifier are the spellings a person may type for the same APIM endpoint
that a client then sends unchanged: with and without the trailing slash (APIM routes both to the
API, since an API's context path matches its path with or without the final ``/``, and its OAuth2
plan publishes the Protected Resource Metadata ``resource`` from the request path, so the MCP SDK
sends each as it was typed). Other spellings need no identifier of their own: MCP clients lowercase
the scheme and host before sending them, and an explicit default port (``:443``) is refused by the
MCP SDK itself, whose HTTP client drops the port from the request while the SDK keeps it in the URL
it compares with the metadata's ``resource``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*$")


def _host_of(netloc: str) -> str:
    """The host part of an authority, as written (userinfo and port removed)."""
    host_port = netloc.rsplit("@", 1)[-1]
    if host_port.startswith("["):
        return host_port.split("]", 1)[0] + "]"
    return host_port.split(":", 1)[0]


def identifier_problem(value) -> str | None:
    """Why ``value`` cannot be an MCP resource identifier, or None when it can."""
    if not isinstance(value, str) or not value.strip():
        return "is empty"
    if value != value.strip() or any(ch.isspace() for ch in value):
        return "contains spaces; AM rejects it. Remove them"
    if "#" in value:
        return ("has a fragment (#...); AM rejects identifiers with a fragment (RFC 8707). Remove the "
                "'#' part")
    try:
        parts = urlsplit(value)
    except ValueError:
        return "is not a valid URL"
    host = _host_of(parts.netloc) if parts.netloc else ""
    if not parts.scheme or not _SCHEME.match(parts.scheme) or not host:
        return ("is not an absolute URL with a scheme and a host; use the public URL of the APIM endpoint, "
                "for example https://apim-gateway.example.com/mcp")
    if "_" in host:
        return ("has '_' in its host '%s'; AM (java.net.URI) finds no host in it and rejects it as an invalid "
                "URL. Use a host name without '_' (for example a DNS alias)" % host)
    if value != value.lower():
        return ("contains upper-case letters; AM stores identifiers lowercased and MCP clients compare them "
                "exactly, so a client using this URL would be refused (invalid_target). Use '%s', and make "
                "sure the APIM entrypoint path is lowercase too" % value.lower())
    return None


def identifier_errors(values) -> list:
    """Every problem of a list of identifiers, as ``"'<value>' <problem>"`` strings."""
    problems = []
    seen = set()
    for value in values or []:
        problem = identifier_problem(value)
        if problem:
            problems.append("'%s' %s" % (value, problem))
        elif value in seen:
            problems.append("'%s' is listed twice; list each identifier once" % value)
        seen.add(value)
    if not values:
        problems.append("at least one identifier is required")
    return problems


def url_forms(identifier) -> list:
    """``identifier`` and its other slash form (``https://gw/mcp/`` and ``https://gw/mcp``), in that order."""
    parts = urlsplit(identifier)
    path = parts.path
    other = path.rstrip("/") if path.endswith("/") else path + "/"
    if path in ("", "/"):
        other = "/" if path == "" else ""
    return list(dict.fromkeys([identifier, urlunsplit(parts._replace(path=other))]))


def with_url_forms(identifiers) -> list:
    """Every identifier followed by its other slash form, each once (the given order kept)."""
    forms = []
    for identifier in identifiers or []:
        forms += url_forms(identifier)
    return list(dict.fromkeys(forms))
