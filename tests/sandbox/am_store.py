"""In-memory state of the sandbox AM (management API and gateway share it).

Representations are kept the way AM's management API returns them (JSON field
names, lowercase enums), so the management API can serve them with little
mapping. Secrets are stored hashed, never in clear text.
"""

import hashlib
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


class AmStore:
    def __init__(self, sandbox):
        self.sandbox = sandbox
        seed = sandbox.seed
        self.organization_id = seed["am_org"]
        self.environment_id = seed["am_env"]
        self.admins = {seed["am_username"]: seed["am_password"]}
        self.mgmt_tokens = {}          # management JWT -> admin username
        self.domains = {}              # id -> domain (GET representation)
        self.protected_resources = {}  # id -> resource (GET representation) + "_domain", "_secrets"
        self.applications = {}         # id -> application (GET representation) + "_domain", "_secrets"
        self.scopes = {}               # domain id -> {key: scope}
        self.users = {}                # domain id -> {username: {"id", "username", "password_hash", ...}}
        # State only the AM gateway uses (authorization codes, tokens, login sessions).
        self.gateway = {"codes": {}, "access_tokens": {}, "refresh_tokens": {}, "sessions": {}}
        self._seed(seed)

    def _seed(self, seed):
        domain_id = new_id()
        created = now_ms()
        self.domains[domain_id] = {
            "id": domain_id,
            "hrid": seed["am_domain"],
            "name": seed["am_domain"],
            "description": "Seeded by the sandbox",
            "enabled": True,
            "master": False,
            "path": "/" + seed["am_domain"],
            "referenceType": "environment",
            "referenceId": self.environment_id,
            "dataPlaneId": "default",
            "createdAt": created,
            "updatedAt": created,
            "oidc": {
                "clientRegistrationSettings": {
                    "allowLocalhostRedirectUri": False,
                    "allowHttpSchemeRedirectUri": False,
                    "allowWildCardRedirectUri": False,
                    "isDynamicClientRegistrationEnabled": False,
                    "isOpenDynamicClientRegistrationEnabled": False,
                    "isAllowedScopesEnabled": False,
                    "isClientTemplateEnabled": False,
                    "allowRedirectUriParamsExpressionLanguage": False,
                },
                "redirectUriStrictMatching": False,
            },
            "loginSettings": {"inherited": False, "registerEnabled": False, "forgotPasswordEnabled": False,
                              "rememberMeEnabled": False},
        }
        self.scopes[domain_id] = {
            key: {"id": new_id(), "key": key, "name": key, "description": key, "system": True}
            for key in ("openid", "profile", "email", "offline_access")
        }
        self.users[domain_id] = {
            seed["am_user"]: {"id": new_id(), "username": seed["am_user"],
                              "password_hash": hash_secret(seed["am_user_password"]),
                              "email": seed["am_user"] + "@example.com"},
        }

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
        return {"id": new_id(), "name": name, "hash": hash_secret(value), "createdAt": now_ms()}
