"""Domain validation and sanitising of a V4 API definition (create and PUT), after shapes.py.

Facts modelled (gravitee-api-management 4.12.17, ``ApiValidationServiceImpl`` and friends):

- ``ListenerValidationServiceImpl``: one listener per type; HTTP listener paths go through
  ``VerifyApiPathDomainService``: each path is sanitised (leading and trailing ``/``, duplicate slashes removed,
  must form a valid URI), duplicates in the request are refused, and a path that is a prefix of (or prefixed by)
  a path of another API of the environment on the same host is refused with "Path [<existing>] already exists"
  (400, first error only). Entrypoints: at least one, plugin must be installed (else 404 ``plugin.notFound``:
  this is how APIM without the mcp-proxy plugin refuses an MCP_PROXY API), listener type must match, configuration
  sanitised against the plugin schema.
- ``EndpointGroupsValidationServiceImpl``: at least one group and one endpoint, unique names, the group's plugin
  must be installed and serve the API type, endpoint type = group type, configuration sanitised, weight <= 0
  becomes 1, inheriting needs a group shared configuration.
- ``FlowValidationDomainService``: no duplicated selector types; PROXY flows take HTTP/CONDITION selectors,
  MESSAGE CHANNEL/CONDITION, MCP_PROXY MCP/CONDITION.
- ``ResourcesValidationServiceImpl``: every enabled resource's configuration is sanitised against its plugin.
- ``validateAndSanitizeLifecycleState``; an API type can never change.
"""

import re

from tests.sandbox.apim.store import internal

from . import schemas
from .errors import ApimError, api_type_change, domain_validation, lifecycle_change_not_allowed

_DUPLICATE_SLASHES = re.compile(r"/+")
_URI_FORBIDDEN = re.compile(r'[\s"<>\\^`{|}]|%(?![0-9A-Fa-f]{2})')
LISTENER_LABELS = {"HTTP": "http", "SUBSCRIPTION": "subscription", "TCP": "tcp", "KAFKA": "kafka"}
API_TYPE_LABELS = {"PROXY": "proxy", "MESSAGE": "message", "MCP_PROXY": "mcp-proxy", "LLM_PROXY": "llm-proxy",
                   "A2A_PROXY": "a2a-proxy", "AUTHZ": "authz", "EDGE": "edge", "NATIVE": "native"}
FLOW_SELECTORS = {"PROXY": ("HTTP", "CONDITION"), "MESSAGE": ("CHANNEL", "CONDITION"),
                  "MCP_PROXY": ("MCP", "CONDITION")}
CREATABLE_TYPES = ("PROXY", "MESSAGE", "MCP_PROXY", "LLM_PROXY", "A2A_PROXY", "AUTHZ")


def java_set(values):
    return "[" + ", ".join(sorted(values)) + "]"


# -- paths ------------------------------------------------------------------------------------------
def sanitise_path(path):
    """``Path.sanitizePath``; None when the result is not a valid URI path."""
    path = path or "/"
    if not path.startswith("/"):
        path = "/" + path
    if not path.endswith("/"):
        path += "/"
    path = _DUPLICATE_SLASHES.sub("/", path)
    return None if _URI_FORBIDDEN.search(path) else path


def http_paths(api):
    for listener in api.get("listeners") or []:
        if listener.get("type") == "HTTP":
            yield from listener.get("paths") or []


def _conflict(store, env_id, api_id, host, path):
    for other in store.apis_in(env_id):
        if other["id"] == api_id:
            continue
        for existing in http_paths(other):
            if (existing.get("host") or "") == host and (
                    existing["path"].startswith(path) or path.startswith(existing["path"])):
                return existing["path"]
    return None


def verify_paths(store, env_id, api_id, paths):
    if not paths:
        raise domain_validation("HTTP listener requires a minimum of one path")
    errors, sanitised = [], []
    for entry in paths:
        clean = sanitise_path(entry.get("path"))
        if clean is None:
            errors.append(f"Path [{entry.get('path')}] is invalid")
            clean = entry.get("path")
        item = {"path": clean, "overrideAccess": bool(entry.get("overrideAccess", False))}
        if entry.get("host"):
            item["host"] = entry["host"]
        sanitised.append(item)
    seen = []
    for item in sanitised:
        if item in seen:
            errors.append(f"Path [{item['path']}] is duplicated")
        seen.append(item)
    for item in sanitised:
        existing = _conflict(store, env_id, api_id, item.get("host") or "", item["path"])
        if existing:
            errors.append(f"Path [{existing}] already exists")
    if errors:
        raise domain_validation(errors[0])
    return sanitised


