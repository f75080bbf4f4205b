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
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

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
