"""Where the real Gravitee servers differ from their own OpenAPI files, and what the files leave out.

Three short lists, each entry naming its source (a Gravitee source file, the OpenAPI file it corrects, or a
measurement on a real server) and the fact:

- :data:`DEVIATIONS`: spec findings to tolerate, each narrowed to component + method + spec path +
  finding place/kind + JSON path (+ statuses), so the same kind of problem anywhere else still fails;
- :data:`OUT_OF_SPEC`: endpoints the real server has but the spec files do not describe;
- :data:`REFERENCE_RULES`: requests the spec allows but the real server rejects; the sandbox must
  not answer them with a success.

Never add an entry to cover a sandbox bug: only what the real product is known to do.
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase

# AM path prefixes, as written under ``paths`` in mapi-openapi.*.yaml.
E = "/organizations/{organizationId}/environments/{environmentId}"
D = E + "/domains/{domain}"
PR = D + "/protected-resources"


@dataclass(frozen=True)
class Deviation:
    id: str
    component: str
    methods: tuple
    spec_paths: tuple
    where: str  # route | security | query | request-body | status | response-body
    kind: str  # the finding kind it tolerates (see exchange.py / schemas.py)
    reference: str
    json_paths: tuple = ("**",)  # dotted patterns over the finding path: "*" one segment, "**" any
    statuses: tuple = ()  # empty: any status
    since: str = ""  # first version of the component the deviation applies to
    until: str = ""  # first version it no longer applies to
    error_schema: str = ""  # status/body deviations: the body must match this schema instead
    as_method: str = ""  # route deviations: check the exchange against this method's operation

    def matches(self, violation):
        exchange = violation.exchange
        return (
            self.component == exchange.component
            and self.where == violation.where
            and self.kind == violation.kind
            and ("*" in self.methods or exchange.method.upper() in self.methods)
            and any(fnmatchcase(violation.spec_path, pattern) for pattern in self.spec_paths)
            and (not self.statuses or exchange.status in self.statuses)
            and (not self.since or _version(exchange.version) >= _version(self.since))
            and (not self.until or _version(exchange.version) < _version(self.until))
            and any(path_matches(pattern, violation.path) for pattern in self.json_paths)
        )


def _version(text):
    return tuple(int(part) for part in str(text).split("-")[0].split(".")[:3])


def path_matches(pattern, path):
    """``"data.*.features.*.type"`` against ``("data", 0, "features", 1, "type")``."""
    wanted = pattern.split(".") if pattern else []
    segments = [str(segment) for segment in path]

    def walk(i, j):
        if i == len(wanted):
            return j == len(segments)
        if wanted[i] == "**":
            return any(walk(i + 1, k) for k in range(j, len(segments) + 1))
        return j < len(segments) and fnmatchcase(segments[j], wanted[i]) and walk(i + 1, j + 1)

    return walk(0, 0)


_LOWERCASE_ENUMS = ("ObjectMapperResolver.java (AM management API): enums are written lowercase (mcp_server, "
                    "mcp_tool, environment) and read without regard to case; the spec lists them upper case")

DEVIATIONS = (
    Deviation(
        id="apim-bearer-auth",
        component="apim_mgmt", methods=("*",), spec_paths=("*",),
        where="security", kind="auth-scheme-undeclared", json_paths=("Bearer",),
        reference="openapi-apis.yaml declares only the BasicAuth and CookieAuth schemes; the mAPI v2 also accepts "
                  "a Bearer personal access token (Gravitee docs: Personal access tokens)",
    ),
    Deviation(
        id="apim-verify-deployment-is-get",
        component="apim_mgmt", methods=("GET",), spec_paths=("/environments/{envId}/apis/{apiId}/deployments/_verify",),
        where="route", kind="method-undeclared", as_method="post",
        reference="openapi-apis.yaml declares POST .../deployments/_verify (licence check, {ok, reason}); "
                  "ApiResource.java (4.12.17) registers verifyApiDeployment as @GET",
    ),
    Deviation(
        id="apim-412-empty-body",
        component="apim_mgmt", methods=("PUT", "PATCH", "POST"), spec_paths=("/environments/{envId}/apis/{apiId}*",),
        where="response-body", kind="body-missing", statuses=(412,),
        reference="PreconditionFailedExceptionMapper.java: an If-Match mismatch answers 412 with an empty body",
    ),
    Deviation(
        id="apim-configuration-as-json-string",
        component="apim_mgmt", methods=("POST", "PUT"), spec_paths=("/environments/{envId}/apis*",),
        where="request-body", kind="type",
        json_paths=("listeners.*.entrypoints.*.configuration", "endpointGroups.*.sharedConfiguration",
                    "endpointGroups.*.endpoints.*.configuration",
                    "endpointGroups.*.endpoints.*.sharedConfigurationOverride", "resources.*.configuration",
                    "security.configuration", "flows.*.*.*.configuration"),
        reference="openapi-apis.yaml types plugin configurations as objects; the mAPI v2 also takes a string "
                  "holding a JSON object for resources[].configuration, security.configuration, endpoint "
                  "configuration/sharedConfiguration and step configuration, and returns objects",
    ),
    Deviation(
        id="am-dcr-flag-field-names",
        component="am_mgmt", methods=("GET", "POST", "PATCH", "PUT"),
        spec_paths=(E + "/domains", D, E + "/domains/_hrid/{hrid}"),
        where="response-body", kind="undeclared-property",
        json_paths=("oidc.clientRegistrationSettings.isDynamicClientRegistrationEnabled",
                    "oidc.clientRegistrationSettings.isOpenDynamicClientRegistrationEnabled",
                    "oidc.clientRegistrationSettings.isAllowedScopesEnabled",
                    "oidc.clientRegistrationSettings.isClientTemplateEnabled"),
        reference="ClientRegistrationSettings is serialised by Java field name: isDynamicClientRegistrationEnabled, "
                  "isOpenDynamicClientRegistrationEnabled, ... are the wire names (mapi-openapi.yaml, generated from "
                  "the getters, lists dynamicClientRegistrationEnabled)",
    ),
    Deviation(
        id="am-enums-lowercase-protected-resources",
        component="am_mgmt", methods=("*",), spec_paths=(PR, PR + "/{protected-resource}"),
        where="response-body", kind="enum-lowercase",
        json_paths=("type", "features.*.type", "data.*.type", "data.*.features.*.type"),
        reference=_LOWERCASE_ENUMS,
    ),
    Deviation(
        id="am-enums-lowercase-domains",
        component="am_mgmt", methods=("*",), spec_paths=(E + "/domains", D, E + "/domains/_hrid/{hrid}"),
        where="response-body", kind="enum-lowercase",
        json_paths=("referenceType", "version", "data.*.referenceType", "data.*.version"),
        reference=_LOWERCASE_ENUMS,
    ),
    Deviation(
        id="am-enums-lowercase-applications",
        component="am_mgmt", methods=("*",), spec_paths=(D + "/applications", D + "/applications/{application}"),
        where="response-body", kind="enum-lowercase", json_paths=("type", "data.*.type"),
        reference=_LOWERCASE_ENUMS,
    ),
    Deviation(
        id="am-patch-null-resets",
        component="am_mgmt", methods=("PATCH", "PUT"), spec_paths=(D,),
        where="request-body", kind="null",
        reference="PatchDomain.java: in a PATCH body a key sent as null resets that part to its default (not the "
                  "same as leaving it out); PUT on a domain is the same operation (DomainResource.java)",
    ),
    Deviation(
        id="am-patch-certificate-null",
        component="am_mgmt", methods=("PATCH",), spec_paths=(PR + "/{protected-resource}",), since="4.11.0",
        where="request-body", kind="null", json_paths=("certificate",),
        reference="PatchProtectedResource.java (AM 4.11+): \"certificate\": null resets the certificate",
    ),
    Deviation(
        id="am-error-statuses-undeclared",
        component="am_mgmt", methods=("*",), spec_paths=("*",),
        where="status", kind="status-undeclared", statuses=(400, 401, 403, 404),
        error_schema="#/components/schemas/ErrorEntity",
        reference="ErrorEntity.java / *ExceptionMapper.java: every handled error has the body "
                  "{message, http_status} (400 validation, 401 missing/invalid token, 403 permission, 404 not "
                  "found); the generated spec declares only the success status and 500 for most operations",
    ),
    Deviation(
        id="am-error-bodies-undeclared",
        component="am_mgmt", methods=("*",), spec_paths=("*",),
        where="response-body", kind="body-undeclared", statuses=(400, 401, 403, 404),
        error_schema="#/components/schemas/ErrorEntity",
        reference="ErrorEntity.java / *ExceptionMapper.java: every handled error has the body "
                  "{message, http_status} (the spec lists e.g. DELETE protected-resource 403/404 without a body)",
    ),
    Deviation(
        id="am-protected-resource-untyped-500",
        component="am_mgmt", methods=("GET", "DELETE"), spec_paths=(PR, PR + "/{protected-resource}"),
        where="response-body", kind="body-undeclared", statuses=(500,),
        error_schema="#/components/schemas/ErrorEntity",
        reference="measured on real AM 4.10.8 and 4.11.1: GET protected-resources (and /{id}) without ?type= "
                  "answers 500 {\"message\":\"Internal error\",\"http_status\":500} (Type.fromString throws, "
                  "unmapped), an ErrorEntity.java body the spec does not declare",
    ),
    Deviation(
        id="am-4.10-spec-dates-are-epoch-millis",
        component="am_mgmt", methods=("*",), spec_paths=("*",), until="4.11.0",
        where="response-body", kind="type", json_paths=("**.createdAt", "**.updatedAt", "**.expiresAt"),
        reference="ObjectMapperResolver.java writes dates as epoch milliseconds; mapi-openapi.yaml 4.10.20 types "
                  "them as date-time strings (4.12.4: int64 \"Epoch timestamp in milliseconds\")",
    ),
    Deviation(
        id="am-put-protected-resource-ignores-unknown",
        component="am_mgmt", methods=("PUT",), spec_paths=(PR + "/{protected-resource}",),
        where="request-body", kind="undeclared-property", since="4.11.0",
        reference="ObjectMapperResolver.java rejects unknown properties, except on PUT of a protected resource "
                  "(UpdateProtectedResource.java), which ignores them from AM 4.11 on",
    ),
    # The entries below were added with the AM management API sandbox (tests/sandbox/am/mgmt/).
    *(Deviation(
        id=f"am-application-type-any-case-{kind}",
        component="am_mgmt", methods=("POST",), spec_paths=(D + "/applications",),
        where="request-body", kind=kind, json_paths=("type",),
        reference="ApplicationServiceImpl.java: type is one of WEB, NATIVE, BROWSER, SERVICE, RESOURCE_SERVER or "
                  "(newer) AGENT, read in any case (ObjectMapperResolver.java)",
    ) for kind in ("enum-lowercase", "enum-case")),
    Deviation(
        id="am-mcp-tool-scopes",
        component="am_mgmt", methods=("POST", "PATCH", "PUT"), spec_paths=(PR, PR + "/{protected-resource}"),
        where="request-body", kind="undeclared-property", json_paths=("features.*.scopes",),
        reference="NewProtectedResource.java: an MCP tool feature carries scopes "
                  "({key, type: MCP_TOOL, description, scopes}); mapi-openapi.yaml leaves scopes out",
    ),
)


@dataclass(frozen=True)
class KnownResponse:
    """What one status of an out-of-spec endpoint looks like on the real server."""

    status: int
    schema: dict = None  # JSON schema of the body, or None
    empty: bool = False  # the body must be empty
    headers: tuple = ()  # (header name, required value prefix) pairs


@dataclass(frozen=True)
class KnownEndpoint:
    """An endpoint of the real server that no spec file describes; checked against what it is known to answer."""

    id: str
    component: str
    method: str
    path_regex: str
    reference: str
    auth: str = ""  # the Authorization scheme a success needs ("basic", "bearer")
    responses: tuple = ()  # KnownResponse entries


OUT_OF_SPEC = (
    KnownEndpoint(
        id="am-auth-token",
        component="am_mgmt", method="POST", path_regex=r"/management/auth/token", auth="basic",
        reference="TokenController.java: POST /management/auth/token[?org=<orgId>] with Basic auth -> "
                  "{access_token, token_type: bearer, expires_at}; 401 is an empty body plus WWW-Authenticate: "
                  "Basic (TokenSecurityConfiguration.java); a Spring controller, not in mapi-openapi.yaml",
        responses=(
            KnownResponse(200, schema={
                "type": "object",
                "required": ["access_token", "token_type", "expires_at"],
                "additionalProperties": False,
                "properties": {
                    "access_token": {"type": "string", "minLength": 1},
                    "token_type": {"type": "string", "enum": ["bearer"]},
                    "expires_at": {"type": "string"},
                },
            }),
            KnownResponse(401, empty=True, headers=(("www-authenticate", "Basic"),)),
        ),
    ),
    KnownEndpoint(
        id="apim-v1-user-tokens",
        component="apim_mgmt", method="POST", path_regex=r"/management/organizations/[^/]+/user/tokens",
        reference="mAPI v1 POST /management/organizations/{orgId}/user/tokens, body {name} creates a personal "
                  "access token (Gravitee docs: Personal access tokens); mAPI v1 has no spec file here",
    ),
    KnownEndpoint(
        id="apim-v2-plugins-resources-without-org",
        component="apim_mgmt", method="GET", path_regex=r"/management/v2/plugins/resources/?",
        reference="measured on real APIM CE 4.10.9: the plugin catalogue is GET /management/v2/organizations/{org}/"
                  "plugins/{entrypoints|endpoints|resources|policies} (openapi-plugins.yaml); the same list "
                  "without /organizations/{org} answers 500 with an empty body",
        responses=(KnownResponse(500, empty=True),),
    ),
    KnownEndpoint(
        id="apim-v1-environment-resources",
        component="apim_mgmt", method="GET",
        path_regex=r"/management/organizations/[^/]+/environments/[^/]+/resources/?",
        reference="measured on real APIM CE 4.10.9: the mAPI v1 environment-level resource list names "
                  "oauth2-am-resource 4.0.0 (mAPI v1 has no spec file here; the v2 catalogue is in "
                  "openapi-plugins.yaml)",
        responses=(KnownResponse(200, schema={
            "type": "array",
            "items": {"type": "object", "required": ["id", "name", "version"],
                      "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                                     "description": {"type": "string"}, "version": {"type": "string"}}},
        }),),
    ),
)


@dataclass(frozen=True)
class ReferenceRule:
    """A request the spec accepts but the real server rejects; a 2xx answer is a sandbox bug."""

    id: str
    component: str
    methods: tuple
    spec_paths: tuple
    where: str
    reference: str
    check: object  # callable(query: dict[str, list[str]], body) -> message or None

    def applies(self, exchange, spec_path):
        return (self.component == exchange.component and exchange.method.upper() in self.methods
                and spec_path in self.spec_paths)


def _type_query_missing(query, body):
    if "type" not in query:
        return "query parameter 'type' is missing; the real server answers 400 without it"
    return None


_SETTER_NAMES = ("dynamicClientRegistrationEnabled", "openDynamicClientRegistrationEnabled", "clientTemplateEnabled")


def _dcr_setter_names(query, body):
    settings = ((body or {}).get("oidc") or {}).get("clientRegistrationSettings") if isinstance(body, dict) else None
    sent = sorted(set(settings or {}) & set(_SETTER_NAMES)) if isinstance(settings, dict) else []
    if sent:
        return f"oidc.clientRegistrationSettings.{sent[0]} is refused by the real server (400 'not recognized')"
    return None


REFERENCE_RULES = (
    ReferenceRule(
        id="am-protected-resource-type-required",
        component="am_mgmt", methods=("GET", "DELETE"), spec_paths=(PR, PR + "/{protected-resource}"),
        where="query", check=_type_query_missing,
        reference="ProtectedResourcesResource.java: type is a required query parameter on list, get and delete; "
                  "leaving it out gives 400 (mapi-openapi.yaml marks it optional)",
    ),
    ReferenceRule(
        id="am-dcr-setter-names-rejected",
        component="am_mgmt", methods=("PATCH", "PUT"), spec_paths=(D,),
        where="request-body", check=_dcr_setter_names,
        reference="PatchClientRegistrationSettings.java has only the is* fields: the setter-derived names "
                  "mapi-openapi.yaml also lists (dynamicClientRegistrationEnabled, "
                  "openDynamicClientRegistrationEnabled, clientTemplateEnabled) give 400 \"not recognized\"",
    ),
)