# -- listeners and endpoints -----------------------------------------------------------------------
def _entrypoints(sandbox, listener_type, entrypoints):
    label = LISTENER_LABELS[listener_type]
    if not entrypoints:
        raise ApimError(400, f"At least one entrypoint is required for the listener  [{label}].",
                        "listeners.entrypoints.missing", {})
    for entrypoint in entrypoints:
        plugin = schemas.find(sandbox, "entrypoints", entrypoint["type"])
        if plugin.listener_type and plugin.listener_type != listener_type:
            raise ApimError(400, f"The entrypoint [{plugin.id}] doesn't support given listener type [{label}].",
                            "listeners.entrypoints.type.unsupported", {})
        entrypoint.setdefault("qos", "AUTO")
        if entrypoint.get("configuration") is not None:
            entrypoint["configuration"] = schemas.sanitise(plugin.schema(sandbox), entrypoint["configuration"])


def validate_listeners(sandbox, env_id, api_id, listeners):
    types = [listener["type"] for listener in listeners]
    duplicated = {LISTENER_LABELS[t] for t in types if types.count(t) > 1}
    if duplicated:
        raise ApimError(400, f"The api contains duplicated listeners type {java_set(duplicated)}.",
                        "api.listeners.type.duplicated", {"api.listeners.type.duplicated": java_set(duplicated)})
    for listener in listeners:
        if listener["type"] == "HTTP":
            listener["paths"] = verify_paths(sandbox.apim, env_id, api_id, listener.get("paths"))
        _entrypoints(sandbox, listener["type"], listener.get("entrypoints"))


def _unique_name(name, names, what, code, parameter):
    if name in names:
        shown = "null" if name is None else name
        raise ApimError(400, f"The {what} name [{shown}] is already used by another endpoint or endpoint group.",
                        code, {parameter: shown})
    names.add(name)


def _endpoint_missing():
    return ApimError(400, "At least one endpoint is required for an API.", "endpoint.missing", {})


def _group_type_invalid(group_type, message):
    return ApimError(400, message, "api.endpointsGroup.type.invalid", {"api.endpointsGroup[].type": group_type})


def validate_endpoint_groups(sandbox, api_type, groups):
    if not groups:
        raise _endpoint_missing()
    names = set()
    for group in groups:
        _unique_name(group.get("name"), names, "endpoint group", "api.endpointsGroup.name.exists",
                     "api.endpointsGroup[].name")
        plugin = schemas.find(sandbox, "endpoints", group["type"])
        if api_type != "AUTHZ" and plugin.api_type != api_type:
            raise _group_type_invalid(group["type"], f"The endpoint group type [{group['type']}] is invalid.")
        discovery = ((group.get("services") or {}).get("discovery") or {}).get("enabled")
        if not group.get("endpoints") and not discovery:
            raise _endpoint_missing()
        group.setdefault("loadBalancer", {"type": "ROUND_ROBIN"})
        if group.get("sharedConfiguration") is not None:
            group["sharedConfiguration"] = schemas.sanitise(plugin.shared_schema(sandbox), group["sharedConfiguration"])
        for endpoint in group.get("endpoints") or []:
            _endpoint(sandbox, plugin, group, endpoint, names)


