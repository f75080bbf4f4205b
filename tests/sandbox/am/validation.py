"""AM's rules for redirect URIs, resource identifiers and domain names (ApplicationServiceImpl.java,
ProtectedResourceServiceImpl.java, DomainServiceImpl.java).

Shared by the management API (applications, protected resources, domains) and the
gateway (Dynamic Client Registration). Each ``*_error`` check returns an error
message (AM's wording) or None.
"""

import re
import unicodedata
from urllib.parse import urlsplit

LOCALHOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")

# Characters java.net.URI refuses anywhere in a URI (it throws, so AM answers "Invalid URL").
_URI_ILLEGAL = re.compile(r'[\s"<>\\^`{|}]|%(?![0-9A-Fa-f]{2})')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$")
_IPV4 = re.compile(r"^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$")
# UriBuilder.isLocalhost in AM (checked on the host as java.net.URL returns it, IPv6 keeps its brackets).
_LOCALHOST = re.compile(r"^localhost$|^127(?:\.[0-9]+){0,2}\.[0-9]+$|^(?:0*:)*?:?0*1$")
# PathValidatorImpl: what a domain's context path may look like.
_DOMAIN_PATH = re.compile(r"/?[a-z0-9-._]+(?:/[a-z0-9-._]+)*/?|/", re.IGNORECASE)


def _host(uri):
    try:
        return urlsplit(uri).hostname
    except ValueError:
        return None


def redirect_uri_error(settings, uri):
    """Check one redirect URI against a domain's clientRegistrationSettings."""
    settings = settings or {}
    if not isinstance(uri, str) or not uri.strip():
        return "redirect_uri must not be empty"
    parts = urlsplit(uri)
    if parts.fragment or "#" in uri:
        return "redirect_uri with fragment is forbidden"
    if "*" in uri and not settings.get("allowWildCardRedirectUri"):
        return "Wildcard are forbidden"
    if parts.scheme not in ("http", "https"):
        return None  # custom schemes (cursor://, vscode://) are not restricted
    host = parts.hostname or ""
    if (host in LOCALHOSTS or host.startswith("127.")) and not settings.get("allowLocalhostRedirectUri"):
        return "localhost is forbidden"
    if parts.scheme == "http" and not settings.get("allowHttpSchemeRedirectUri"):
        return "Unsecured http scheme is forbidden"
    return None


def redirect_uris_error(settings, uris):
    for uri in uris or []:
        message = redirect_uri_error(settings, uri)
        if message:
            return message
    return None


def _authority_host(authority):
    """The host part of an authority, as java.net.URL gives it (IPv6 keeps its brackets)."""
    host_port = authority.rsplit("@", 1)[-1]
    if host_port.startswith("["):
        return host_port[: host_port.find("]") + 1] if "]" in host_port else host_port
    return host_port.split(":", 1)[0]


def _split_authority(uri):
    """``(scheme, authority or None, rest)`` of an absolute URI, or None when there is no scheme."""
    match = _SCHEME.match(uri)
    if not match:
        return None
    scheme = match.group(0)[:-1]
    rest = uri[match.end():]
    if not rest.startswith("//"):
        return scheme, None, rest
    rest = rest[2:]
    end = min([i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0] or [len(rest)])
    return scheme, rest[:end], rest[end:]


def java_uri_host(uri):
    """What ``java.net.URI.create(uri).getHost()`` returns: the host of a server-based authority.

    None when java would fall back to a registry-based authority (``_`` in a host, a last
    label starting with a digit, a bad port, ...). Raises ValueError where java throws.
    """
    if _URI_ILLEGAL.search(uri):
        raise ValueError("illegal character")
    parts = _split_authority(uri)
    if parts is None:
        return None
    authority = parts[1]
    if not authority:
        return None
    host_port = authority.rsplit("@", 1)[-1]
    if host_port.startswith("["):
        host, _, port = host_port.partition("]")
        host += "]"
        port = port[1:] if port.startswith(":") else (None if not port else "x")
    else:
        host, _, port = host_port.partition(":")
    if port and not port.isdigit():
        return None
    if _IPV4.match(host) or host.startswith("["):
        return host
    labels = host[:-1].split(".") if host.endswith(".") else host.split(".")
    if not all(_LABEL.match(label) for label in labels) or not labels[-1][0].isalpha():
        return None
    return host


