"""What happens to a mAPI v2 request body before any service sees it: Jackson, then bean validation.

- Jackson (``GraviteeMapper``, FAIL_ON_UNKNOWN_PROPERTIES off): unknown properties are dropped (so they are never
  stored or echoed); enums are the generated model enums, whose ``fromValue`` compares case-sensitively
  (``Unexpected value 'x'``); polymorphic types (listeners, selectors, UpdateGenericApi, CreateGenericPlan...) need
  their discriminator. Failures are 400 ``invalidValue`` with the field location.
- Bean validation (``useBeanValidation``): ``required`` -> "must not be null", ``minLength``/``minItems: 1`` ->
  "size must be between 1 and 2147483647"; all violations in one 400 "Validation error" with details.

The declared-field tables are the properties of the schemas in openapi-apis.yaml (4.12.17). Free-form or
rarely used nested objects (cors, analytics, failover, services, response templates) are kept as sent.
"""

from .errors import invalid_value, unexpected_enum, validation_error

MODEL = "io.gravitee.rest.api.management.v2.rest.model."
NOT_NULL = "must not be null"
NOT_EMPTY = "size must be between 1 and 2147483647"

API_CREATE = {"name", "apiVersion", "description", "visibility", "definitionVersion", "groups", "type", "tags",
              "listeners", "endpointGroups", "analytics", "failover", "flowExecution", "flows", "allowedInApiProducts"}
API_UPDATE = {"name", "apiVersion", "description", "definitionVersion", "groups", "tags", "resources",
              "responseTemplates", "visibility", "categories", "labels", "lifecycleState",
              "disableMembershipNotifications", "properties", "type", "listeners", "endpointGroups", "analytics",
              "failover", "flowExecution", "flows", "services", "allowedInApiProducts",
              "allowMultiJwtOauth2Subscriptions"}
LISTENERS = {"HTTP": {"type", "entrypoints", "servers", "paths", "pathMappings", "cors", "requestValidation"},
             "SUBSCRIPTION": {"type", "entrypoints", "servers"},
             "TCP": {"type", "entrypoints", "servers", "hosts"},
             "KAFKA": {"type", "entrypoints", "servers", "host", "port"}}
ENTRYPOINT = {"type", "qos", "dlq", "configuration"}
PATH = {"host", "path", "overrideAccess"}
ENDPOINT_GROUP = {"name", "type", "loadBalancer", "sharedConfiguration", "endpoints", "services"}
ENDPOINT = {"name", "type", "weight", "inheritConfiguration", "configuration", "sharedConfigurationOverride",
            "services", "secondary", "tenants"}
RESOURCE = {"name", "type", "configuration", "enabled"}
PROPERTY = {"key", "value", "encrypted", "dynamic"}  # "encryptable" is writeOnly: accepted, never stored
FLOW = {"id", "name", "enabled", "selectors", "request", "response", "subscribe", "publish", "entrypointConnect",
        "interact", "tags"}
STEP = {"name", "description", "enabled", "policy", "configuration", "condition", "messageCondition"}
SELECTORS = {"HTTP": {"type", "path", "pathOperator", "methods"},
             "CHANNEL": {"type", "operations", "channel", "channelOperator", "entrypoints"},
             "CONDITION": {"type", "condition"},
             "MCP": {"type", "methods"}}
SELECTOR_REQUIRED = {"HTTP": ("path", "pathOperator"), "CHANNEL": ("channel", "channelOperator"),
                     "CONDITION": ("condition",), "MCP": ("methods",)}
PLAN_COMMON = {"crossId", "characteristics", "commentMessage", "commentRequired", "definitionVersion",
               "description", "excludedGroups", "generalConditions", "name", "order", "security", "selectionRule",
               "tags", "validation", "flows", "bootstrapPort", "brokerRangeStart", "brokerRangeEnd"}
PLAN_CREATE = PLAN_COMMON | {"mode"}
PLAN_UPDATE = PLAN_COMMON

