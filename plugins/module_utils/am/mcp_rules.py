# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""The am_mcp_server rules that can refuse a task, each with a message naming the option and the fix.

All of them run before the first write, so a refused task changes nothing. AM's own
refusals of a write (a race with another client, or an application already using the
client id) get the same kind of hint through :func:`explain_write_error`.
"""

from __future__ import annotations

import re

from ..core.errors import KIND_LOOKUP, KIND_USAGE, GraviteeError, usage_error
from .resources import with_hint

TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def _domain_label(domain) -> str:
    return "'%s'" % (domain.get("hrid") or domain.get("name") or domain.get("id"))


def _server_label(server) -> str:
    name = server.get("name")
    client_id = server.get("client_id", server.get("clientId"))
    return "'%s' (id %s, client id '%s')" % (name, server.get("id"), client_id)


def check_tools(tools) -> list:
    """Problems in the ``tools`` option (AM's rules for feature keys, plus unique names)."""
    problems = []
    names = [tool.get("name") for tool in tools or []]
    for name in names:
        if not isinstance(name, str) or not TOOL_NAME.match(name):
            problems.append("tools: name '%s' must be 1 to 64 characters of a-z, A-Z, 0-9, '_' and '-' (AM's rule "
                            "for feature keys)." % name)
    twice = sorted({n for n in names if names.count(n) > 1 and n is not None})
    if twice:
        problems.append("tools: each name must be unique; listed more than once: %s." % ", ".join(twice))
    for tool in tools or []:
        blank = [s for s in tool.get("scopes") or [] if not str(s).strip()]
        if blank:
            problems.append("tools: tool '%s' has an empty scope: remove it, or give the key of a scope of the "
                            "domain." % tool.get("name"))
    return problems


def duplicate_identifier_error(domain, found) -> GraviteeError:
    """Several MCP servers hold the identifiers the task lists: it cannot tell which one it manages."""
    holders = "; ".join("%s held by MCP server %s" % (", ".join("'%s'" % i for i in shared), _server_label(server))
                        for server, shared in found)
    text = ("resource_identifier: the identifiers belong to %d different MCP servers of domain %s: %s. A resource "
            "identifier is unique in a domain and one task manages one MCP server: list only the identifiers of one "
            "server, or remove the identifier from the other server first.")
    return GraviteeError(text % (len(found), _domain_label(domain), holders), product="AM", kind=KIND_LOOKUP)


def check_client_id(domain, current, client_id, servers) -> None:
    """``client_id`` can be set on creation only, and must be free among the domain's MCP servers."""
    if not client_id:
        return
    if current is not None:
        if current.get("client_id") != client_id:
            raise usage_error(
                "client_id: MCP server '%s' (id %s), which holds these resource identifiers, has client id '%s', "
                "not '%s'. AM cannot change the client id of an existing MCP server: leave client_id out (or set "
                "it to '%s'), or delete the server (state: absent) and create it again with the new client id."
                % (current.get("name"), current.get("id"), current.get("client_id"), client_id,
                   current.get("client_id")))
        return
    for server in servers:
        if server.get("clientId") == client_id:
            raise usage_error(
                "client_id: '%s' is already the client id of MCP server %s in domain %s (identifiers: %s). Client "
                "ids are unique among the applications and MCP servers of a domain: choose another client_id, or "
                "leave it out to let AM generate one." % (
                    client_id, _server_label(server), _domain_label(domain),
                    ", ".join(server.get("resourceIdentifiers") or [])))


def check_update_secret(current, update_secret) -> None:
    """``update_secret: always`` cannot be honoured on an existing server: say so instead of pretending."""
    if update_secret == "always" and current is not None:
        raise usage_error(
            "update_secret: always cannot be honoured: MCP server %s already exists and AM cannot set a chosen "
            "client secret on an existing MCP server (its secrets API only generates random secrets, and AM 4.10 "
            "has none), nor tell whether the stored secret equals client_secret. Use update_secret: on_create "
            "(client_secret is used when the server is created), rotate_secret: true to have AM generate a new "
            "secret (AM 4.11+, returned as client_secret), or delete the server (state: absent) and create it "
            "again with client_secret." % _server_label(current))


def rotation_unsupported_error(err, option="rotate_secret") -> GraviteeError:
    """AM answered the secrets list of a server with "no such endpoint" (``err``): it is AM 4.10."""
    return err.replace(
        message="%s: this AM has no secrets API for MCP servers (GET %s answered 404, as AM 4.10 does): "
        "changing a client secret needs AM 4.11 or later. On AM 4.10, delete the MCP server (state: absent) and "
        "create it again (the same client_id can be given again); the new secret is returned as client_secret."
        % (option, err.url), kind=KIND_USAGE, technical_code=None, body=None, hint=None)


def unknown_scopes_error(domain, missing) -> GraviteeError:
    """``missing``: ``{scope: [tool names]}`` for scopes the domain does not have."""
    listing = "; ".join("'%s' (tools: %s)" % (scope, ", ".join(names)) for scope, names in sorted(missing.items()))
    return GraviteeError(
        "tools: these scopes do not exist in domain %s: %s. AM refuses unknown tool scopes; create them in the "
        "domain first (AM console: Settings > Scopes) or remove them from tools." % (_domain_label(domain), listing),
        product="AM", kind=KIND_LOOKUP)


def explain_write_error(err, domain, wanted) -> GraviteeError:
    """AM's refusal of a create/PATCH, with what to do about it."""
    message = err.gravitee_message or ""
    if err.status != 400:
        return err
    if message.startswith("A client [") and "already exists" in message:
        return with_hint(err, "client_id '%s' is already used by an application or another MCP server of domain "
                              "%s; client ids are unique among both. Choose another client_id, or leave it out "
                              "to let AM generate one." % (wanted.get("client_id"), _domain_label(domain)))
    if "Resource identifier already exists" in message:
        hint = "Another MCP server of domain %s took one of resource_identifier %s meanwhile; run the task again " \
               "to see which." % (_domain_label(domain), wanted.get("resource_identifiers"))
        return with_hint(err, hint)
    if "scope" in message.lower() and "not valid" in message.lower():
        return with_hint(err, "Every scope in tools must be a scope of domain %s; create it there first."
                         % _domain_label(domain))
    return err


# Ansible masks every occurrence of a no_log value in all task output, so a short secret such as "x" garbles every
# message that contains it ("already e********ists"). A client secret is never that short on purpose.
MIN_SECRET_LENGTH = 8


def short_secret_problem(secret, option="client_secret"):
    if secret is not None and len(secret) < MIN_SECRET_LENGTH:
        return ("%s: must be at least %d characters long (got %d); a shorter one is weak, and Ansible would mask "
                "its every occurrence in the task output, garbling messages." % (option, MIN_SECRET_LENGTH,
                                                                                 len(secret)))
    return None