def resource_identifier_error(identifier):
    """AM's ``@Url(allowFragment = false)``: an absolute URI with a scheme and a host, no fragment.

    Surrounding spaces make java's ``URI.create`` throw, so they are invalid too. (Blank values are
    reported separately by AM as "must not be blank"; here they are simply invalid.)
    """
    if not isinstance(identifier, str) or identifier != identifier.strip() or not identifier:
        return "Invalid URL"
    try:
        host = java_uri_host(identifier)
    except ValueError:
        return "Invalid URL"
    if host is None or "#" in identifier:
        return "Invalid URL"
    return None


def normalise_identifier(identifier):
    """AM stores identifiers trimmed and lowercased in full, path included."""
    return identifier.strip().lower()


def application_redirect_uri_error(settings, uri):
    """One redirect URI of an application created or patched through the management API.

    Same checks as ``ApplicationServiceImpl.validateRedirectUris``, in its order: malformed,
    localhost (http/https only), plain http, wildcard in host or path, fragment.
    """
    settings = settings or {}
    malformed = f"redirect_uri : {uri} is malformed"
    if not isinstance(uri, str) or _URI_ILLEGAL.search(uri):
        return malformed
    parts = _split_authority(uri)
    if parts is None:
        return malformed
    scheme, authority, rest = parts
    is_http = scheme.lower() in ("http", "https")
    host = _authority_host(authority) if authority is not None else None
    if is_http and not host:
        return malformed
    if is_http and _LOCALHOST.match(host.lower()) and not settings.get("allowLocalhostRedirectUri"):
        return "localhost is forbidden"
    if scheme.lower() == "http" and not settings.get("allowHttpSchemeRedirectUri"):
        return "Unsecured http scheme is forbidden"
    path = rest.split("?", 1)[0].split("#", 1)[0]
    if not settings.get("allowWildCardRedirectUri") and ("*" in path or (host and "*" in host)):
        return "Wildcard are forbidden"
    if "#" in uri:
        return "redirect_uri with fragment is forbidden"
    return None


def hrid_from_name(name):
    """gravitee-common ``IdGenerator.generate``: accents dropped, lowercase, non [a-z0-9] runs -> "-"."""
    text = unicodedata.normalize("NFD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z\d\s-]", "", text, flags=re.ASCII).strip()
    return re.sub(r"[^a-z\d]+", "-", text)


def domain_path_error(path):
    """PathValidatorImpl, for a domain's context path."""
    if not path:
        return "Path must not be null or empty"
    if not _DOMAIN_PATH.fullmatch(path):
        return f"Path [{path}] is invalid"
    if not path.startswith("/"):
        return "Path must start with a '/'"
    if "//" in path:
        return f"Path [{path}] is invalid"
    return None


def _sanitize_path(path):
    path = re.sub(r"/{2,}", "/", path or "") or "/"
    if not path.startswith("/"):
        path = "/" + path
    if path.endswith("/") and len(path) > 1:
        path = path[:-1]
    return path


def path_overlap_error(path, other_paths):
    """VirtualHostValidatorImpl: a context path must not contain, or sit inside, another domain's."""
    def covers(outer, inner):
        outer, inner = _sanitize_path(outer), _sanitize_path(inner)
        outer = outer if outer == "/" else outer + "/"
        inner = inner if inner == "/" else inner + "/"
        return inner.startswith(outer)

    for other in other_paths:
        if (path == "/") != (other == "/"):
            continue  # "/" may coexist with specific paths (catch-all routing)
        if covers(path, other):
            return f"Path [{path}] overlap path defined in another security domain"
        if covers(other, path):
            return f"Path [{path}] is overlapped by another security domain"
    return None

