"""Request side of an exchange: credentials, query parameters, body.

Only run when the server accepted the request (status < 400): a finding here means the sandbox
accepted something the spec (or the real server, per deviations.REFERENCE_RULES) does not.
"""

import json
from urllib.parse import parse_qsl

from .specs import escape_pointer

JSON_TYPES = ("application/json",)


def media_type(header_value):
    return (header_value or "").split(";")[0].strip().lower()


def match_media(sent, declared):
    """The declared media-type key that covers ``sent`` (exact, then ``type/*``, then ``*/*``)."""
    for key in declared:
        if key.lower() == sent:
            return key
    for key in declared:
        major, _, minor = key.lower().partition("/")
        if minor == "*" and (major == "*" or sent.startswith(major + "/")):
            return key
    return None


def is_json_media(media):
    media = media.lower()
    return media in JSON_TYPES or media.endswith("+json")


def parse_query(query):
    values = {}
    for name, value in parse_qsl(query or "", keep_blank_values=True):
        values.setdefault(name, []).append(value)
    return values


# -- security ---------------------------------------------------------------------------------
def _credentials(headers):
    """(label, satisfied-by) of what the request carries."""
    authorization = headers.get("authorization", "")
    scheme = authorization.split(" ", 1)[0].lower() if authorization else ""
    cookies = {part.split("=", 1)[0].strip() for part in headers.get("cookie", "").split(";") if "=" in part}
    return scheme, cookies


def _satisfies(scheme_def, headers, auth_scheme, cookies):
    kind = scheme_def.get("type")
    if kind == "http":
        return auth_scheme == str(scheme_def.get("scheme", "")).lower()
    if kind == "apiKey":
        where, name = scheme_def.get("in"), scheme_def.get("name", "")
        if where == "cookie":
            return name in cookies
        if where == "header":
            return name.lower() in headers
    return False


def check_security(context):
    operation = context.operation
    document = context.api.documents[operation.uri]
    requirements = operation.contents.get("security", document.get("security"))
    if not requirements:
        return
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    headers = context.exchange.request_headers
    auth_scheme, cookies = _credentials(headers)
    for requirement in requirements:
        if all(_satisfies(schemes.get(name, {}), headers, auth_scheme, cookies) for name in requirement):
            return
    declared = sorted({name for requirement in requirements for name in requirement})
    if auth_scheme:
        label = auth_scheme.capitalize()
        context.report("security", "auth-scheme-undeclared",
                       f"accepted an `Authorization: {label}` credential; the operation declares only {declared}",
                       (label,))
    elif cookies:
        context.report("security", "auth-scheme-undeclared",
                       f"accepted cookies {sorted(cookies)}; the operation declares only {declared}", ("Cookie",))
    else:
        context.report("security", "unauthenticated-accepted",
                       f"accepted a request without credentials; the operation requires one of {declared}")


# -- query ------------------------------------------------------------------------------------
def declared_parameters(context):
    """{(name, in): (uri, pointer, parameter)} of the path item and the operation (operation wins)."""
    api, operation = context.api, context.operation
    path_pointer = operation.pointer.rsplit("/", 1)[0]
    found = {}
    for owner_pointer, owner in ((path_pointer, operation.path_item), (operation.pointer, operation.contents)):
        for index in range(len(owner.get("parameters") or [])):
            uri, pointer, parameter = api.resolve(operation.uri, f"{owner_pointer}/parameters/{index}")
            found[(parameter["name"], parameter.get("in"))] = (uri, pointer, parameter)
    return found


def _coerce(text, schema_type):
    if schema_type == "integer":
        return int(text)
    if schema_type == "number":
        return float(text)
    if schema_type == "boolean":
        if text not in ("true", "false"):
            raise ValueError(text)
        return text == "true"
    return text


def check_query(context, query):
    declared = declared_parameters(context)
    api = context.api
    for name in query:
        if (name, "query") not in declared:
            known = sorted(n for n, where in declared if where == "query")
            context.report("query", "query-param-undeclared",
                           f"query parameter {name!r} is not declared (declared: {known})", (name,))
    for (name, where), (uri, pointer, parameter) in declared.items():
        if where != "query":
            continue
        if name not in query:
            if parameter.get("required"):
                context.report("query", "query-param-missing", f"required query parameter {name!r} is missing",
                               (name,))
            continue
        schema_uri, schema_pointer, schema = api.resolve(uri, pointer + "/schema")
        try:
            if schema.get("type") == "array":
                item_type = api.resolve(schema_uri, schema_pointer + "/items")[2].get("type")
                value = [_coerce(item, item_type) for raw in query[name] for item in raw.split(",")]
            else:
                value = _coerce(query[name][-1], schema.get("type"))
        except ValueError:
            context.report("query", "query-param-invalid",
                           f"{name}={query[name]!r} is not a valid {schema.get('type')}", (name,))
            continue
        for finding in context.schemas.check(value, schema_uri, schema_pointer, response=False,
                                             strict_properties=False):
            context.report("query", "query-param-invalid", f"{name}: {finding.message}", (name,))


# -- body -------------------------------------------------------------------------------------
def check_request_body(context, strict):
    """Check the request body; returns the parsed JSON body (or None)."""
    exchange = context.exchange
    raw = exchange.request_body or b""
    empty = not raw.strip()
    try:
        parsed = json.loads(raw) if not empty else None
    except ValueError:
        parsed = None
    operation = context.operation
    if "requestBody" not in operation.contents:
        if not empty and parsed != {}:
            context.report("request-body", "body-undeclared", "sent a body; the operation declares no request body")
        return parsed
    uri, pointer, request_body = context.api.resolve(operation.uri, operation.pointer + "/requestBody")
    content = request_body.get("content") or {}
    if empty:
        if request_body.get("required"):
            context.report("request-body", "body-missing", "the operation requires a request body")
        return parsed
    sent = media_type(exchange.request_headers.get("content-type"))
    media = match_media(sent, content)
    if media is None:
        context.report("request-body", "content-type-undeclared",
                       f"Content-Type {sent or '(none)'!r} is not declared (declared: {sorted(content)})")
        return parsed
    if not is_json_media(media):
        return parsed
    if parsed is None:
        context.report("request-body", "body-not-json", "request body is not valid JSON")
        return parsed
    if "schema" in content[media]:
        schema_pointer = f"{pointer}/content/{escape_pointer(media)}/schema"
        for finding in context.schemas.check(parsed, uri, schema_pointer, response=False, strict_properties=strict):
            context.report("request-body", finding.kind, finding.message, finding.path)
    return parsed
