"""AM's rules for redirect URIs and resource identifiers (am-mapi.md §4, §5, §7).

Shared by the management API (applications, protected resources) and the
gateway (Dynamic Client Registration). Each check returns an error message
(AM's wording) or None.
"""

from urllib.parse import urlsplit

LOCALHOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")


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


def resource_identifier_error(identifier):
    """AM accepts absolute URIs with a host and no fragment, without surrounding spaces."""
    if not isinstance(identifier, str) or identifier != identifier.strip() or not identifier:
        return "Invalid URL"
    parts = urlsplit(identifier)
    if not parts.scheme or "#" in identifier:
        return "Invalid URL"
    netloc_host = parts.netloc.rsplit("@", 1)[-1].split(":")[0]
    # Java's URI.getHost() is null for hosts with "_" (not a valid server-based authority).
    if not netloc_host or "_" in netloc_host:
        return "Invalid URL"
    return None


def normalise_identifier(identifier):
    """AM stores identifiers trimmed and lowercased in full, path included."""
    return identifier.strip().lower()
