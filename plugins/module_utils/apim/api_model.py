# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""apim_api's model: its options checked and mapped to the managed fields of a V4 API definition.

The managed fields are the name, version, description, labels, the first HTTP listener path, the
target of the first endpoint of the API type's endpoint group, and the listed resources; an update
changes only those in the full definition, so everything set in the Console is kept. Bodies follow
``CreateApiV4`` and ``UpdateApiV4`` of the management API v2 (``openapi-apis.yaml``).
"""

from __future__ import annotations

import copy
import re
from urllib.parse import urlsplit

from ..core.errors import usage_error
from .api import API_TYPES, merge_resources, resources_in_sync
from .api_paths import http_paths, sanitise_context_path
from .api_rollout import start_pending, with_start_pending
from .plan_model import security_label, security_type

OPTION_TYPES = {value: key for key, value in API_TYPES.items()}
CONNECTORS = {"MCP_PROXY": "mcp-proxy", "PROXY": "http-proxy"}
GROUP_NAMES = {"MCP_PROXY": ("Default MCP Proxy group", "Default MCP Proxy"),
               "PROXY": ("Default HTTP proxy group", "Default HTTP proxy")}
_FORBIDDEN_PATH_CHARACTERS = re.compile(r'[\s"<>\\^`{|}?#]')


def _check_url(option, value):
    parts = urlsplit(value or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise usage_error("%s must be an http:// or https:// URL with a host, got %r." % (option, value))


def validate_params(params):
    """Clear errors for input Ansible's argument spec cannot check, before any request."""
    if params["state"] != "present":
        return
    path = params["context_path"]
    if not path.strip("/") or _FORBIDDEN_PATH_CHARACTERS.search(path):
        raise usage_error("context_path must be a URL path such as /mcp-proxy (not '/', no spaces, '?' or '#'), "
                          "got %r." % path)
    if path != path.lower():
        # The gateway matches paths case-sensitively, and AM keeps an MCP server's resource identifier in
        # lower case: the public URL of an upper-case path would never match its AM resource.
        raise usage_error("context_path must be lower case, got %r: APIM matches paths case-sensitively and AM "
                          "stores the MCP resource identifier in lower case, so OAuth2 discovery would never match. "
                          "Use context_path: %s." % (path, path.lower()))
    _check_url("upstream_url", params["upstream_url"])
    if params["gateway_url"] is not None:
        _check_url("gateway_url", params["gateway_url"])
    names = [resource["name"] for resource in params["resources"] or []]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise usage_error("resources lists the name(s) %s more than once; resource names must be unique."
                          % ", ".join(duplicated))
    if not params["api_version"]:
        raise usage_error("api_version must not be empty: give the version of the API, for example 1.0, or leave it "
                          "out (default 1.0).")


def desired_state(params) -> dict:
    """What the task manages, in the module's words (None: not managed)."""
    return {
        "name": params["name"],
        "type": API_TYPES[params["type"]],
        "context_path": sanitise_context_path(params["context_path"]),
        "upstream_url": params["upstream_url"],
        "description": params["description"],
        "api_version": params["api_version"],
        "labels": params["labels"],
        "resources": params["resources"],
        "start_pending": None,  # set by the flow once it knows the API's plans
    }


# --- mapping between the definition and the managed fields --------------------------------

def create_body(desired) -> dict:
    """The CreateApiV4 body; resources and labels are not part of it and need a PUT afterwards."""
    connector = CONNECTORS[desired["type"]]
    group_name, endpoint_name = GROUP_NAMES[desired["type"]]
    body = {
        "definitionVersion": "V4",
        "type": desired["type"],
        "name": desired["name"],
        "apiVersion": desired["api_version"],
        "listeners": [{"type": "HTTP", "paths": [{"path": desired["context_path"]}],
                       "entrypoints": [{"type": connector, "qos": "NONE", "configuration": {}}]}],
        "endpointGroups": [_endpoint_group(desired["type"], desired["upstream_url"], group_name, endpoint_name)],
        "flowExecution": {"mode": "DEFAULT", "matchRequired": False},
        "flows": [],
    }
    if desired["description"] is not None:
        body["description"] = desired["description"]
    return body


def _endpoint_group(api_type, upstream_url, group_name, endpoint_name):
    connector = CONNECTORS[api_type]
    return {"name": group_name, "type": connector, "loadBalancer": {"type": "ROUND_ROBIN"},
            "sharedConfiguration": {"http": {"version": "HTTP_1_1", "connectTimeout": 3000, "readTimeout": 10000}},
            "endpoints": [{"name": endpoint_name, "type": connector, "weight": 1, "inheritConfiguration": True,
                           "configuration": {"target": upstream_url}}]}


def _http_listener(api):
    return next((item for item in api.get("listeners") or [] if item.get("type") == "HTTP"), None)


