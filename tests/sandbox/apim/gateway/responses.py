"""Responses the APIM gateway writes itself (not proxied), byte for byte as Gravitee writes them.

- No API for the path (``NotFoundProcessor``): 404, ``text/plain``, ``No context-path matches the request URI.``
- An execution failure (``AbstractFailureProcessor`` + ``ExecutionFailureMessageHelper``): JSON
  ``{"message":...,"http_status_code":N}`` when any ``Accept`` header contains ``application/json`` or
  ``*/*``, else ``text/plain`` with the message alone; ``Connection: close`` unless the status is 4xx;
  no body when the failure carries no message.
"""

import json
import uuid

NOT_FOUND_MESSAGE = b"No context-path matches the request URI."
TRANSACTION_HEADER = "x-gravitee-transaction-id"
REQUEST_HEADER = "x-gravitee-request-id"


async def send_response(send, status, headers=(), body=b""):
    raw_headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]
    raw_headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


async def send_not_found(send):
    await send_response(send, 404, [("content-type", "text/plain")], NOT_FOUND_MESSAGE)


def accepts_json(request_headers):
    accepts = [value for name, value in request_headers if name == "accept"]
    return any("application/json" in value or "*/*" in value for value in accepts)


async def send_failure(send, request_headers, status, message, extra_headers=()):
    headers = list(extra_headers)
    if status // 100 != 4:
        headers.append(("connection", "close"))
    if message is None:
        await send_response(send, status, headers)
        return
    if accepts_json(request_headers):
        body = json.dumps({"message": message, "http_status_code": status}, separators=(",", ":")).encode()
        headers.append(("content-type", "application/json"))
    else:
        body = message.encode()
        headers.append(("content-type", "text/plain"))
    await send_response(send, status, headers, body)


def transaction_headers(request_headers):
    """The ids the gateway adds to the request it forwards and to every response of an API.

    An incoming ``X-Gravitee-Transaction-Id`` is kept; the request id is always new.
    """
    transaction = next((value for name, value in request_headers if name == TRANSACTION_HEADER), None)
    request_id = str(uuid.uuid4())
    return [(TRANSACTION_HEADER, transaction or request_id), (REQUEST_HEADER, request_id)]
