# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""AM protected resources of type MCP_SERVER ("MCP servers"; AM's ``ProtectedResourcesResource.java`` and
``ProtectedResourceSecretsResource.java``, AM 4.10+).

Every function takes a *domain* client (base ``E/domains/{domainId}``, see
``GraviteeModule.am_domain_client``) and returns AM's JSON documents as they are.

Facts this file relies on:

* list, get and delete need ``?type=MCP_SERVER``; PATCH does not take it;
* AM writes enums lowercase (``"mcp_server"``, ``"mcp_tool"``) and reads them in any case,
  but create wants exactly ``MCP_SERVER`` / ``MCP_TOOL``: send upper case, compare with
  :func:`same_enum`;
* the list's ``q`` (4.11+) matches client id or name only, never resource identifiers, so
  finding a server by identifier always reads every page (on 4.10 there is no ``q`` at all);
* the AM management API has no version endpoint (``/management/platform`` offers
  installation, license and plugins only). The secrets sub-API arrived in 4.11, so
  :func:`list_secrets` *is* the version probe: a read that AM 4.10 answers with Jersey's
  404 "HTTP 404 Not Found" (no such route) instead of a list;
* MCP servers arrived in 4.10: older AM answers the list with the same route-level 404.
"""

from __future__ import annotations

from ..core.errors import GraviteeError, usage_error, with_hint
from ..core.pagination import iter_am_items

MCP_SERVER = "MCP_SERVER"
MCP_TOOL = "MCP_TOOL"
RESOURCES = "protected-resources"
TYPE_PARAM = {"type": MCP_SERVER}
# What AM (Jersey) answers when no resource class matches the path, i.e. the endpoint does
# not exist in this AM version; a missing *object* has a "... can not be found." message.
ROUTE_NOT_FOUND = "HTTP 404 Not Found"


def same_enum(left, right) -> bool:
    """AM enums compare without regard to case ("mcp_tool" == "MCP_TOOL")."""
    return str(left or "").upper() == str(right or "").upper()


def resource_path(resource_id=None, *parts) -> str:
    path = RESOURCES if resource_id is None else "%s/%s" % (RESOURCES, resource_id)
    return "/".join((path,) + tuple(str(p).strip("/") for p in parts))


def is_missing_route(err: GraviteeError) -> bool:
    """AM answered "no such endpoint": this AM version does not have the API (see ``ROUTE_NOT_FOUND``)."""
    return err.status == 404 and (err.gravitee_message or "").strip() in ("", ROUTE_NOT_FOUND)


def list_mcp_servers(domain_client) -> list:
    """Every MCP server of the domain (all pages). Fails clearly on AM older than 4.10."""
    try:
        return [item for item in iter_am_items(domain_client, RESOURCES, params=dict(TYPE_PARAM))
                if same_enum(item.get("type"), MCP_SERVER)]
    except GraviteeError as err:
        if is_missing_route(err):
            raise with_hint(err, "This AM has no protected-resources API: MCP servers need AM 4.10 or later.") \
                from None
        raise


def get_mcp_server(domain_client, resource_id) -> dict:
    return domain_client.get(resource_path(resource_id), params=dict(TYPE_PARAM)).body


def create_mcp_server(domain_client, body) -> dict:
    """POST; AM answers ``{id, name, clientId, clientSecret}`` (the only time the secret is shown)."""
    return domain_client.post(RESOURCES, json=body).body


def patch_mcp_server(domain_client, resource_id, patch) -> dict:
    """PATCH the given keys only (lists replace the stored list); AM answers the full resource."""
    if not patch:
        raise usage_error("Internal error: an empty PATCH would be refused by AM.")
    return domain_client.patch(resource_path(resource_id), json=patch).body


def delete_mcp_server(domain_client, resource_id) -> bool:
    """DELETE; True when AM deleted it, False when it was already gone (404)."""
    response = domain_client.delete(resource_path(resource_id), params=dict(TYPE_PARAM), allow_status=(404,))
    return response.status != 404


def list_secrets(domain_client, resource_id) -> list:
    """The resource's secrets (no values). On AM 4.10 (no secrets API) the error passes
    :func:`is_missing_route`."""
    body = domain_client.get(resource_path(resource_id, "secrets")).body
    return body if isinstance(body, list) else []


def pick_secret_to_renew(secrets) -> dict | None:
    """The secret a rotation renews: the only one, else the one AM named "Default", else the oldest."""
    if not secrets:
        return None
    for secret in secrets:
        if secret.get("name") == "Default":
            return secret
    return min(secrets, key=lambda s: s.get("createdAt") or 0)


def renew_secret(domain_client, resource_id, secret_id) -> dict:
    """POST ``.../secrets/{id}/_renew`` without a body (the endpoint takes none); the answer carries
    the new ``secret``, shown this once."""
    return domain_client.post(resource_path(resource_id, "secrets", secret_id, "_renew")).body


def add_secret(domain_client, resource_id, name) -> dict:
    """POST ``.../secrets`` ``{"name"}``: a new random secret next to the others, shown once under ``secret``.
    The existing secrets stay valid, which is what a rotation without downtime needs."""
    return domain_client.post(resource_path(resource_id, "secrets"), json={"name": name}).body


def delete_secret(domain_client, resource_id, secret_id) -> None:
    """DELETE one secret; AM refuses to delete the last one (400 "Cannot remove last secret")."""
    domain_client.delete(resource_path(resource_id, "secrets", secret_id))


def match_by_identifiers(servers, identifiers) -> list:
    """``[(server, [shared identifiers])]`` for each server holding one of ``identifiers``.

    AM keeps identifiers lowercase; the comparison lowercases both sides anyway so an
    identifier stored by another client in another case still counts as taken.
    """
    wanted = {str(i).lower() for i in identifiers or []}
    found = []
    for server in servers:
        shared = [i for i in server.get("resourceIdentifiers") or [] if str(i).lower() in wanted]
        if shared:
            found.append((server, shared))
    return found
