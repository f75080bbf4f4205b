"""What every AM management endpoint shares: error bodies, JSON reading, paging, rendering.

Errors are raised as :class:`MgmtError` and turned into AM's ``ErrorEntity`` body
``{"message": ..., "http_status": ...}`` by the dispatcher (app.py).
"""

import copy
import json
import time

from starlette.responses import JSONResponse, Response

MALFORMED_JSON = "Malformed json"
NOTHING_TO_UPDATE = "You need to specify at least one value to update."
# Jersey's own answers (no resource matched, or a query parameter that does not convert).
ROUTE_NOT_FOUND = "HTTP 404 Not Found"
METHOD_NOT_ALLOWED = "HTTP 405 Method Not Allowed"
UNSUPPORTED_MEDIA_TYPE = "HTTP 415 Unsupported Media Type"


INTERNAL_ERROR = "Internal error"  # AM's answer to an exception it does not map (ThrowableMapper)


class MgmtError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def error_body(status, message):
    return {"message": message, "http_status": status}


def error_response(status, message, headers=None):
    return JSONResponse(error_body(status, message), status_code=status, headers=headers)


def json_response(document, status=200, headers=None):
    return JSONResponse(document, status_code=status, headers=headers)


def no_content():
    return Response(status_code=204)


def bad_request(message):
    return MgmtError(400, message)


def unknown_property(name):
    return MgmtError(400, f"Property [{name}] is not recognized as a valid property")


def permission_denied():
    return MgmtError(403, "Permission denied")


def domain_not_found(domain_id):
    return MgmtError(404, f"Domain [{domain_id}] can not be found.")


def violations(items):
    """Bean-validation failure: ``[<value or field>: <message>,...]`` (AM's ValidationExceptionMapper)."""
    return MgmtError(400, "[" + ",".join(f"{subject}: {message}" for subject, message in items) + "]")


def java_string(value):
    """How java prints an invalid value in a violation (lists as ``[a, b]``)."""
    if isinstance(value, list):
        return "[" + ", ".join(java_string(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


async def read_json(request, param=None):
    """The parsed JSON body. An empty body is ``None`` (Jersey hands ``null`` to the resource).

    ``param`` names the resource method's ``@NotNull`` body parameter: AM is compiled with
    ``-parameters``, so the violation names the java parameter (e.g. ``domainToPatch``).
    """
    sent_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if sent_type and sent_type != "application/json" and not sent_type.endswith("+json"):
        raise MgmtError(415, UNSUPPORTED_MEDIA_TYPE)  # Jersey: no resource @Consumes that type
    raw = await request.body()
    body = None
    if raw.strip():
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise MgmtError(400, MALFORMED_JSON) from None
    if body is None and param:
        raise violations([(param, "must not be null")])
    return body


def query_int(request, name, default):
    """An int query parameter; Jersey answers 404 when it does not convert."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise MgmtError(404, ROUTE_NOT_FOUND) from None


def page_params(request, default_size=50, max_size=None):
    page = query_int(request, "page", 0)
    size = query_int(request, "size", default_size)
    if max_size is not None:
        size = min(size, max_size)
    return page, size


def paginate(items, page, size):
    """``{"data", "currentPage", "totalCount"}`` (AM's Page). Out-of-range pages are empty."""
    start = page * size
    data = items[start:start + size] if page >= 0 and size > 0 else []
    return {"data": data, "currentPage": page, "totalCount": len(items)}


def render(document):
    """A stored document as AM writes it: internal ``_`` keys and ``None`` values left out."""
    if isinstance(document, dict):
        return {k: render(v) for k, v in document.items() if not k.startswith("_") and v is not None}
    if isinstance(document, list):
        return [render(v) for v in document]
    return copy.deepcopy(document)


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def java_date(epoch_seconds):
    """``java.util.Date.toString()`` in UTC, e.g. ``Wed Dec 03 10:00:00 UTC 2025``."""
    t = time.gmtime(epoch_seconds)
    return (f"{_DAYS[t.tm_wday]} {_MONTHS[t.tm_mon - 1]} {t.tm_mday:02d} "
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} UTC {t.tm_year}")


def version_tuple(text):
    return tuple(int(part) for part in str(text).split("-")[0].split(".")[:3])


def location(request, path):
    """AM answers 201 with an absolute ``Location`` under the management base URL."""
    base = str(request.base_url).rstrip("/")
    return {"Location": f"{base}/management{path}"}
