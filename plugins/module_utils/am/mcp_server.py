# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""am_mcp_server: the task's options as the module's view of an MCP server (``mcp_model``), checked
before the first write (``mcp_identifiers``, ``mcp_rules``, ``mcp_secrets``), then brought to its
state by the engine; secret changes (AM 4.11+) follow the engine's write."""

from __future__ import annotations

from ..core.errors import GraviteeError, usage_error
from .client import domain_gateway_segment, domain_scope_keys, explain_domain_id, task_domain
from .mcp_identifiers import identifier_errors, with_url_forms
from .mcp_model import am_create_body, am_patch, differing_keys, in_sync, scopes_in_use, server_view, target_view
from .mcp_rules import (
    check_client_id,
    check_tools,
    check_update_secret,
    duplicate_identifier_error,
    explain_write_error,
    short_secret_problem,
    unknown_scopes_error,
)
from .mcp_secrets import SECRET_ACTIONS, apply_secret_changes, plan_secret_changes
from .resources import (
    create_mcp_server,
    delete_mcp_server,
    get_mcp_server,
    list_mcp_servers,
    match_by_identifiers,
    patch_mcp_server,
)


def desired_state(params) -> dict:
    """What the task asks for, as the module's view (None: not managed)."""
    tools = params.get("tools")
    identifiers = list(params["resource_identifier"] or [])
    return {
        "name": params.get("name"),
        "description": params.get("description"),
        "client_id": params.get("client_id"),
        "resource_identifiers": with_url_forms(identifiers) if params.get("url_forms") else identifiers,
        "tools": None if tools is None else [
            {"name": t["name"], "description": t.get("description"), "scopes": t.get("scopes")} for t in tools],
    }


def input_problems(params) -> list:
    """Mistakes in the options, found before any request."""
    problems = ["resource_identifier: %s." % p for p in identifier_errors(params["resource_identifier"])]
    problems += check_tools(params.get("tools"))
    problems += [p for p in [short_secret_problem(params.get("client_secret"))] if p]
    name = params.get("name")
    if params["state"] == "present" and name is not None and not 1 <= len(name.strip()) <= 64:
        problems.append("name: must be 1 to 64 characters long (AM trims it); got %d." % len(name.strip()))
    for option in SECRET_ACTIONS:
        if params["state"] == "absent" and params[option]:
            problems.append("%s: has no meaning with state=absent; remove it." % option)
    if params["rotate_secret"] and params["add_secret"]:
        problems.append("rotate_secret and add_secret: choose one (add_secret keeps the old secret valid).")
    for option in ("add_secret", "remove_secrets_except"):
        if params[option] is not None and not params[option].strip():
            problems.append("%s: must name a secret (not empty)." % option)
    return problems


def _require_scopes(domain, client, tools):
    used = scopes_in_use(tools)
    if used:
        known = domain_scope_keys(client)
        missing = {scope: names for scope, names in used.items() if scope not in known}
        if missing:
            raise unknown_scopes_error(domain, missing)


def created_view(client, answer, wanted) -> dict:
    """The new server: AM's create answer holds its id and client id, and the rest is what was sent (as AM stores
    it: trimmed, lowercase identifiers), so it is not read again; an answer without them is read back."""
    if isinstance(answer, dict) and answer.get("id") and answer.get("clientId"):
        return dict(target_view(None, wanted), id=answer["id"], client_id=answer["clientId"])
    return server_view(get_mcp_server(client, answer["id"]))


def _security_domain(domain, params) -> dict:
    """``{"security_domain": ...}`` when the domain was read; a domain given by id was not, so its path is unknown."""
    return {} if params.get("domain_id") else {"security_domain": domain_gateway_segment(domain)}


def run(gm) -> dict:
    """The am_mcp_server task: ``{"changed", "mcp_server", "diff", "security_domain"[, "client_secret"]}``."""
    params = gm.params
    problems = input_problems(params)
    if problems:
        raise usage_error(" ".join(problems))
    domain = task_domain(gm, params)
    client = gm.am_domain_client(domain)
    desired = desired_state(params)
    try:
        servers = list_mcp_servers(client)
    except GraviteeError as err:
        raise explain_domain_id(err, params) from None
    found = match_by_identifiers(servers, desired["resource_identifiers"])
    if len(found) > 1:
        raise duplicate_identifier_error(domain, found)
    current = server_view(found[0][0]) if found else None
    if params["state"] == "absent":
        result = gm.ensure(key="mcp_server", current=current, desired=desired, state="absent",
                           delete=lambda stored: delete_mcp_server(client, stored["id"])).result
        return dict(result, **_security_domain(domain, params))

    # Everything that can be refused is checked before the first write.
    check_client_id(domain, current, desired["client_id"], servers)
    check_update_secret(current, params["update_secret"])
    secret_changes = plan_secret_changes(gm, client, current, params)
    target = target_view(current, desired)
    if current is None or "tools" in differing_keys(target, current):
        _require_scopes(domain, client, target["tools"])

    created = {}

    def create(wanted):
        try:
            answer = create_mcp_server(client, am_create_body(target_view(None, wanted), params["client_secret"]))
        except GraviteeError as err:
            raise explain_write_error(err, domain, wanted) from None
        created["secret"] = answer.get("clientSecret")
        gm.register_secret(created["secret"])
        return created_view(client, answer, wanted)

    def update(stored, wanted):
        try:
            return server_view(patch_mcp_server(client, stored["id"], am_patch(target_view(stored, wanted), stored)))
        except GraviteeError as err:
            raise explain_write_error(err, domain, wanted) from None

    outcome = gm.ensure(key="mcp_server", current=current, desired=desired, create=create, update=update,
                        compare=in_sync, predict=target_view)
    result = dict(outcome.result, **_security_domain(domain, params))
    if created.get("secret"):
        result["client_secret"] = created["secret"]
    if secret_changes.any:
        result["changed"] = True
        new_secret = apply_secret_changes(gm, client, current, secret_changes)
        if new_secret:
            result["client_secret"] = new_secret
    return result
