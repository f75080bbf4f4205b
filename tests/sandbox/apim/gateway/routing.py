"""Which deployed API answers a request, the request's original URL, and what the OAuth2 policy of the
pretended APIM version can do.

Facts modelled (gravitee-api-management, gateway reactor):
- ``DefaultHttpAcceptor``: a listener path is sanitised to end with ``/`` (duplicate slashes removed) and
  accepts ``path.startsWith(ctx) || path.equals(ctx without trailing slash)``; the longest path wins here.
  Virtual hosts (a ``host`` on a listener path) are not modelled.
- ``XForwardProcessor.generateOriginalUrl``: ``scheme://host + uri`` (uri keeps the query string), rewritten
  by ``Forwarded`` (proto=, host=) or else ``X-Forwarded-Proto`` / ``X-Forwarded-Host`` (first value), then
  ``X-Forwarded-Port`` and ``X-Forwarded-Prefix``. The OAuth2 policy builds every URL from this value.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

WELL_KNOWN_PRM = "/.well-known/oauth-protected-resource"
MCP_PROXY = "MCP_PROXY"
_DUPLICATE_SLASHES = re.compile(r"/+")


@dataclass(frozen=True)
class PolicyFlavour:
    """What the bundled gravitee-policy-oauth2 (and AM resource) of an APIM version does.

    ``challenge``: "none" (APIM <= 4.9: no WWW-Authenticate on the plan-unresolvable 401), "suffix" (policy
    5.0.x-5.1.4, APIM 4.10.0-4.10.11: ``<original-url>/.well-known/oauth-protected-resource`` for MCP_PROXY
    APIs, switchable with ``addWwwAuthenticateHeader``; a PROXY API gets no header at all, measured on CE
    4.10.9) or "inserted" (policy 5.2+, APIM 4.10.12+: always ``Bearer``,
    ``resource_metadata`` only for MCP_PROXY, ``scope="a b"`` when required scopes are set).
    """

    challenge: str
    prm_suffix: bool          # answers <ctx>/.well-known/oauth-protected-resource
    prm_inserted: bool        # answers /.well-known/oauth-protected-resource/<ctx>
    prm_content_type: bool    # policy 5.3+ sets Content-Type: application/json on the document
    prm_scopes: bool          # AM resource 4.0.1+ fills scopes_supported from the plan's required scopes


def policy_flavour(sandbox):
    at_least = sandbox.apim_version_at_least
    if not at_least("4.10.0"):
        return PolicyFlavour("none", False, False, False, False)
    if not at_least("4.10.12"):
        return PolicyFlavour("suffix", True, False, False, False)
    if not at_least("4.12.0"):
        # 4.11.0 shipped policy 5.2.0 + AM resource 4.0.0, which leave scopes_supported empty.
        exactly_4_11_0 = at_least("4.11.0") and not at_least("4.11.1")
        return PolicyFlavour("inserted", False, True, False, not exactly_4_11_0)
    return PolicyFlavour("inserted", True, True, True, True)


def mcp_proxy_available(sandbox):
    """The mcp-proxy reactor is an Enterprise plugin that exists from APIM 4.10.0."""
    return sandbox.config.apim_edition == "ee" and sandbox.apim_version_at_least("4.10.0")


def served_apis(sandbox):
    """The deployed definitions this gateway can run (MCP_PROXY needs the EE mcp-proxy reactor)."""
    apis = sandbox.apim.gateway_apis()
    if mcp_proxy_available(sandbox):
        return apis
    return [api for api in apis if api.get("type") != MCP_PROXY]


def normalise_context_path(path):
    path = path or "/"
    if not path.startswith("/"):
        path = "/" + path
    if not path.endswith("/"):
        path += "/"
    return _DUPLICATE_SLASHES.sub("/", path)


def context_paths(api):
    for listener in api.get("listeners") or []:
        if listener.get("type", "HTTP") != "HTTP":
            continue
        for entry in listener.get("paths") or []:
            yield normalise_context_path(entry.get("path"))


@dataclass(frozen=True)
class Route:
    api: dict
    context_path: str   # always ends with "/"

    @property
    def base(self):
        """The context path without its trailing slash ("" for "/")."""
        return self.context_path[:-1]

    def remainder(self, path):
        """What follows the context path: appended to the endpoint target's path (``pathInfo``)."""
        return path[len(self.base):]

    @property
    def api_type(self):
        return self.api.get("type")


def match_route(apis, path):
    best = None
    for api in apis:
        for context_path in context_paths(api):
            base = context_path[:-1] or "/"
            if path.startswith(context_path) or path == base:
                if best is None or len(context_path) > len(best.context_path):
                    best = Route(api, context_path)
    return best


def first_header(headers, name):
    for key, value in headers:
        if key == name:
            return value
    return None


def original_url(scope, headers):
    """``ATTR_REQUEST_ORIGINAL_URL`` as the gateway computes it (headers: lower-cased (name, value) pairs)."""
    scheme = scope.get("scheme", "http")
    host = first_header(headers, "host") or _server_authority(scope)
    uri = _raw_uri(scope)
    forwarded = first_header(headers, "forwarded")
    proto = first_header(headers, "x-forwarded-proto")
    forwarded_host = first_header(headers, "x-forwarded-host")
    if not forwarded and not proto and not forwarded_host:
        return f"{scheme}://{host}{uri}"
    if forwarded is not None:
        separator = ";" if ";" in forwarded else ","
        for element in forwarded.split(separator):
            normalised = element.strip().lower()
            if normalised.startswith("proto="):
                scheme = element.strip()[6:]
            if normalised.startswith("host="):
                host = element.strip()[5:].split(",", 1)[0].strip()
    else:
        if proto is not None:
            scheme = proto
        if forwarded_host is not None:
            host = forwarded_host.split(",", 1)[0].strip()
    base = host if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", host) else f"{scheme}://{host}"
    port = first_header(headers, "x-forwarded-port")
    if port is not None and urlsplit(base).port is None:
        if (scheme == "http" and port != "80") or (scheme == "https" and port != "443"):
            base += ":" + port
    prefix = first_header(headers, "x-forwarded-prefix")
    if prefix is not None:
        uri = prefix + uri
    return base + uri


def _raw_uri(scope):
    raw = scope.get("raw_path") or scope["path"].encode()
    uri = raw.decode("latin-1")
    query = scope.get("query_string", b"")
    return uri + ("?" + query.decode("latin-1") if query else "")


def _server_authority(scope):
    server = scope.get("server") or ("localhost", None)
    return f"{server[0]}:{server[1]}" if server[1] else server[0]


def split_original_url(url):
    """(scheme, raw authority, raw path) like ``java.net.URI`` gives them."""
    parts = urlsplit(url)
    return parts.scheme, parts.netloc, parts.path
