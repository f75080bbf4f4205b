"""The sandbox APIM's plugin catalogue and the configuration sanitiser plugin configurations go through.

Facts encoded here (our own data, not copies of the plugin files):

- ``oauth2-am-resource`` (gravitee-resource-oauth2-provider-am ``schema-form.json``): required serverURL,
  version, securityDomain, clientId, clientSecret; ``version`` enum V1_X/V2_X/V3_X default V3_X; ``userClaim``
  default "sub". Resource 4.x (APIM >= 4.10) adds the ``http``/``proxy``/``ssl`` objects, 3.x (APIM <= 4.9) has
  ``useSystemProxy`` (default false) instead. No ``additionalProperties: false``: unknown keys are kept.
- ``oauth2`` policy (gravitee-policy-oauth2 ``schema-form.json``): ``oauthResource`` required; defaults
  extractPayload=false, checkRequiredScopes=false, modeStrict=true, propagateAuthHeader=true;
  ``addWwwAuthenticateHeader`` (default true) only in policy 5.0.1-5.1.x (APIM 4.10.0-4.10.11);
  ``additionalProperties: false``.
- The mcp-proxy entrypoint/endpoint are Enterprise plugins (com.graviteesource.*), present from APIM 4.10.0.

Connector schemas are closed source or not published with the OpenAPI files; the sandbox only knows that the
http-proxy and mcp-proxy endpoints need ``target``, and does not add the connectors' defaults (documented
limitation).

The sanitiser follows gravitee-json-validation (everit, ``useDefaults``): null values are dropped, missing
properties that have a default are added, properties refused by ``additionalProperties: false`` are removed
silently, any other violation raises ``InvalidDataException`` (400 ``data.invalid``) with everit's message.
"""

import copy
import json
from dataclasses import dataclass, field

from .errors import data_invalid, plugin_not_found

KINDS = ("entrypoints", "endpoints", "resources", "policies")
OPEN_OBJECT = {"type": "object", "properties": {}}


def _versions(sandbox, table, default):
    """The first value of ``table`` ((min_version, value), newest first) that the sandbox version reaches."""
    for minimum, value in table:
        if sandbox.apim_version_at_least(minimum):
            return value
    return default


def oauth2_policy_version(sandbox):
    return _versions(sandbox, (("4.12.0", "5.3.1"), ("4.11.0", "5.2.0"), ("4.10.12", "5.2.1"),
                               ("4.10.0", "5.1.4"), ("4.9.0", "4.0.1")), "4.0.0")


def am_resource_version(sandbox):
    return _versions(sandbox, (("4.12.0", "5.0.0"), ("4.11.0", "4.0.0"), ("4.10.12", "4.0.1"),
                               ("4.10.0", "4.0.0")), "3.0.0")


def mcp_proxy_installed(sandbox):
    return sandbox.config.apim_edition == "ee" and sandbox.apim_version_at_least("4.10.0")


def am_resource_schema(sandbox):
    properties = {
        "serverURL": {"type": "string"},
        "version": {"type": "string", "enum": ["V1_X", "V2_X", "V3_X"], "default": "V3_X"},
        "securityDomain": {"type": "string"},
        "clientId": {"type": "string"},
        "clientSecret": {"type": "string", "format": "password"},
        "userClaim": {"type": "string", "default": "sub"},
    }
    if sandbox.apim_version_at_least("4.10.0"):
        properties.update({"http": {"type": "object"}, "proxy": {"type": "object"}, "ssl": {"type": "object"}})
    else:
        properties["useSystemProxy"] = {"type": "boolean", "default": False}
    return {"type": "object", "properties": properties,
            "required": ["serverURL", "version", "securityDomain", "clientId", "clientSecret"]}


def oauth2_policy_schema(sandbox):
    properties = {
        "oauthResource": {"type": "string"},
        "oauthCacheResource": {"type": "string"},
        "extractPayload": {"type": "boolean", "default": False},
        "checkRequiredScopes": {"type": "boolean", "default": False},
        "requiredScopes": {"type": "array", "items": {"type": "string"}},
        "modeStrict": {"type": "boolean", "default": True},
        "propagateAuthHeader": {"type": "boolean", "default": True},
    }
    if sandbox.apim_version_at_least("4.10.0") and not sandbox.apim_version_at_least("4.10.12"):
        properties["addWwwAuthenticateHeader"] = {"type": "boolean", "default": True}
    return {"type": "object", "properties": properties, "required": ["oauthResource"],
            "additionalProperties": False}


def _target_schema(sandbox):
    return {"type": "object", "properties": {"target": {"type": "string"}}, "required": ["target"]}


def _open_schema(sandbox):
    return copy.deepcopy(OPEN_OBJECT)


