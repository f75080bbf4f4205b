"""Check one management exchange (request + response) against the spec of its API.

What is checked, in order:

1. route: the path matches a spec path (server URL + path) and the method is declared there;
   otherwise it must be a listed :data:`~.deviations.OUT_OF_SPEC` endpoint, or be refused
   (401/404/405);
2. the request (only when the server answered < 400: rejecting a bad request is right):
   credentials satisfy the declared security, query parameters are declared and valid,
   the body matches the declared request body (AM also: no undeclared property, because the real
   AM refuses unknown properties (ObjectMapperResolver.java); APIM's mAPI v2 ignores them), and no
   :data:`~.deviations.REFERENCE_RULES` is broken;
3. the response: the status is declared (``default`` only stands for errors, >= 400, unless the
   operation declares no success status), the body is present/absent as declared, has a declared
   content type and matches the schema with no undeclared property.

Every finding becomes a :class:`Violation`; those a :data:`~.deviations.DEVIATIONS` entry covers are
kept, marked with the deviation id.
"""

import re
from dataclasses import dataclass, field

from openapi_schema_validator import OAS30Validator

from .deviations import DEVIATIONS, OUT_OF_SPEC, REFERENCE_RULES
from .request_checks import check_query, check_request_body, check_security, parse_query
from .response_checks import check_response, parse_json
from .schemas import SchemaChecker, format_path

# Answers to a path or method that is in no spec: the server refusing it is right (AM authenticates
# before it routes, so 401 comes first there). Anything else served there must be listed in OUT_OF_SPEC.
REJECTED_ROUTE_STATUSES = (401, 404, 405)


@dataclass
class Exchange:
    component: str
    method: str
    path: str
    query: str
    status: int
    request_headers: dict = field(default_factory=dict)
    request_body: bytes = b""
    response_headers: dict = field(default_factory=dict)
    response_body: bytes = b""
    apim_version: str = "4.12.17"
    am_version: str = "4.12.4"

    @classmethod
    def from_entry(cls, entry, apim_version="4.12.17", am_version="4.12.4"):
        """From a request-log entry recorded with ``capture_bodies``."""
        return cls(
            component=entry["component"], method=entry["method"], path=entry["path"], query=entry.get("query", ""),
            status=entry["status"], request_headers=entry.get("_request_headers", {}),
            request_body=entry.get("_request_body", b""), response_headers=entry.get("_response_headers", {}),
            response_body=entry.get("_response_body", b""), apim_version=apim_version, am_version=am_version,
        )

    @property
    def version(self):
        return self.am_version if self.component.startswith("am") else self.apim_version

    @property
    def label(self):
        query = f"?{self.query}" if self.query else ""
        return f"{self.method} {self.path}{query} -> {self.status}"


@dataclass
class Violation:
    exchange: Exchange
    where: str
    kind: str
    message: str
    path: tuple = ()
    spec_path: str = ""
    deviation: str = ""

    def line(self):
        where = f" {format_path(self.path)}" if self.where.endswith("body") else (
            f" {'.'.join(str(p) for p in self.path)}" if self.path else "")
        return f"{self.exchange.label} [{self.where}]{where}: {self.message}"


class Context:
    """What the request/response checks need: the exchange, its operation, a way to report."""

    def __init__(self, checker, exchange, api, operation, spec_path):
        self.checker = checker
        self.exchange = exchange
        self.api = api
        self.operation = operation
        self.spec_path = spec_path
        self.schemas = checker.schema_checker(api)
        self.violations = []

    def report(self, where, kind, message, path=()):
        violation = Violation(self.exchange, where, kind, message, tuple(path), self.spec_path)
        deviation = self.checker.deviation_for(violation)
        if deviation:
            violation.deviation = deviation.id
        self.violations.append(violation)
        return deviation


