"""In-memory state of the sandbox AM (management API and gateway share it).

Representations are kept the way AM's management API returns them (JSON field
names, lowercase enums, epoch-millisecond dates), so the management API can
serve them with little mapping. Keys starting with ``_`` are sandbox-internal
and never rendered. Secrets are stored hashed, never in clear text.

Shapes (everything below is a plain dict; ``None`` fields are simply absent):

``domains[id]``
    The full ``GET E/domains/{id}`` document: ``id, hrid, name, version ("v2_0"),
    description, enabled, alertEnabled, master, vhostMode, path ("/" + hrid),
    referenceType ("environment"), referenceId (env id), dataPlaneId, createdAt,
    updatedAt, oidc{clientRegistrationSettings{...is* flags...}, securityProfileSettings,
    redirectUriStrictMatching, cibaSettings}, loginSettings (optional), tags (optional)``.

``protected_resources[id]`` (MCP servers)
    ``id, clientId, name, description, type ("mcp_server"), resourceIdentifiers
    (trimmed + lowercased), features [{key, description, type "mcp_tool", scopes,
    createdAt, updatedAt}], settings{oauth{clientId, grantTypes, responseTypes,
    tokenEndpointAuthMethod, ...}}, secretSettings, certificate, updatedAt`` plus
    ``_createdAt``, ``_domain`` (domain id) and ``_secrets`` (secret records).
    Created before 4.11 a resource has no ``settings`` and no ``certificate``.

``applications[id]``
    The AM ``Application`` document: ``id, name, type`` (lowercase AM enum:
    ``"web"``, ``"native"``, ``"browser"``, ``"service"``, ``"resource_server"``,
    ``"agent"``), ``description, domain, enabled, template, certificate,
    identityProviders [{identity, priority, selectionRule}], secretSettings,
    createdAt, updatedAt, settings{oauth{clientId, clientName, clientType
    ("public"/"confidential"), applicationType, redirectUris, grantTypes,
    responseTypes, tokenEndpointAuthMethod ("none" for public clients),
    forcePKCE, forceS256CodeChallengeMethod, ...defaults}}`` plus the sandbox
    fields ``clientId`` (mirror of ``settings.oauth.clientId``, not rendered),
    ``_domain`` and ``_secrets``. DCR clients added by the gateway use the same
    shape (build ``settings.oauth`` with :func:`default_oauth_settings`).

Secret records (``_secrets`` items, see :meth:`AmStore.new_secret_record`)
    ``{"id", "name", "hash" (sha256 hex of the plain value), "settingsId", "createdAt"}``.

``scopes[domain id][key]``
    ``{id, key, name, description, domain, system, discovery, parameterized,
    claims (system scopes), createdAt, updatedAt}`` in creation order.

``certificates[domain id]`` / ``identity_providers[domain id]``
    Lists of ``{id, name, system, ...}``. Every domain has a system certificate
    "Default" and the identity provider ``default-idp-<domain id>``.

``users[domain id][username]``
    ``{"id", "username", "password_hash", "email"}`` (end users of the gateway).

``mgmt_tokens``
    management JWT -> admin username (expiry is inside the JWT, see am/mgmt/auth.py).
"""

import base64
import hashlib
import json
import secrets
import time
import uuid


def new_id():
    return uuid.uuid4().hex


def now_ms():
    return int(time.time() * 1000)


def hash_secret(value):
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def random_secret():
    return secrets.token_urlsafe(32)


def _secret_settings_id(algorithm="NONE"):
    # AM derives the id from its hash configuration: base64(sha256(json([algorithm, properties]))).
    serialized = json.dumps([algorithm, {}], separators=(",", ":")).encode("utf-8")
    return base64.b64encode(hashlib.sha256(serialized).digest()).decode("ascii")


# The management API hashes with "None" by default (applications.secret.algorithm).
SECRET_SETTINGS = {"id": _secret_settings_id(), "algorithm": "NONE"}

