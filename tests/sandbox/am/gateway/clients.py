"""Clients as the AM gateway sees them: lookup, client authentication, scopes and resources.

Applications and protected resources (MCP servers) are both OAuth clients; the gateway looks
among applications first, then protected resources. Facts from AM 4.12.4:
- client authentication (``ClientAuthHandlerImpl`` and its providers, tried in order basic, post,
  none): the client's ``tokenEndpointAuthMethod`` decides which one may be used; ``none`` never
  serves ``grant_type=client_credentials``;
- scopes (``AbstractRequestResolver``): requested scopes must be among the client's
  ``scopeSettings`` or, with ``resource``, among the scopes of the matched MCP server's tools;
  without ``scope`` the client's default scopes apply;
- RFC 8707 (``ResourceValidationServiceImpl``): every requested resource must equal a stored
  identifier of a protected resource of the domain, else ``invalid_target``.
"""

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import unquote

from . import cimd
from .common import OAuthError
from .sync import gateway_clients, gateway_resources

INVALID_CLIENT_MESSAGE = "Invalid client: missing or unsupported authentication method"
GENERIC_ERROR_MESSAGE = "Client authentication failed due to unknown clientId, expired or invalid client secret"
BASIC_CHALLENGE = {"WWW-Authenticate": 'Basic realm="gravitee-io"'}
NOT_RECOGNIZED = "The requested resource is not recognized by this authorization server."

RESOURCE_DEFAULTS = {"grantTypes": ["client_credentials"], "responseTypes": ["code"],
                     "tokenEndpointAuthMethod": "client_secret_basic"}


@dataclass
class OAuthClient:
    kind: str  # "application" or "protected_resource"
    obj: dict

    @property
    def oauth(self):
        settings = (self.obj.get("settings") or {}).get("oauth") or {}
        if self.kind == "protected_resource":
            return {**RESOURCE_DEFAULTS, **settings}
        return settings

    @property
    def client_id(self):
        return self.obj.get("clientId") or self.oauth.get("clientId")

    @property
    def name(self):
        return self.obj.get("name") or self.oauth.get("clientName") or self.client_id

    @property
    def grant_types(self):
        return list(self.oauth.get("grantTypes") or [])

    @property
    def response_types(self):
        return list(self.oauth.get("responseTypes") or [])

    @property
    def redirect_uris(self):
        return list(self.oauth.get("redirectUris") or [])

    @property
    def auth_method(self):
        return self.oauth.get("tokenEndpointAuthMethod")

    @property
    def scope_settings(self):
        return [s for s in self.oauth.get("scopeSettings") or [] if s.get("scope") is not None]

    @property
    def identity_providers(self):
        return [idp.get("identity") for idp in self.obj.get("identityProviders") or []]

    def validity(self, kind, default):
        return int(self.oauth.get(kind) or default)


def find_client(store, domain_id, client_id):
    if client_id is None:
        return None
    for kind, obj in gateway_clients(store, domain_id):
        if obj.get("clientId") == client_id:
            return OAuthClient(kind, obj)
    synthesized = cimd.cached_client(store, domain_id, client_id)
    return OAuthClient("application", synthesized) if synthesized is not None else None