DEFINITION_VERSIONS = ("V2", "V4", "FEDERATED", "FEDERATED_AGENT")
VISIBILITIES = ("PUBLIC", "PRIVATE")
LIFECYCLE_STATES = ("ARCHIVED", "CREATED", "DEPRECATED", "PUBLISHED", "UNPUBLISHED")
QOS = ("NONE", "AUTO", "AT_MOST_ONCE", "AT_LEAST_ONCE")
LOAD_BALANCERS = ("RANDOM", "ROUND_ROBIN", "WEIGHTED_RANDOM", "WEIGHTED_ROUND_ROBIN")
FLOW_MODES = ("BEST_MATCH", "DEFAULT")
OPERATORS = ("EQUALS", "STARTS_WITH")
HTTP_METHODS = ("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE", "OTHER")
PLAN_SECURITY_TYPES = ("KEY_LESS", "API_KEY", "OAUTH2", "JWT", "MTLS")
PLAN_MODES = ("STANDARD", "PUSH")
PLAN_VALIDATIONS = ("AUTO", "MANUAL")
PLAN_STATUSES = ("STAGING", "PUBLISHED", "DEPRECATED", "CLOSED")


def api_types(sandbox):
    """The ApiType enum of the pretended version (MCP_PROXY & co. 4.10, AUTHZ/EDGE 4.12, NATIVE 4.6)."""
    types = ["PROXY", "MESSAGE"]
    for version, added in (("4.6.0", ("NATIVE",)), ("4.10.0", ("MCP_PROXY", "LLM_PROXY", "A2A_PROXY")),
                           ("4.12.0", ("AUTHZ", "EDGE"))):
        if sandbox.apim_version_at_least(version):
            types.extend(added)
    return types


class Checker:
    """Collects bean-validation violations while pruning and enum-checking one body."""

    def __init__(self):
        self.violations = []

    def raise_if_any(self):
        if self.violations:
            raise validation_error(self.violations)

    def required(self, obj, name, location, non_empty=False):
        value = obj.get(name)
        if value is None:
            self.violations.append((location, NOT_NULL))
        elif non_empty and len(value) == 0:
            self.violations.append((location, NOT_EMPTY, value))


def _object(value, location, java_type):
    if not isinstance(value, dict):
        kind = "Array" if isinstance(value, list) else type(value).__name__
        raise invalid_value(f"Cannot deserialize value of type `{java_type}` from {kind} value", location)
    return value


def _list(value, location):
    if value is None:
        return None
    if not isinstance(value, list):
        raise invalid_value("Cannot deserialize value of type `java.util.ArrayList` from non-array value", location)
    return value


def prune(obj, fields):
    return {k: v for k, v in obj.items() if k in fields}


def strings(obj, names, location=""):
    """Jackson reads a JSON number or boolean into a String field; an object or array is a mapping error."""
    for name in names:
        value = obj.get(name)
        if isinstance(value, (dict, list)):
            kind = "Array" if isinstance(value, list) else "Object"
            raise invalid_value(f"Cannot deserialize value of type `java.lang.String` from {kind} value",
                                location + name)
        if isinstance(value, bool):
            obj[name] = "true" if value else "false"
        elif isinstance(value, (int, float)):
            obj[name] = str(value)


def enum(obj, name, allowed, location):
    value = obj.get(name)
    if value is not None and value not in allowed:
        raise unexpected_enum(value, location)


def discriminator(value, name, known, java_class, location=None):
    if value is None:
        raise invalid_value(f"Could not resolve subtype of [simple type, class {MODEL}{java_class}]: missing type id "
                            f"property '{name}'", location)
    if value not in known:
        raise invalid_value(f"Could not resolve type id '{value}' as a subtype of `{MODEL}{java_class}`: known type "
                            f"ids = [{', '.join(sorted(known))}]", location)