# Scopes every new domain gets (key, name, description, discovery), from AM's system scope list.
SYSTEM_SCOPES = (
    ("profile", "Profile", "Access to the End-User default profile Claims", True),
    ("full_profile", "Extended profile", "Access to the End-User extended profile Claims", True),
    ("email", "Email", "Access to the email and email_verified Claims", True),
    ("address", "Address", "Access to the address Claim", True),
    ("phone", "Phone", "Access to the phone_number and phone_number_verified Claims", True),
    ("openid", "Openid", "Used to perform Openid requests", True),
    ("offline_access", "Offline_access", "Access to End-User UserInfo even when he is not logged in.", True),
    ("dcr", "Client_registration", "Access to client information through openid register endpoint.", False),
    ("dcr_admin", "Client_registration_admin", "Access to Dynamic Client Registration endpoint.", False),
    ("scim", "SCIM", "Access to System for Cross-domain Identity Management endpoint.", False),
    ("uma_protection", "UMA_2.0", "Access and manage user protected resources", False),
    ("consent_admin", "Consent_admin", "Access to End-User consents", False),
    ("groups", "Groups", "Access to the groups Claim.", True),
    ("roles", "Roles", "Access to the roles Claim.", True),
)


def default_client_registration_settings():
    return {
        "allowLocalhostRedirectUri": False,
        "allowHttpSchemeRedirectUri": False,
        "allowWildCardRedirectUri": False,
        "isDynamicClientRegistrationEnabled": False,
        "isOpenDynamicClientRegistrationEnabled": False,
        "allowRedirectUriParamsExpressionLanguage": False,
        "isAllowedScopesEnabled": False,
        "isClientTemplateEnabled": False,
    }


def default_cimd_settings():
    """``CIMDSettings.defaultSettings()`` (AM 4.12+; the management API hides it on older versions)."""
    return {"enabled": False, "allowUnsecuredHttpUri": False, "allowPrivateIpAddress": False, "fetchTimeoutMs": 5000,
            "maxResponseSizeKb": 10, "cacheTtlSeconds": 86400, "cacheMaxEntries": 1000,
            "revokeOnDocumentChange": False}


def default_oidc_settings():
    """AM's ``OIDCSettings.defaultSettings()`` (the parts the sandbox models)."""
    return {
        "cimdSettings": default_cimd_settings(),
        "clientRegistrationSettings": default_client_registration_settings(),
        "securityProfileSettings": {"enablePlainFapi": False, "enableFapiBrazil": False},
        "redirectUriStrictMatching": False,
        "cibaSettings": {"enabled": False, "authReqExpiry": 600, "tokenReqInterval": 5, "bindingMessageLength": 256},
    }


# LoginSettings' primitive booleans: AM always writes them (and null cannot be stored in them).
LOGIN_FLAGS = (
    "inherited", "forgotPasswordEnabled", "registerEnabled", "rememberMeEnabled", "passwordlessEnabled",
    "passwordlessRememberDeviceEnabled", "passwordlessEnforcePasswordEnabled", "passwordlessDeviceNamingEnabled",
    "certificateBasedAuthEnabled", "magicLinkAuthEnabled", "hideForm", "identifierFirstEnabled",
)


def default_login_settings(**values):
    """``new LoginSettings()``: every flag false except ``inherited``."""
    settings = {key: False for key in LOGIN_FLAGS}
    settings["inherited"] = True
    settings.update(values)
    return settings


def default_oauth_settings(**values):
    """An ``ApplicationOAuthSettings`` document: AM always writes its primitive fields."""
    oauth = {
        "enhanceScopesWithUserPermissions": False,
        "accessTokenValiditySeconds": 7200,
        "refreshTokenValiditySeconds": 14400,
        "idTokenValiditySeconds": 14400,
        "tlsClientCertificateBoundAccessTokens": False,
        "forcePKCE": False,
        "forceS256CodeChallengeMethod": False,
        "singleSignOut": False,
        "silentReAuthentication": False,
        "requireParRequest": False,
        "backchannelUserCodeParameter": False,
        "disableRefreshTokenRotation": False,
    }
    oauth.update(values)
    return oauth