@dataclass(frozen=True)
class Plugin:
    kind: str
    id: str
    name: str
    description: str
    category: str
    schema: object = _open_schema           # callable(sandbox) -> JSON schema dict
    shared_schema: object = None            # endpoints: callable(sandbox) -> schema of sharedConfiguration
    api_type: str = None                    # connectors: the API type they serve
    listener_type: str = None               # entrypoints: the listener type they serve
    enterprise_mcp: bool = False            # only on EE from 4.10.0
    version: object = None                  # callable(sandbox) -> str; default: the APIM version
    extra: dict = field(default_factory=dict)

    def installed(self, sandbox):
        return mcp_proxy_installed(sandbox) if self.enterprise_mcp else True

    def plugin_version(self, sandbox):
        return self.version(sandbox) if self.version else sandbox.config.apim_version

    def describe(self, sandbox):
        """The ConnectorPlugin / PolicyPlugin / ResourcePlugin representation."""
        body = {"id": self.id, "name": self.name, "description": self.description, "category": self.category,
                "version": self.plugin_version(sandbox), "deployed": True}
        if self.kind in ("entrypoints", "endpoints"):
            body.update({"supportedApiType": self.api_type, "supportedModes": ["REQUEST_RESPONSE"],
                         "availableFeatures": []})
            if self.listener_type:
                body["supportedListenerType"] = self.listener_type
        if self.kind == "policies":
            body["flowPhaseCompatibility"] = {"HTTP_PROXY": ["REQUEST"]}
        return body


CATALOGUE = (
    Plugin("entrypoints", "http-proxy", "HTTP Proxy", "Proxies HTTP requests", "entrypoint",
           api_type="PROXY", listener_type="HTTP"),
    Plugin("entrypoints", "mcp-proxy", "MCP Proxy", "Proxies an MCP server", "entrypoint",
           api_type="MCP_PROXY", listener_type="HTTP", enterprise_mcp=True),
    Plugin("endpoints", "http-proxy", "HTTP Proxy", "Calls an HTTP backend", "endpoint",
           schema=_target_schema, shared_schema=_open_schema, api_type="PROXY"),
    Plugin("endpoints", "mcp-proxy", "MCP Proxy", "Calls an MCP server", "endpoint",
           schema=_target_schema, shared_schema=_open_schema, api_type="MCP_PROXY", enterprise_mcp=True),
    Plugin("resources", "oauth2-am-resource", "Gravitee.io AM Authorization Server",
           "Validates tokens against Gravitee Access Management", "OAuth2", schema=am_resource_schema,
           version=am_resource_version),
    Plugin("policies", "key-less", "Keyless", "Keyless plan security", "security"),
    Plugin("policies", "api-key", "API Key", "API key plan security", "security"),
    Plugin("policies", "oauth2", "OAuth2", "OAuth2 plan security", "security", schema=oauth2_policy_schema,
           version=oauth2_policy_version),
    Plugin("policies", "jwt", "JSON Web Tokens", "JWT plan security", "security"),
    Plugin("policies", "mtls", "mTLS", "mTLS plan security", "security"),
)

# Plan security type -> the policy whose schema validates its configuration.
SECURITY_POLICIES = {"KEY_LESS": "key-less", "API_KEY": "api-key", "OAUTH2": "oauth2", "JWT": "jwt", "MTLS": "mtls"}


def installed(sandbox, kind):
    return [p for p in CATALOGUE if p.kind == kind and p.installed(sandbox)]


def find(sandbox, kind, plugin_id):
    """The installed plugin, else 404 plugin.notFound (AbstractPluginService.get)."""
    for plugin in installed(sandbox, kind):
        if plugin.id == plugin_id:
            return plugin
    raise plugin_not_found(plugin_id)


# -- configuration values -----------------------------------------------------------------------
def as_object(value):
    """A configuration sent as an object or as a string holding an object (the mAPI v2 accepts both)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise data_invalid("A JSONObject text must begin with '{' at 1 [character 2 line 1]") from None
    if not isinstance(value, dict):
        raise data_invalid("A JSONObject text must begin with '{' at 1 [character 2 line 1]")
    return value


_EXPECTED = {"string": "String", "boolean": "Boolean", "integer": "Integer", "number": "Number",
             "object": "JSONObject", "array": "JSONArray"}


def _java_type(value):
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "BigDecimal"
    if isinstance(value, str):
        return "String"
    if isinstance(value, dict):
        return "JSONObject"
    return "JSONArray"


def _type_ok(expected, value):
    checks = {
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
    }
    return checks.get(expected, lambda v: True)(value)


def _check_value(pointer, schema, value):
    expected = schema.get("type")
    if expected and not _type_ok(expected, value):
        raise data_invalid(f"{pointer}: expected type: {_EXPECTED[expected]}, found: {_java_type(value)}")
    if "enum" in schema and value not in schema["enum"]:
        raise data_invalid(f"{pointer}: {value} is not a valid enum value")
    if expected == "array" and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            _check_value(f"{pointer}/{index}", schema["items"], item)


def _without_nulls(value):
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def sanitise(schema, configuration):
    """The configuration as APIM stores it after validation against ``schema`` (see module doc)."""
    config = _without_nulls(copy.deepcopy(as_object(configuration)))
    properties = schema.get("properties") or {}
    for name, prop in properties.items():
        if name not in config and "default" in prop:
            config[name] = copy.deepcopy(prop["default"])
    if schema.get("additionalProperties") is False:
        for name in [n for n in config if n not in properties]:
            del config[name]
    for name in schema.get("required") or []:
        if name not in config:
            raise data_invalid(f"#: required key [{name}] not found")
    for name, prop in properties.items():
        if name in config:
            _check_value(f"#/{name}", prop, config[name])
    return config


def validate_only(schema, configuration):
    """Validation whose sanitised result APIM throws away (plan security, PlanValidatorDomainService)."""
    sanitise(schema, configuration)
    return configuration
