"""Client ID Metadata Documents at the sandbox AM gateway (AM 4.12+, draft-ietf-oauth-client-id-metadata-document).

Facts from AM 4.12.4 (``CimdMetadataServiceImpl``, ``CimdUriTrustValidator``, ``ClientIds``,
``OpenIDDiscoveryServiceImpl``):
- with ``oidc.cimdSettings.enabled`` discovery says ``client_id_metadata_document_supported: true``;
- a client id that starts with ``http(s)://`` is a metadata document URL: canonicalised (scheme and
  host lowercased), it must be HTTPS unless ``allowUnsecuredHttpUri``, its host among ``allowedDomains``
  when that list is set, and neither an IP literal nor a name resolving to a private or loopback address
  unless ``allowPrivateIpAddress``;
- the document is fetched without following redirects, within ``fetchTimeoutMs``; anything but 200, a body
  over ``maxResponseSizeKb`` or not JSON is refused; its ``client_id`` must equal the URL, ``redirect_uris``
  must be a non-empty list of strings, ``token_endpoint_auth_method`` (default ``none``) must not be
  secret-based and no ``client_secret`` may appear;
- the client is the template application (``templateId``) with the document's redirect URIs, name and
  auth method; grant and response types are those of the document (default ``authorization_code`` /
  ``code``) that the template also has; no secret.
The sandbox keeps the resolved client for the domain (AM caches it, ``cacheTtlSeconds``).
"""

import copy
import ipaddress
import json
import socket
import ssl
from urllib.parse import urlsplit

import httpx2 as httpx

from .common import OAuthError

SECRET_METHODS = ("client_secret_basic", "client_secret_post", "client_secret_jwt")


def settings_of(domain):
    return (domain.get("oidc") or {}).get("cimdSettings") or {}


def enabled(domain):
    return bool(settings_of(domain).get("enabled"))


def is_url_shaped(client_id):
    return isinstance(client_id, str) and client_id.lower().startswith(("http://", "https://"))


def canonicalize(client_id):
    parts = urlsplit(client_id)
    port = ":%d" % parts.port if parts.port is not None else ""
    return "%s://%s%s%s%s" % (parts.scheme.lower(), (parts.hostname or "").lower(), port, parts.path,
                              "?" + parts.query if parts.query else "")


def _invalid(message):
    return OAuthError("invalid_client_metadata", message)


def _private(host):
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            addresses = [ipaddress.ip_address(info[4][0]) for info in socket.getaddrinfo(host, None)]
        except OSError as exc:
            raise _invalid("client_id host cannot be resolved.") from exc
    return any(a.is_private or a.is_loopback or a.is_reserved or a.is_link_local for a in addresses)


def check_trust(url, settings):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise _invalid("client_id is not a valid URL.")
    if parts.scheme == "http" and not settings.get("allowUnsecuredHttpUri"):
        raise _invalid("Unsecured HTTP client_id is not allowed.")
    host = (parts.hostname or "").lower()
    if not host:
        raise _invalid("client_id host is missing.")
    allowed = [p.strip().lower() for p in settings.get("allowedDomains") or [] if p and p.strip()]
    if allowed and not any(host == p or (p.startswith("*.") and host.endswith(p[1:]) and host != p[2:])
                           for p in allowed):
        raise _invalid("client_id host is not in allowed domains.")
    if not settings.get("allowPrivateIpAddress") and _private(host):
        raise _invalid("client_id resolves to a private or reserved IP address.")


def _trust(sandbox):
    """What the gateway's HTTP client trusts: the system CAs, or the sandbox's and the configured ones."""
    extra = sandbox.config.am_gateway_ca_path
    if not sandbox.tls and not extra:
        return True
    context = sandbox.tls.client_context() if sandbox.tls else ssl.create_default_context(cafile=extra)
    if sandbox.tls and extra:
        context.load_verify_locations(cafile=extra)
    return context


async def fetch_document(sandbox, url, settings):
    """The metadata document at ``url`` (a dict), fetched as AM does; OAuthError when refused."""
    check_trust(url, settings)
    limit = max(0, int(settings.get("maxResponseSizeKb", 10))) * 1024
    verify = _trust(sandbox)
    try:
        async with httpx.AsyncClient(verify=verify, follow_redirects=False,
                                     timeout=max(1, int(settings.get("fetchTimeoutMs", 5000))) / 1000) as http:
            response = await http.get(url)
    except httpx.TimeoutException as exc:
        raise _invalid("Client metadata fetch timed out.") from exc
    except httpx.HTTPError as exc:
        raise _invalid("Unable to fetch client metadata.") from exc
    if response.status_code != 200:
        raise _invalid("Client metadata endpoint returned HTTP %d." % response.status_code)
    if limit and len(response.content) > limit:
        raise _invalid("Client metadata response exceeds configured max size.")
    try:
        document = json.loads(response.content)
    except ValueError as exc:
        raise _invalid("Client metadata response is not valid JSON.") from exc
    if not isinstance(document, dict):
        raise _invalid("Client metadata response is not valid JSON.")
    return document


def _strings(document, key, default=None):
    if key not in document:
        return default
    value = document[key]
    if not isinstance(value, list) or any(not isinstance(v, str) or not v.strip() for v in value):
        raise _invalid("Invalid %s." % key)
    return value


def synthesize(url, template, document):
    """The client AM builds from the template application and the document."""
    if not isinstance(document.get("client_id"), str) or canonicalize(document["client_id"]) != url:
        raise _invalid("client_id in metadata does not match requested client_id.")
    redirect_uris = _strings(document, "redirect_uris")
    if not redirect_uris:
        raise _invalid("Missing or invalid redirect_uris.")
    method = document.get("token_endpoint_auth_method", "none")
    if method in SECRET_METHODS:
        raise _invalid("Secret-based token_endpoint_auth_method is not allowed for CIMD clients.")
    if "client_secret" in document or "client_secret_expires_at" in document:
        raise _invalid("client_secret metadata is not allowed for CIMD clients.")
    client = copy.deepcopy(template)
    oauth = client.setdefault("settings", {}).setdefault("oauth", {})
    grants = [g for g in _strings(document, "grant_types", ["authorization_code"]) if g in oauth.get("grantTypes", [])]
    responses = [r for r in _strings(document, "response_types", ["code"]) if r in oauth.get("responseTypes", [])]
    name = document.get("client_name") if isinstance(document.get("client_name"), str) else oauth.get("clientName")
    oauth.update(clientId=url, redirectUris=redirect_uris, tokenEndpointAuthMethod=method, grantTypes=grants,
                 responseTypes=responses, clientName=name)
    client.update(clientId=url, name=name, template=False, _secrets=[], id="cimd:" + url)
    return client


async def resolve(ctx, client_id):
    """Before an endpoint looks a URL-shaped client up: fetch, validate and keep its client (or OAuthError)."""
    cache = ctx.store.gateway.setdefault("cimd_clients", {})
    if not is_url_shaped(client_id) or not enabled(ctx.domain):
        cache.pop((ctx.domain_id, client_id), None)
        return
    url = canonicalize(client_id)
    if (ctx.domain_id, url) in cache:
        return
    settings = settings_of(ctx.domain)
    template = ctx.store.applications.get(settings.get("templateId") or "")
    if template is None:
        raise _invalid("No template client available for CIMD resolution.")
    document = await fetch_document(ctx.sandbox, url, settings)
    cache[(ctx.domain_id, url)] = synthesize(url, template, document)


def cached_client(store, domain_id, client_id):
    if not is_url_shaped(client_id):
        return None
    return store.gateway.get("cimd_clients", {}).get((domain_id, canonicalize(client_id)))