class AmStore:
    def __init__(self, sandbox):
        self.sandbox = sandbox
        seed = sandbox.seed
        self.organization_id = seed["am_org"]
        self.environment_id = seed["am_env"]
        self.admins = {seed["am_username"]: seed["am_password"]}
        self.admin_ids = {seed["am_username"]: new_id()}
        self.mgmt_tokens = {}          # management JWT -> admin username
        self.jwt_key = secrets.token_bytes(32)  # signs the management JWTs (HS256)
        self.data_planes = ("default",)
        self.domains = {}              # id -> domain (GET representation)
        self.protected_resources = {}  # id -> resource (GET representation) + "_createdAt", "_domain", "_secrets"
        self.applications = {}         # id -> application (GET representation) + "clientId", "_domain", "_secrets"
        self.scopes = {}               # domain id -> {key: scope}
        self.certificates = {}         # domain id -> [certificate]
        self.identity_providers = {}   # domain id -> [identity provider]
        self.users = {}                # domain id -> {username: {"id", "username", "password_hash", ...}}
        # State only the AM gateway uses (authorization codes, tokens, login sessions).
        self.gateway = {"codes": {}, "access_tokens": {}, "refresh_tokens": {}, "sessions": {}}
        self._seed(seed)

    def _seed(self, seed):
        domain = self.add_domain(seed["am_domain"], "Seeded by the sandbox", "default", hrid=seed["am_domain"])
        domain["enabled"] = True
        domain["loginSettings"] = default_login_settings(inherited=False)
        self.users[domain["id"]] = {
            seed["am_user"]: {"id": new_id(), "username": seed["am_user"],
                              "password_hash": hash_secret(seed["am_user_password"]),
                              "email": seed["am_user"] + "@example.com"},
        }

    # -- creation helpers (the management API and the seed use them) -------
    def add_domain(self, name, description, data_plane_id, hrid):
        """A new domain as ``POST E/domains`` makes it: disabled, default OIDC settings,
        system scopes, a default certificate and the default identity provider."""
        domain_id = new_id()
        created = now_ms()
        domain = {
            "id": domain_id,
            "hrid": hrid,
            "name": name,
            "version": "v2_0",
            "description": description,
            "enabled": False,
            "alertEnabled": False,
            "master": False,
            "vhostMode": False,
            "path": "/" + hrid,
            "referenceType": "environment",
            "referenceId": self.environment_id,
            "dataPlaneId": data_plane_id,
            "createdAt": created,
            "updatedAt": created,
            "oidc": default_oidc_settings(),
        }
        if description is None:
            del domain["description"]
        self.domains[domain_id] = domain
        self.scopes[domain_id] = {}
        for key, label, text, discovery in SYSTEM_SCOPES:
            self.scopes[domain_id][key] = {
                "id": new_id(), "key": key, "name": label, "description": text, "domain": domain_id,
                "system": True, "discovery": discovery, "parameterized": False,
                "createdAt": created, "updatedAt": created,
            }
        self.certificates[domain_id] = [
            {"id": new_id(), "name": "Default", "type": "javakeystore-am-certificate", "system": True,
             "domain": domain_id, "createdAt": created},
        ]
        self.identity_providers[domain_id] = [
            {"id": "default-idp-" + domain_id, "name": "Default Identity Provider", "type": "gravitee-am-idp",
             "system": True, "domain": domain_id},
        ]
        self.users.setdefault(domain_id, {})
        return domain

    def default_certificate_id(self, domain_id):
        certificates = self.certificates.get(domain_id) or []
        system = [c for c in certificates if c.get("system")]
        chosen = (system or [c for c in certificates if c.get("name") == "Default"] or certificates or [None])[0]
        return chosen["id"] if chosen else None

    # -- lookups shared by the management API and the gateway ---------------
    def domain_by_path(self, path_segment):
        for domain in self.domains.values():
            if domain["path"].strip("/") == path_segment:
                return domain
        return None

    def clients_of(self, domain_id):
        """Applications first, then protected resources: the gateway's lookup order."""
        for app in self.applications.values():
            if app["_domain"] == domain_id:
                yield "application", app
        for resource in self.protected_resources.values():
            if resource["_domain"] == domain_id:
                yield "protected_resource", resource

    def find_client(self, domain_id, client_id):
        for kind, obj in self.clients_of(domain_id):
            if obj.get("clientId") == client_id:
                return kind, obj
        return None, None

    @staticmethod
    def secret_matches(obj, secret):
        if secret is None:
            return False
        digest = hash_secret(secret)
        return any(s["hash"] == digest for s in obj.get("_secrets", []))

    @staticmethod
    def new_secret_record(value, name="Default"):
        return {"id": new_id(), "name": name, "hash": hash_secret(value), "settingsId": SECRET_SETTINGS["id"],
                "createdAt": now_ms()}
