"""Request plumbing shared by the sandbox mAPI v2 handlers: authentication, the call context, JSON bodies,
query parameters, pagination, ETags.

Facts modelled (gravitee-api-management 4.12.17):

- Spring Security runs before Jersey: Basic (``WWW-Authenticate: Basic realm="Gravitee.io Management API"`` on
  failure) or ``Authorization: Bearer <personal access token>`` (TokenAuthenticationFilter; an unknown token is a
  401 without challenge). Every other request is a 401.
- Pagination (``PaginationParam``): ``page``/``perPage`` default 1/10, each ``@Min(1)`` (bean-validation error);
  envelope from ``PaginationInfo``/``PaginationLinks``; in-memory pages past the end are ``pagination.invalid``.
- ``If-Match`` (``AbstractResource.evaluateIfMatch``, non-strict): ignored when absent, unparseable or ``*``,
  otherwise 412 unless it carries the current ``"<updatedAt ms>"``; ``-gzip`` suffixes are stripped.
"""

import base64
import binascii
import json
import math
import re
from dataclasses import dataclass
from email.utils import formatdate

from starlette.responses import JSONResponse, Response

from .errors import (
    PreconditionFailed,
    invalid_value,
    pagination_invalid,
    query_param_invalid,
    unauthorized,
    validation_error,
)

BASIC_CHALLENGE = 'Basic realm="Gravitee.io Management API"'


def authenticate(store, headers):
    """The user name, or raise 401 (with the Basic challenge where Spring Security sends one)."""
    authorization = headers.get("authorization", "")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            user, password = None, None
        if user is not None and store.users.get(user) == password:
            return user
    elif scheme.lower() == "bearer":
        user = store.tokens.get(value.strip())
        if user is not None:
            return user
        error = unauthorized()
        error.headers = {}
        raise error
    error = unauthorized()
    error.headers = {"WWW-Authenticate": BASIC_CHALLENGE}
    raise error


def error_response(error):
    response = error.response()
    for name, value in getattr(error, "headers", {}).items():
        response.headers[name] = value
    return response


@dataclass
class Call:
    """One mAPI request as the handlers see it."""

    sandbox: object
    request: object
    params: dict
    env: dict = None
    body_bytes: bytes = b""

    @property
    def store(self):
        return self.sandbox.apim

    def query(self, name, default=None):
        values = self.request.query_params.getlist(name)
        return values[-1] if values else default

    def query_list(self, name):
        """A comma-separated multi-valued query parameter (CommaSeparatedQueryParamConverterProvider)."""
        items = []
        for raw in self.request.query_params.getlist(name):
            items.extend(part.strip() for part in raw.split(",") if part.strip())
        return items

    def body(self):
        """The JSON body (None when empty); a body Jackson cannot parse is a 400 ``invalidValue``."""
        if not self.body_bytes.strip():
            return None
        try:
            return json.loads(self.body_bytes)
        except ValueError as exc:
            raise invalid_value(f"Unexpected character: {exc.msg}") from None

    def url(self):
        return str(self.request.url)

    def url_without_query(self):
        return str(self.request.url.replace(query=""))


def json_response(data, status=200, headers=None):
    return JSONResponse(data, status_code=status, headers=headers)


def empty_response(status, headers=None):
    return Response(status_code=status, headers=headers)


def cache_headers(updated_ms):
    return {"ETag": f'"{updated_ms}"', "Last-Modified": formatdate(updated_ms / 1000, usegmt=True)}


def check_if_match(call, current_ms):
    header = call.request.headers.get("if-match")
    if not header:
        return
    header = header.replace("-gzip", "").strip()
    if header == "*":
        return
    tags = re.findall(r'(?:W/)?"([^"]*)"', header)
    if not tags:
        return
    if str(current_ms) not in tags:
        raise PreconditionFailed()


def enum_query(call, name, allowed, java_class, default=None):
    """A comma list of upper-case enum values; Jersey cannot convert anything else (ParamExceptionMapper)."""
    values = call.query_list(name)
    if not values:
        return list(default or [])
    for value in values:
        if value not in allowed:
            raise query_param_invalid(
                name, f"No enum constant io.gravitee.rest.api.management.v2.rest.model.{java_class}.{value}")
    return values


def pagination(call):
    """(page, perPage) or the bean-validation error of PaginationParam."""
    values = {}
    for name, default in (("page", 1), ("perPage", 10)):
        raw = call.query(name)
        if raw is None or raw == "":
            values[name] = default
            continue
        try:
            values[name] = int(raw)
        except ValueError:
            raise query_param_invalid(name, f'For input string: "{raw}"') from None
    details = [(name, f"Pagination {name} param must be >= 1", values[name]) for name in ("page", "perPage")
               if values[name] < 1]
    if details:
        raise validation_error(details)
    return values["page"], values["perPage"]


def page_info(total, page_items, page, per_page):
    return {"page": page, "perPage": per_page, "pageItemsCount": page_items,
            "pageCount": math.ceil(total / per_page) if total > 0 else 0, "totalCount": total}


def page_links(call, total, page, per_page):
    """PaginationLinks.computePaginationLinks, including its quirks (None past the last page)."""
    self_url = call.url()
    total_pages = math.ceil(total / per_page)
    if total == 0 or total_pages == 1:
        return {"self": self_url}
    if page <= 0 or page > total_pages:
        return None
    query = call.request.url.query
    if not query:
        template = self_url + "?page={page}"
    else:
        template = self_url
        if call.request.query_params.get("page") is not None:
            template = re.sub(r"page=(\w*)", "page={page}", template, count=1)
        else:
            template += "&page={page}"
        if call.request.query_params.get("perPage") is not None:
            template = re.sub(r"perPage=(\w*)", "perPage={perPage}", template, count=1)

    def link(number):
        return template.replace("{page}", str(number)).replace("{perPage}", str(per_page))

    links = {"first": link(1), "last": link(total_pages), "next": link(min(page + 1, total_pages)),
             "previous": link(max(1, page - 1)), "self": self_url}
    if page == 1:
        del links["previous"]
    elif page == total_pages:
        del links["next"]
    return links


def paged(call, items, page, per_page, total=None, in_memory=False):
    """The ``{data, pagination, links}`` envelope for one page of ``items`` (already sorted)."""
    total = len(items) if total is None else total
    start = (page - 1) * per_page
    if in_memory and items and start >= len(items):
        raise pagination_invalid()
    data = items[start:start + per_page]
    body = {"data": data, "pagination": page_info(total, len(data), page, per_page)}
    links = page_links(call, total, page, per_page)
    if links is not None:
        body["links"] = links
    return body
