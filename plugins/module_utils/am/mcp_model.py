# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""The am_mcp_server module's view of an MCP server, its comparison and AM payloads.

The module works on a small *view* (what it returns and what its diff shows)::

    {"id", "name", "description", "client_id", "resource_identifiers",
     "tools": [{"name", "description", "scopes"}]}

``desired`` has the same keys, with ``None`` for what the task does not manage (also inside
a tool: a tool without ``description`` keeps the stored one). Comparison follows what AM
stores, so a rerun never reports a change AM would not make:

* ``name``, ``description`` and tool descriptions are trimmed by AM; an empty description
  is the same as none;
* the order of resource identifiers, of tools and of a tool's scopes carries no meaning
  (AM keeps lists as sent; MCP clients and the gateway match by value);
* tools are AM "features" of type ``MCP_TOOL`` (AM writes ``mcp_tool``), matched by key.

Payloads contain only fields AM knows (it rejects unknown ones) and, for PATCH, only the
keys that differ, each list whole (a list in a PATCH replaces the stored one).
"""

from __future__ import annotations

import copy

from .resources import MCP_SERVER, MCP_TOOL, same_enum

MANAGED = ("name", "description", "resource_identifiers", "tools")
AM_FIELD = {"name": "name", "description": "description", "resource_identifiers": "resourceIdentifiers",
            "tools": "features"}


def _text(value):
    return None if value is None else str(value).strip()


def _same_text(left, right) -> bool:
    return (_text(left) or "") == (_text(right) or "")


def _unique(values) -> list:
    return list(dict.fromkeys(values or []))


def tool_view(feature) -> dict:
    return {"name": feature.get("key"), "description": feature.get("description"),
            "scopes": list(feature.get("scopes") or [])}


def server_view(resource) -> dict | None:
    """The view of an AM protected resource document (GET, list entry or PATCH answer)."""
    if resource is None:
        return None
    return {
        "id": resource.get("id"),
        "name": resource.get("name"),
        "description": resource.get("description"),
        "client_id": resource.get("clientId"),
        "resource_identifiers": list(resource.get("resourceIdentifiers") or []),
        "tools": [tool_view(f) for f in resource.get("features") or [] if same_enum(f.get("type"), MCP_TOOL)],
    }


def _same_tools(left, right) -> bool:
    by_name = {t["name"]: t for t in right}
    if len(left) != len(right) or len(by_name) != len(right):
        return False
    for tool in left:
        other = by_name.get(tool["name"])
        if other is None or not _same_text(tool.get("description"), other.get("description")):
            return False
        if set(tool.get("scopes") or []) != set(other.get("scopes") or []):
            return False
    return True


def same_value(key, left, right) -> bool:
    """Whether two *complete* views agree on ``key`` (as AM would store it)."""
    if key in ("name", "description"):
        return _same_text(left, right)
    if key == "resource_identifiers":
        return {str(i).lower() for i in left or []} == {str(i).lower() for i in right or []}
    if key == "tools":
        return _same_tools(left or [], right or [])
    return left == right


def _target_tool(wanted, stored) -> dict:
    description = wanted.get("description")
    if description is None and stored is not None:
        description = stored.get("description")
    scopes = wanted.get("scopes")
    if scopes is None:
        scopes = stored.get("scopes") if stored is not None else []
    return {"name": wanted["name"], "description": _text(description), "scopes": _unique(scopes)}


def target_view(current, desired) -> dict:
    """The server as it should be after the task: ``desired`` over ``current`` (None: a new one)."""
    target = copy.deepcopy(current) if current is not None else {
        "id": None, "name": None, "description": None, "client_id": desired.get("client_id"),
        "resource_identifiers": [], "tools": []}
    if desired.get("name") is not None:
        target["name"] = _text(desired["name"])
    if desired.get("description") is not None:
        target["description"] = _text(desired["description"])
    if desired.get("resource_identifiers") is not None:
        target["resource_identifiers"] = list(desired["resource_identifiers"])
    if desired.get("tools") is not None:
        stored = {t["name"]: t for t in (current or {}).get("tools") or []}
        target["tools"] = [_target_tool(t, stored.get(t["name"])) for t in desired["tools"]]
    return target


def differing_keys(target, current) -> list:
    return [key for key in MANAGED if not same_value(key, target.get(key), (current or {}).get(key))]


def in_sync(desired, current) -> bool:
    """True when the stored server already is what the task asks for."""
    return not differing_keys(target_view(current, desired), current)


def am_features(tools) -> list:
    """Tools as AM features: ``{key, type: MCP_TOOL, description?, scopes?}`` (no nulls sent)."""
    features = []
    for tool in tools or []:
        feature = {"key": tool["name"], "type": MCP_TOOL}
        if tool.get("description"):
            feature["description"] = tool["description"]
        if tool.get("scopes"):
            feature["scopes"] = list(tool["scopes"])
        features.append(feature)
    return features


def _am_value(key, target):
    return am_features(target["tools"]) if key == "tools" else copy.deepcopy(target[key])


def am_patch(target, current) -> dict:
    """The PATCH body: only the keys that differ, lists whole."""
    return {AM_FIELD[key]: _am_value(key, target) for key in differing_keys(target, current)}


def am_create_body(target, client_secret=None) -> dict:
    """The POST body of a new MCP server (``NewProtectedResource``)."""
    body = {"name": target["name"], "type": MCP_SERVER, "resourceIdentifiers": list(target["resource_identifiers"])}
    if target.get("description"):
        body["description"] = target["description"]
    if target.get("client_id"):
        body["clientId"] = target["client_id"]
    if client_secret:
        body["clientSecret"] = client_secret
    if target.get("tools"):
        body["features"] = am_features(target["tools"])
    return body


def scopes_in_use(tools) -> dict:
    """``{scope: [tool names]}`` for the tools' scopes."""
    used = {}
    for tool in tools or []:
        for scope in tool.get("scopes") or []:
            used.setdefault(scope, []).append(tool["name"])
    return used
