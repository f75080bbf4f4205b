"""Response side of an exchange: declared status, body presence, content type, schema."""

import json

from .request_checks import is_json_media, match_media, media_type
from .specs import escape_pointer

NO_BODY_STATUSES = (204, 304)


def status_key(responses, status):
    """The ``responses`` key that covers ``status``, or None.

    ``default`` in these specs is the generic error response, so it covers a status >= 400, or any
    status when the operation declares no explicit success status at all.
    """
    if str(status) in responses:
        return str(status)
    family = f"{str(status)[0]}XX"
    for key in responses:
        if str(key).upper() == family:
            return key
    if "default" in responses:
        has_success = any(str(key)[0] in "23" for key in responses if key != "default")
        if status >= 400 or not has_success:
            return "default"
    return None


def _check_body_against(context, uri, pointer):
    """Validate the response body (JSON) against the schema at ``uri#pointer``."""
    value, error = parse_json(context.exchange.response_body)
    if error:
        context.report("response-body", "body-not-json", f"response body is {error}")
        return
    for finding in context.schemas.check(value, uri, pointer, response=True):
        context.report("response-body", finding.kind, finding.message, finding.path)


def parse_json(raw):
    """(value, None) or (None, reason) for a JSON body in bytes."""
    try:
        return json.loads(raw.decode("utf-8")), None
    except (UnicodeDecodeError, ValueError) as exc:
        return None, f"not valid JSON ({exc})"


def _tolerated_with_schema(context, deviation):
    """A deviation that names a replacement schema: check the body against it instead."""
    if not (deviation and deviation.error_schema and context.exchange.response_body.strip()):
        return
    sent = media_type(context.exchange.response_headers.get("content-type"))
    if not is_json_media(sent):
        context.report("response-body", "content-type-undeclared",
                       f"Content-Type {sent or '(none)'!r}; the error body must be JSON ({deviation.id})")
        return
    _check_body_against(context, context.operation.uri, deviation.error_schema.lstrip("#"))


def check_response(context):
    exchange, operation, api = context.exchange, context.operation, context.api
    responses = operation.contents.get("responses") or {}
    key = status_key(responses, exchange.status)
    if key is None:
        declared = sorted(str(k) for k in responses)
        deviation = context.report("status", "status-undeclared",
                                   f"status {exchange.status} is not declared (declared: {declared})")
        _tolerated_with_schema(context, deviation)
        return
    uri, pointer, response = api.resolve(operation.uri, f"{operation.pointer}/responses/{escape_pointer(str(key))}")
    content = response.get("content") or {}
    body = exchange.response_body or b""
    if not content:
        if body.strip():
            deviation = context.report("response-body", "body-undeclared",
                                       f"sent a body; the spec declares none for {key}")
            _tolerated_with_schema(context, deviation)
        return
    if not body.strip():
        if exchange.status not in NO_BODY_STATUSES:
            context.report("response-body", "body-missing",
                           f"empty body; the spec declares {sorted(content)} for {key}")
        return
    sent = media_type(exchange.response_headers.get("content-type"))
    media = match_media(sent, content)
    if media is None:
        context.report("response-body", "content-type-undeclared",
                       f"Content-Type {sent or '(none)'!r} is not declared (declared: {sorted(content)})")
        return
    if is_json_media(media) and "schema" in content[media]:
        _check_body_against(context, uri, f"{pointer}/content/{escape_pointer(media)}/schema")