def _basic_credentials(header):
    """(client_id, secret or None) from ``Authorization: Basic``; raises on a malformed header."""
    idx = header.find(" ")
    if idx <= 0 or header[:idx].lower() != "basic":
        raise OAuthError("invalid_client", INVALID_CLIENT_MESSAGE, 401)
    try:
        decoded = base64.b64decode(header[idx + 1:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise OAuthError("invalid_client", INVALID_CLIENT_MESSAGE, 401) from exc
    client_id, colon, secret = decoded.partition(":")
    # AM url-decodes both parts, keeping a literal "+".
    return unquote(client_id.replace("+", "%2B")), (unquote(secret.replace("+", "%2B")) if colon else None)


def authenticate_client(ctx, request, params):
    """The authenticated OAuthClient of a token, introspection or revocation call (or OAuthError)."""
    header = request.headers.get("authorization")
    if header is not None:
        client_id, _secret = _basic_credentials(header)
    else:
        client_id = params.get("client_id")
        if client_id is None:
            raise OAuthError("invalid_client", INVALID_CLIENT_MESSAGE, 401)
    client = find_client(ctx.store, ctx.domain_id, client_id)
    if client is None:
        raise OAuthError("invalid_client", GENERIC_ERROR_MESSAGE, 401)
    method = client.auth_method or ""
    if method == "client_secret_basic" or (not method and header is not None):
        _check_basic(ctx, client, header)
    elif method == "client_secret_post" or (not method and params.get("client_id") and params.get("client_secret")):
        if params.get("client_id") != client.client_id or not ctx.store.secret_matches(client.obj,
                                                                                       params.get("client_secret")):
            raise OAuthError("invalid_client", GENERIC_ERROR_MESSAGE, 401)
    elif method == "none" and params.get("grant_type") != "client_credentials":
        pass  # a public client is identified, not authenticated
    else:
        raise OAuthError("invalid_client", INVALID_CLIENT_MESSAGE, 401)
    return client


def _check_basic(ctx, client, header):
    if header is None or header.find(" ") <= 0 or header[:header.find(" ")].lower() != "basic":
        raise OAuthError("invalid_client", INVALID_CLIENT_MESSAGE, 401, BASIC_CHALLENGE)
    client_id, secret = _basic_credentials(header)
    if secret is None:
        raise OAuthError("invalid_client", INVALID_CLIENT_MESSAGE, 401, BASIC_CHALLENGE)
    if client_id != client.client_id or not ctx.store.secret_matches(client.obj, secret):
        raise OAuthError("invalid_client", GENERIC_ERROR_MESSAGE, 401, BASIC_CHALLENGE)


def resources_by_identifier(store, domain_id, identifiers):
    """Synced protected resources of the domain holding any of ``identifiers`` (exact match)."""
    wanted = set(identifiers)
    return [r for r in gateway_resources(store, domain_id) if wanted & set(r.get("resourceIdentifiers") or [])]


def validate_resources(store, domain_id, resources):
    """RFC 8707: each value must equal a stored identifier, else ``invalid_target``."""
    if not resources:
        return
    known = {i for r in gateway_resources(store, domain_id) for i in r.get("resourceIdentifiers") or []}
    if not set(resources) <= known:
        raise OAuthError("invalid_target", NOT_RECOGNIZED)


def _resource_scopes(store, domain_id, resources):
    scopes = set()
    for resource in resources_by_identifier(store, domain_id, resources):
        for feature in resource.get("features") or []:
            scopes.update(feature.get("scopes") or [])
    return scopes


def resolve_scopes(store, domain_id, client, requested, resources):
    """The granted scopes (request order kept), or ``invalid_scope`` as AM words it."""
    settings = client.scope_settings
    client_scopes = [s["scope"] for s in settings]
    resolved, invalid = [], []
    if settings:
        if not requested:
            resolved = [s["scope"] for s in settings if s.get("defaultScope")]
        else:
            for scope in requested:
                (resolved if scope in client_scopes else invalid).append(scope)
    if resources and requested:
        resource_scopes = _resource_scopes(store, domain_id, resources)
        for scope in requested:
            if scope in resource_scopes:
                if scope not in resolved:
                    resolved.append(scope)
                if scope in invalid:
                    invalid.remove(scope)
            elif scope not in resolved and scope not in invalid:
                invalid.append(scope)
    if invalid:
        raise OAuthError("invalid_scope", "Invalid scope(s): " + " ".join(invalid))
    if not resolved and requested:
        raise OAuthError("invalid_scope", "Invalid scope(s): " + " ".join(requested))
    return resolved