def _endpoint(sandbox, plugin, group, endpoint, names):
    _unique_name(endpoint.get("name"), names, "endpoint", "api.endpointsGroup.endpoint.name.exists",
                 "api.endpointsGroup[].endpoint.name")
    if not isinstance(endpoint.get("weight"), int) or endpoint["weight"] <= 0:
        endpoint["weight"] = 1
    if endpoint["type"] != group["type"]:
        raise _group_type_invalid(group["type"], f"The endpoint group's type [{group['type']}] doesn't match "
                                                 f"every endpoint types declared.")
    if endpoint.get("configuration") is not None:
        endpoint["configuration"] = schemas.sanitise(plugin.schema(sandbox), endpoint["configuration"])
    endpoint.setdefault("inheritConfiguration", False)
    endpoint.setdefault("secondary", False)
    if endpoint["inheritConfiguration"] and group.get("sharedConfiguration") is None:
        raise ApimError(400, f"Impossible to inherit from a null shared configuration for endpoint: "
                             f"{endpoint.get('name')}", "endpoint.validationError", {})
    if not endpoint["inheritConfiguration"]:
        override = endpoint.get("sharedConfigurationOverride")
        checked = schemas.sanitise(plugin.shared_schema(sandbox), override if override is not None else {})
        if override is not None:
            endpoint["sharedConfigurationOverride"] = checked


# -- flows and resources ---------------------------------------------------------------------------
def _flow_error(message, flow_name, parameters):
    params = dict(parameters)
    if flow_name is not None:
        params["flowName"] = flow_name
    return domain_validation(message, params)


def validate_flows(api_type, flows):
    for flow in flows or []:
        name = flow.get("name")
        types = [s["type"] for s in flow.get("selectors") or []]
        duplicated = sorted({t.lower() for t in types if types.count(t) > 1})
        if duplicated:
            raise _flow_error(f"The flow [{name}] contains duplicated selectors type", name,
                              {"duplicatedSelectors": ",".join(duplicated)})
        allowed = FLOW_SELECTORS.get(api_type)
        invalid = sorted({t.lower() for t in types if allowed and t not in allowed})
        if invalid:
            raise _flow_error(f"The flow [{name}] contains selectors that couldn't apply to "
                              f"{API_TYPE_LABELS[api_type]} API", name, {"invalidSelectors": ",".join(invalid)})
        flow.setdefault("enabled", True)
    return flows or []


def validate_resources(sandbox, resources):
    for resource in resources or []:
        resource.setdefault("enabled", True)
        if resource["enabled"]:
            plugin = schemas.find(sandbox, "resources", resource["type"])
            resource["configuration"] = schemas.sanitise(plugin.schema(sandbox), resource["configuration"])
        else:
            resource["configuration"] = schemas.as_object(resource["configuration"])
    return resources or []


# -- whole definitions --------------------------------------------------------------------------------
def validate_definition(sandbox, env_id, api_id, api):
    """Listeners, endpoints, flows of a create or update body, sanitised in place (in APIM's order)."""
    validate_listeners(sandbox, env_id, api_id, api["listeners"])
    validate_endpoint_groups(sandbox, api["type"], api["endpointGroups"])
    api.setdefault("analytics", {"enabled": True})
    api.setdefault("flowExecution", {"mode": "DEFAULT", "matchRequired": False})
    api["flowExecution"].setdefault("mode", "DEFAULT")
    api["flowExecution"].setdefault("matchRequired", False)
    api["flows"] = validate_flows(api["type"], api.get("flows"))


def validate_create(sandbox, env_id, body):
    if body["type"] not in CREATABLE_TYPES and body["type"] != "NATIVE":
        raise domain_validation(f"Only V4 [{', '.join(CREATABLE_TYPES)}] API definition is supported")
    if body["definitionVersion"] != "V4":
        raise domain_validation("Definition not supported, should be V4")
    validate_definition(sandbox, env_id, None, body)


def _lifecycle(existing, wanted):
    if wanted is None or wanted == existing:
        return existing
    if existing == "ARCHIVED" or (existing == "DEPRECATED" and wanted != "ARCHIVED") or (
            existing == "UNPUBLISHED" and wanted == "CREATED"):
        raise lifecycle_change_not_allowed(wanted)
    return wanted


def validate_update(sandbox, current, body):
    if body["type"] != current["type"]:
        raise api_type_change()
    body["lifecycleState"] = _lifecycle(current["lifecycleState"], body.get("lifecycleState"))
    validate_definition(sandbox, internal(current)["env"], current["id"], body)
    body["resources"] = validate_resources(sandbox, body.get("resources"))