class ExchangeChecker:
    """Checks exchanges against a :class:`~.specs.SpecSet`; holds the schema validators' caches."""

    def __init__(self, specs, deviations=DEVIATIONS, out_of_spec=OUT_OF_SPEC, rules=REFERENCE_RULES,
                 strict_request_properties=("am_mgmt",)):
        self.specs = specs
        self.deviations = deviations
        self.out_of_spec = out_of_spec
        self.rules = rules
        self.strict_request_properties = strict_request_properties
        self._schema_checkers = {}
        self.refused_outside_spec = 0  # counted, so that nothing is silently ignored

    def schema_checker(self, api):
        if api.name not in self._schema_checkers:
            self._schema_checkers[api.name] = SchemaChecker(api)
        return self._schema_checkers[api.name]

    def deviation_for(self, violation):
        return next((d for d in self.deviations if d.matches(violation)), None)

    def known_endpoint(self, exchange):
        return next((k for k in self.out_of_spec if k.component == exchange.component
                     and k.method == exchange.method.upper() and re.fullmatch(k.path_regex, exchange.path)), None)

    def check(self, exchange):
        """Every :class:`Violation` of one exchange (tolerated ones carry ``deviation``)."""
        api = self.specs.for_component(exchange.component, exchange.apim_version, exchange.am_version)
        matches = api.match(exchange.path)
        if not matches:
            return self._check_known(exchange)
        operation = next((op for op in (api.operation(r, exchange.method) for r, _ in matches) if op), None)
        route = matches[0][0]
        if operation is None:
            if exchange.status in REJECTED_ROUTE_STATUSES:
                self.refused_outside_spec += 1  # the server refused a method the spec does not have either
                return []
            context = Context(self, exchange, api, None, route.spec_path)
            declared = sorted({m.upper() for r, _ in matches for m in r.path_item if m != "parameters"})
            deviation = context.report("route", "method-undeclared",
                                       f"{exchange.method} is not declared for {route.template} (declared: {declared})")
            if not (deviation and deviation.as_method):
                return context.violations
            operation = api.operation(route, deviation.as_method)
            context.operation = operation
        else:
            context = Context(self, exchange, api, operation, operation.spec_path)
        if exchange.status < 400:
            self._check_request(context)
        check_response(context)
        return context.violations

    def _check_request(self, context):
        exchange = context.exchange
        check_security(context)
        query = parse_query(exchange.query)
        check_query(context, query)
        body = check_request_body(context, strict=exchange.component in self.strict_request_properties)
        for rule in self.rules:
            if rule.applies(exchange, context.spec_path):
                message = rule.check(query, body)
                if message:
                    context.report(rule.where, f"reference:{rule.id}", f"{message} ({rule.reference})")

    def _check_known(self, exchange):
        known = self.known_endpoint(exchange)
        if known is None and exchange.status in REJECTED_ROUTE_STATUSES:
            self.refused_outside_spec += 1  # the server refused a path the spec does not have either
            return []
        if known is None:
            violation = Violation(exchange, "route", "path-not-in-spec",
                                  "no spec path matches and it is not a listed out-of-spec endpoint")
            return [violation]
        return check_known_endpoint(known, exchange)


def check_known_endpoint(known, exchange):
    """An out-of-spec endpoint against what the real server is known to answer (deviations.OUT_OF_SPEC)."""
    violations = []

    def report(where, kind, message, path=()):
        violations.append(Violation(exchange, where, kind, f"{message} ({known.reference})", tuple(path), known.id))

    scheme = exchange.request_headers.get("authorization", "").split(" ", 1)[0].lower()
    if known.auth and exchange.status < 400 and scheme != known.auth:
        report("security", "auth-scheme-undeclared", f"accepted {scheme or 'no'} credentials; needs {known.auth}")
    for expected in (r for r in known.responses if r.status == exchange.status):
        for name, prefix in expected.headers:
            if not exchange.response_headers.get(name, "").startswith(prefix):
                report("response-headers", "header-missing", f"{name} must start with {prefix!r}")
        if expected.empty and exchange.response_body.strip():
            report("response-body", "body-undeclared", "the body must be empty")
        if expected.schema is None:
            continue
        value, error = parse_json(exchange.response_body)
        if error:
            report("response-body", "body-not-json", f"response body is {error}")
            continue
        for err in OAS30Validator(expected.schema).iter_errors(value):
            report("response-body", str(err.validator), err.message, err.absolute_path)
    return violations
