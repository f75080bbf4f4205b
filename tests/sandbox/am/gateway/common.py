"""Shared plumbing of the sandbox AM gateway: domain context, base URLs, errors, parameters.

Facts from the AM source (gravitee-access-management 4.12.4):
- every URL the gateway prints is built from the incoming request (``UriBuilderRequest``): scheme from
  ``X-Forwarded-Proto``, host from ``X-Forwarded-Host`` or ``Host``, a port only when it is not the
  scheme's default (``X-Forwarded-Port`` first), then ``X-Forwarded-Prefix`` and the domain path;
- OAuth 2.0 errors are ``{"error", "error_description"}`` JSON with ``Cache-Control: no-store``;
- ``resource`` is the only parameter that may repeat (``Parameter [x] is included more than once``).
"""

import secrets
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from starlette.responses import JSONResponse, Response

from .sync import gateway_domain

DEFAULT_PORTS = {"http": "80", "https": "443"}


class OAuthError(Exception):
    """An AM ``OAuth2Exception``: error code, description, HTTP status and extra headers."""

    def __init__(self, error, description=None, status=400, headers=None):
        super().__init__(description or error)
        self.error = error
        self.description = description
        self.status = status
        self.headers = headers or {}

    def response(self):
        return oauth_error(self.error, self.description, self.status, self.headers)


def oauth_error(error, description=None, status=400, headers=None):
    body = {"error": error}
    if description is not None:
        body["error_description"] = description
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store", "Pragma": "no-cache",
                                                           **(headers or {})})


def no_store_json(body, status=200):
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def not_found():
    # The gateway has no route for an unknown or stopped security domain.
    return Response("Not Found", status_code=404, media_type="text/plain")


def _port_of(host_value, scheme):
    if not host_value or ":" not in host_value:
        return None
    port = host_value.split(":")[1]
    return None if DEFAULT_PORTS.get(scheme) == port else port


def request_base_url(request):
    """``scheme://host[:port][prefix]`` the way AM's UriBuilderRequest resolves it."""
    headers = request.headers
    scheme = headers.get("x-forwarded-proto") or request.url.scheme
    host_header = headers.get("host") or request.url.netloc
    forwarded_host = headers.get("x-forwarded-host") or None
    hostname = (forwarded_host or host_header).split(":", 1)[0]
    port = headers.get("x-forwarded-port")
    if port is None or DEFAULT_PORTS.get(scheme) == port:
        port = _port_of(forwarded_host, scheme) if forwarded_host else _port_of(host_header, scheme)
    prefix = (headers.get("x-forwarded-prefix") or "").rstrip("/")
    return f"{scheme}://{hostname}{':' + port if port else ''}{prefix}"


@dataclass
class DomainContext:
    """What every gateway endpoint needs: the sandbox, its AM store and the synced domain."""

    sandbox: object
    domain: dict
    base: str  # <request base>/<domain path>, e.g. http://127.0.0.1:28083/mcp-domain

    @property
    def store(self):
        return self.sandbox.am

    @property
    def domain_id(self):
        return self.domain["id"]

    @property
    def issuer(self):
        return self.base + "/oidc"

    def url(self, path, params=None):
        query = ("?" + urlencode(params, doseq=True)) if params else ""
        return self.base + path + query

    @property
    def registration_settings(self):
        return (self.domain.get("oidc") or {}).get("clientRegistrationSettings") or {}

    @property
    def login_settings(self):
        return self.domain.get("loginSettings") or {}

    @property
    def default_idp(self):
        return "default-idp-" + self.domain_id


def domain_context(sandbox, request):
    """The context for ``/{domain}/...``, or None when the domain is unknown, disabled or not yet synced."""
    domain = gateway_domain(sandbox.am, request.path_params["domain"])
    if domain is None or not domain.get("enabled"):
        return None
    base = request_base_url(request) + "/" + domain["path"].strip("/")
    return DomainContext(sandbox=sandbox, domain=domain, base=base)


async def request_params(request, with_form=True):
    """Query and form parameters merged, as Vert.x does: a list of (name, value) pairs."""
    pairs = list(request.query_params.multi_items())
    content_type = request.headers.get("content-type", "")
    if with_form and request.method == "POST" and content_type.startswith("application/x-www-form-urlencoded"):
        form = await request.form()
        pairs.extend((k, v) for k, v in form.multi_items() if isinstance(v, str))
    return pairs


class Params:
    """Read-only view over merged request parameters."""

    def __init__(self, pairs):
        self.pairs = pairs

    def get(self, name, default=None):
        for key, value in self.pairs:
            if key == name:
                return value
        return default

    def get_all(self, name):
        return [value for key, value in self.pairs if key == name]

    def check_no_repeats(self):
        """AM: only ``resource`` may occur more than once."""
        seen = set()
        for key, _value in self.pairs:
            if key in seen and key != "resource":
                raise OAuthError("invalid_request", f"Parameter [{key}] is included more than once")
            seen.add(key)

    def resources(self):
        """RFC 8707 values, trimmed, de-duplicated, in order (ResourceParameterUtils)."""
        ordered = []
        for value in self.get_all("resource"):
            value = value.strip()
            if value not in ordered:
                ordered.append(value)
        return ordered

    def scopes(self):
        value = self.get("scope")
        if value is None:
            return None
        return [s for s in dict.fromkeys(value.split()) if s]


def media_type(request):
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def add_query(url, params):
    """Append parameters to a URL that may already carry a query (AM's UriBuilder)."""
    parts = urlsplit(url)
    extra = urlencode(params)
    query = parts.query + ("&" if parts.query and extra else "") + extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def random_token(length=32):
    return secrets.token_urlsafe(length)