def _main_endpoint(api):
    connector = CONNECTORS.get(api.get("type"))
    for group in api.get("endpointGroups") or []:
        if group.get("type") == connector and group.get("endpoints"):
            return group["endpoints"][0]
    return None


def _has_entrypoint(api):
    listener = _http_listener(api) or {}
    return any(e.get("type") == CONNECTORS.get(api.get("type")) for e in listener.get("entrypoints") or [])


def managed_view(api) -> dict:
    """The fields this module manages, read from a full definition."""
    paths = http_paths(api)
    endpoint = _main_endpoint(api) or {}
    configuration = endpoint.get("configuration") if isinstance(endpoint.get("configuration"), dict) else {}
    return {
        "name": api.get("name"),
        "type": api.get("type"),
        "context_path": paths[0].get("path") if paths else None,
        "upstream_url": configuration.get("target"),
        "description": api.get("description"),
        "api_version": api.get("apiVersion"),
        "labels": list(api.get("labels") or []),
        "resources": list(api.get("resources") or []),
    }


def in_sync(desired, api, purge=False) -> bool:
    current = managed_view(api)
    for key in ("name", "context_path", "upstream_url", "api_version"):
        if current[key] != desired[key]:
            return False
    if desired["description"] is not None and (current["description"] or "") != desired["description"]:
        return False
    if desired["labels"] is not None and sorted(set(current["labels"])) != sorted(set(desired["labels"])):
        return False
    if desired.get("start_pending") is not None and start_pending(api) != desired["start_pending"]:
        return False
    return _has_entrypoint(api) and resources_in_sync(current["resources"], desired["resources"], purge)


def apply_desired(api, desired, purge=False) -> dict:
    """A copy of the full definition with the managed fields set; everything else untouched."""
    definition = copy.deepcopy(api)
    definition["name"] = desired["name"]
    definition["apiVersion"] = desired["api_version"]
    if desired["description"] is not None:
        definition["description"] = desired["description"]
    if desired["labels"] is not None:
        definition["labels"] = list(desired["labels"])
    _apply_listener(definition, desired)
    _apply_endpoint(definition, desired)
    if desired["resources"] is not None or purge:
        definition["resources"] = merge_resources(definition.get("resources"), desired["resources"] or [], purge)
    if desired.get("start_pending") is not None and start_pending(definition) != desired["start_pending"]:
        definition = with_start_pending(definition, desired["start_pending"])
    return definition


def _apply_listener(definition, desired):
    connector = CONNECTORS[definition["type"]]
    listener = _http_listener(definition)
    if listener is None:
        listener = {"type": "HTTP", "paths": [], "entrypoints": []}
        definition.setdefault("listeners", []).append(listener)
    paths = listener.setdefault("paths", [])
    if paths:
        paths[0] = dict(paths[0], path=desired["context_path"])
    else:
        paths.append({"path": desired["context_path"]})
    entrypoints = listener.setdefault("entrypoints", [])
    if not any(e.get("type") == connector for e in entrypoints):
        entrypoints.append({"type": connector, "qos": "NONE", "configuration": {}})


def _apply_endpoint(definition, desired):
    endpoint = _main_endpoint(definition)
    if endpoint is None:
        group_name, endpoint_name = GROUP_NAMES[definition["type"]]
        group = _endpoint_group(definition["type"], desired["upstream_url"], group_name + " (Ansible)",
                                endpoint_name + " (Ansible)")
        definition.setdefault("endpointGroups", []).append(group)
        return
    configuration = endpoint.get("configuration")
    endpoint["configuration"] = dict(configuration if isinstance(configuration, dict) else {},
                                     target=desired["upstream_url"])


def predicted_creation(desired, purge=False) -> dict:
    """What APIM would hold after the creation (check mode): a stopped API without plans."""
    api = create_body(desired)
    api.update({"id": None, "state": "STOPPED", "deploymentState": "NEED_REDEPLOY", "lifecycleState": "CREATED",
                "visibility": "PRIVATE", "labels": list(desired["labels"] or []), "resources": []})
    return apply_desired(api, desired, purge)


def summary(api, gateway_url=None) -> dict:
    """The ``api`` result: the managed view plus identity and runtime state."""
    view = managed_view(api)
    view.update({"id": api.get("id"), "type": OPTION_TYPES.get(api.get("type"), api.get("type")),
                 "state": api.get("state"), "deployment_state": api.get("deploymentState"),
                 "start_pending": start_pending(api)})
    if gateway_url and view["context_path"]:
        view["entrypoint_url"] = gateway_url.rstrip("/") + view["context_path"]
    return view


def plan_summaries(plans) -> list:
    """The ``api.plans`` result: id, name, security (the module words) and status of each plan."""
    return [{"id": plan.get("id"), "name": plan.get("name"), "security": security_label(security_type(plan)),
             "status": plan.get("status")} for plan in plans]