def api_body(sandbox, body, update):
    """The pruned, enum-checked, bean-validated CreateApiV4 / UpdateApiV4 body."""
    java_type = "UpdateGenericApi" if update else "CreateApiV4"
    body = _object(body, None, MODEL + java_type)
    if update:
        discriminator(body.get("definitionVersion"), "definitionVersion", ("V2", "V4", "FEDERATED"), java_type)
    api = prune(body, API_UPDATE if update else API_CREATE)
    strings(api, ("name", "apiVersion", "description"))
    check = Checker()
    enum(api, "definitionVersion", DEFINITION_VERSIONS, "definitionVersion")
    enum(api, "type", api_types(sandbox), "type")
    enum(api, "visibility", VISIBILITIES, "visibility")
    enum(api, "lifecycleState", LIFECYCLE_STATES, "lifecycleState")
    for name in ("name", "apiVersion"):
        check.required(api, name, name, non_empty=True)
    for name in ("definitionVersion", "type"):
        check.required(api, name, name)
    api["listeners"] = _listeners(check, _list(api.get("listeners"), "listeners"))
    api["endpointGroups"] = _endpoint_groups(check, _list(api.get("endpointGroups"), "endpointGroups"))
    for name in ("listeners", "endpointGroups"):
        check.required(api, name, name, non_empty=True)
    if isinstance(api.get("flowExecution"), dict):
        api["flowExecution"] = prune(api["flowExecution"], {"mode", "matchRequired"})
        enum(api["flowExecution"], "mode", FLOW_MODES, "flowExecution.mode")
    api["flows"] = flows(check, _list(api.get("flows"), "flows"), "flows")
    if update:
        api["resources"] = _resources(check, _list(api.get("resources"), "resources"))
        api["properties"] = _properties(check, _list(api.get("properties"), "properties"))
    check.raise_if_any()
    return {k: v for k, v in api.items() if v is not None}


def _listeners(check, listeners):
    if listeners is None:
        return None
    result = []
    for i, listener in enumerate(listeners):
        location = f"listeners[{i}]"
        listener = _object(listener, location, MODEL + "Listener")
        discriminator(listener.get("type"), "type", LISTENERS, "Listener", location)
        listener = prune(listener, LISTENERS[listener["type"]])
        entrypoints = _list(listener.get("entrypoints"), f"{location}.entrypoints")
        if entrypoints is not None:
            if not entrypoints:
                check.violations.append((f"{location}.entrypoints", NOT_EMPTY, entrypoints))
            listener["entrypoints"] = []
            for j, entrypoint in enumerate(entrypoints):
                where = f"{location}.entrypoints[{j}]"
                entrypoint = prune(_object(entrypoint, where, MODEL + "Entrypoint"), ENTRYPOINT)
                enum(entrypoint, "qos", QOS, f"{where}.qos")
                check.required(entrypoint, "type", f"{where}.type")
                listener["entrypoints"].append(entrypoint)
        paths = _list(listener.get("paths"), f"{location}.paths")
        if paths is not None:
            if not paths:
                check.violations.append((f"{location}.paths", NOT_EMPTY, paths))
            listener["paths"] = [prune(_object(p, f"{location}.paths[{j}]", MODEL + "PathV4"), PATH)
                                 for j, p in enumerate(paths)]
        result.append(listener)
    return result


def _endpoint_groups(check, groups):
    if groups is None:
        return None
    result = []
    for i, group in enumerate(groups):
        location = f"endpointGroups[{i}]"
        group = prune(_object(group, location, MODEL + "EndpointGroupV4"), ENDPOINT_GROUP)
        check.required(group, "type", f"{location}.type")
        if isinstance(group.get("loadBalancer"), dict):
            group["loadBalancer"] = prune(group["loadBalancer"], {"type"})
            enum(group["loadBalancer"], "type", LOAD_BALANCERS, f"{location}.loadBalancer.type")
        endpoints = _list(group.get("endpoints"), f"{location}.endpoints")
        if endpoints is not None:
            group["endpoints"] = []
            for j, endpoint in enumerate(endpoints):
                where = f"{location}.endpoints[{j}]"
                endpoint = prune(_object(endpoint, where, MODEL + "EndpointV4"), ENDPOINT)
                check.required(endpoint, "type", f"{where}.type")
                group["endpoints"].append(endpoint)
        result.append(group)
    return result


def flows(check, items, location):
    if items is None:
        return None
    result = []
    for i, flow in enumerate(items):
        where = f"{location}[{i}]"
        flow = prune(_object(flow, where, MODEL + "FlowV4"), FLOW)
        selectors = _list(flow.get("selectors"), f"{where}.selectors")
        if selectors is not None:
            flow["selectors"] = []
            for j, selector in enumerate(selectors):
                at = f"{where}.selectors[{j}]"
                selector = _object(selector, at, MODEL + "Selector")
                discriminator(selector.get("type"), "type", SELECTORS, "Selector", at)
                selector = prune(selector, SELECTORS[selector["type"]])
                enum(selector, "pathOperator", OPERATORS, f"{at}.pathOperator")
                if selector["type"] == "HTTP":
                    for method in selector.get("methods") or []:
                        if method not in HTTP_METHODS:
                            raise invalid_value(f"Unexpected value '{method}'", f"{at}.methods")
                for name in SELECTOR_REQUIRED[selector["type"]]:
                    check.required(selector, name, f"{at}.{name}")
                flow["selectors"].append(selector)
        for phase in ("request", "response", "subscribe", "publish", "entrypointConnect", "interact"):
            steps = _list(flow.get(phase), f"{where}.{phase}")
            if steps is not None:
                flow[phase] = [prune(_object(s, f"{where}.{phase}[{j}]", MODEL + "StepV4"), STEP)
                               for j, s in enumerate(steps)]
        result.append(flow)
    return result


def _resources(check, resources):
    if resources is None:
        return None
    result = []
    for i, resource in enumerate(resources):
        location = f"resources[{i}]"
        resource = prune(_object(resource, location, MODEL + "Resource"), RESOURCE)
        for name in ("name", "type", "configuration"):
            check.required(resource, name, f"{location}.{name}")
        result.append(resource)
    return result


def _properties(check, properties):
    if properties is None:
        return None
    result = []
    for i, prop in enumerate(properties):
        location = f"properties[{i}]"
        prop = prune(_object(prop, location, MODEL + "Property"), PROPERTY)
        for name in ("key", "value"):
            check.required(prop, name, f"{location}.{name}")
        result.append(prop)
    return result


def plan_body(body, update):
    """The pruned, enum-checked CreatePlanV4 / UpdatePlanV4 body (definitionVersion is the discriminator)."""
    java_type = "UpdateGenericPlan" if update else "CreateGenericPlan"
    body = _object(body, None, MODEL + java_type)
    known = ("V2", "V4", "FEDERATED") if update else ("V2", "V4")
    discriminator(body.get("definitionVersion"), "definitionVersion", known, java_type)
    plan = prune(body, PLAN_UPDATE if update else PLAN_CREATE)
    strings(plan, ("name", "description", "selectionRule", "commentMessage", "generalConditions", "crossId"))
    check = Checker()
    enum(plan, "mode", PLAN_MODES, "mode")
    enum(plan, "validation", PLAN_VALIDATIONS, "validation")
    security = plan.get("security")
    if security is not None:
        security = prune(_object(security, "security", MODEL + "PlanSecurity"),
                         {"configuration"} if update else {"type", "configuration"})
        security = {k: v for k, v in security.items() if v is not None}
        if not update:
            enum(security, "type", PLAN_SECURITY_TYPES, "security.type")
            check.required(security, "type", "security.type")
        plan["security"] = security
    plan["flows"] = flows(check, _list(plan.get("flows"), "flows"), "flows")
    check.raise_if_any()
    return {k: v for k, v in plan.items() if v is not None}
