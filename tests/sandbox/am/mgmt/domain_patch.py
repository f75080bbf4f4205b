"""AM's ``PatchDomain``: which keys the sandbox accepts, how they merge, and what is then validated.

Merge or replace, per object (PatchDomain / PatchOIDCSettings / PatchClientRegistrationSettings;
measured on AM 4.10.8 and 4.11.1):

- top-level keys (name, description, enabled, path, tags ...): a key left out changes nothing;
  a key sent as ``null`` resets: strings and lists to nothing, booleans to ``false``;
- ``oidc`` and ``oidc.clientRegistrationSettings`` MERGE key by key (PatchOIDCSettings,
  PatchClientRegistrationSettings); ``"oidc": null`` and ``"clientRegistrationSettings": null``
  restore the default settings;
- ``loginSettings`` is REPLACED whole: PatchDomain holds it as an ``Optional<LoginSettings>``
  (the model class, not a patch class), so a key not sent takes ``new LoginSettings()``'s value
  (``inherited`` true, every other flag false, the optional fields unset). A client that changes
  one switch must send the whole object back;
- ``"loginSettings": null`` is ignored, and ``null`` for one of its boolean fields makes AM
  fail (java unboxing a null), which it reports as a 500;
- AM decides what to check from the keys sent with a value. A body with none of them
  (``{}``, ``{"oidc": null}``, ``{"dataPlaneId": ...}`` alone) is
  400 "You need to specify at least one value to update.";
- renaming a domain recomputes its hrid (not its path).

Only the keys below are modelled; every other PatchDomain key (vhosts, uma, scim, saml,
webAuthnSettings, accountSettings, passwordSettings, corsSettings, cibaSettings, ...; cimdSettings
before 4.12) is rejected as an unknown property, so a client relying on them fails loudly here.
The spec's setter names (``dynamicClientRegistrationEnabled``, ...) are unknown in AM too.
"""

import copy

from tests.sandbox.am.store import (
    LOGIN_FLAGS,
    default_client_registration_settings,
    default_login_settings,
    default_oidc_settings,
)
from tests.sandbox.am.validation import domain_path_error, hrid_from_name, path_overlap_error

from . import domain_cimd
from .binding import BOOLEAN, INT, STRING, ListOf, Obj, present
from .common import MgmtError, bad_request, version_tuple

PATCH_FAILED = "An error occurred while trying to patch a domain"
ENFORCE_POLICY = "enforcePasswordPolicyEnabled"  # read-only, see render_domain

CRS_FLAGS = (
    "allowLocalhostRedirectUri", "allowHttpSchemeRedirectUri", "allowWildCardRedirectUri",
    "isDynamicClientRegistrationEnabled", "isOpenDynamicClientRegistrationEnabled", "isAllowedScopesEnabled",
    "isClientTemplateEnabled", "allowRedirectUriParamsExpressionLanguage",
)
CRS_LISTS = ("defaultScopes", "allowedScopes")
LOGIN_OPTIONAL = {"passwordlessEnforcePasswordMaxAge": INT, "certificateBasedAuthUrl": STRING,
                  "resetPasswordOnExpiration": BOOLEAN}
# Keys whose presence makes AM check DOMAIN_SETTINGS / DOMAIN_ALERT (dataPlaneId is not one of them).
SETTING_KEYS = ("name", "description", "enabled", "path", "loginSettings", "tags", "master", "alertEnabled")


def magic_link_supported(sandbox):
    """``loginSettings.magicLinkAuthEnabled`` exists from 4.11.11 and from 4.12.1 (not in 4.12.0)."""
    version = version_tuple(sandbox.config.am_version)
    return (4, 11, 11) <= version < (4, 12, 0) or version >= (4, 12, 1)


def patch_domain_spec(sandbox):
    login = {key: BOOLEAN for key in LOGIN_FLAGS}
    if not magic_link_supported(sandbox):
        del login["magicLinkAuthEnabled"]
    login.update(LOGIN_OPTIONAL)
    registration = {key: BOOLEAN for key in CRS_FLAGS}
    registration.update({key: ListOf(STRING) for key in CRS_LISTS})
    oidc = {"clientRegistrationSettings": Obj(registration), "redirectUriStrictMatching": BOOLEAN}
    if sandbox.am_version_at_least(domain_cimd.SINCE):
        oidc["cimdSettings"] = domain_cimd.patch_spec()
    oidc = Obj(oidc)
    return Obj({
        "name": STRING, "description": STRING, "enabled": BOOLEAN, "alertEnabled": BOOLEAN, "path": STRING,
        "master": BOOLEAN, "tags": ListOf(STRING), "dataPlaneId": STRING, "oidc": oidc, "loginSettings": Obj(login),
    })


def changes_something(patch):
    if any(present(patch, key) for key in SETTING_KEYS):
        return True
    oidc = patch.get("oidc")
    return oidc is not None and (present(oidc, "clientRegistrationSettings")
                                 or present(oidc, "redirectUriStrictMatching") or present(oidc, "cimdSettings"))


def _replace_login(patch):
    """The new ``loginSettings``: Jackson fills a fresh ``LoginSettings`` with the keys sent; what
    the domain held before is dropped (replace, not merge)."""
    settings = default_login_settings()
    for key, value in patch.items():
        if key in LOGIN_FLAGS:
            if value is None:
                raise MgmtError(500, PATCH_FAILED)
            settings[key] = value
        elif value is None:
            settings.pop(key, None)
        else:
            settings[key] = value
    return settings


def _patch_registration(existing, patch):
    settings = copy.deepcopy(existing) if existing else default_client_registration_settings()
    for key, value in patch.items():
        if key in CRS_FLAGS:
            settings[key] = bool(value)
        elif value is None:
            settings.pop(key, None)
        else:
            settings[key] = list(value)
    return settings


def _patch_oidc(existing, patch):
    oidc = copy.deepcopy(existing) if existing else default_oidc_settings()
    if "redirectUriStrictMatching" in patch:
        oidc["redirectUriStrictMatching"] = bool(patch["redirectUriStrictMatching"])
    if "clientRegistrationSettings" in patch:
        value = patch["clientRegistrationSettings"]
        oidc["clientRegistrationSettings"] = (
            default_client_registration_settings() if value is None
            else _patch_registration(oidc.get("clientRegistrationSettings"), value))
    if "cimdSettings" in patch:
        oidc["cimdSettings"] = domain_cimd.patch_settings(oidc.get("cimdSettings"), patch["cimdSettings"])
    return oidc


def apply_domain_patch(sandbox, domain, patch):
    """The patched domain document (not stored yet); raises what AM would."""
    store = sandbox.am
    updated = copy.deepcopy(domain)
    for key in ("name", "description", "path", "dataPlaneId"):
        if key in patch:
            updated[key] = patch[key]
    for key in ("enabled", "alertEnabled", "master"):
        if key in patch:
            updated[key] = bool(patch[key])
    if "tags" in patch:
        updated["tags"] = None if patch["tags"] is None else list(dict.fromkeys(patch["tags"]))
    if present(patch, "loginSettings"):
        updated["loginSettings"] = _replace_login(patch["loginSettings"])
    if "oidc" in patch:
        updated["oidc"] = default_oidc_settings() if patch["oidc"] is None else _patch_oidc(updated.get("oidc"),
                                                                                           patch["oidc"])
    updated = {k: v for k, v in updated.items() if v is not None}
    if domain.get("dataPlaneId") is not None and updated.get("dataPlaneId") != domain["dataPlaneId"]:
        raise bad_request("Once domain is created, [dataPlaneId] cannot be changed.")
    if updated.get("name") is None:
        raise MgmtError(500, PATCH_FAILED)  # AM's validator dereferences the null name
    updated["hrid"] = hrid_from_name(updated["name"])
    for other in store.domains.values():
        if other["id"] != domain["id"] and other["referenceId"] == domain["referenceId"] \
                and other["hrid"] == updated["hrid"]:
            raise bad_request(f"A domain [{updated['name']}] already exists.")
    validate_domain(store, updated)
    return updated


def validate_domain(store, domain):
    """DomainValidatorImpl + VirtualHostValidatorImpl for a context-path (non-vhost) domain."""
    if "/" in domain["name"]:
        raise bad_request("Domain name cannot contain '/' character")
    path = domain.get("path")
    if path == "/":
        raise bad_request("'/' path is not allowed in context-path mode")
    message = domain_path_error(path)
    if message:
        raise bad_request(message)
    login = domain.get("loginSettings") or {}
    if login.get("certificateBasedAuthEnabled"):
        url = login.get("certificateBasedAuthUrl")
        if not url or not url.strip():
            raise bad_request("certificateBasedAuthUrl must be provided when certificate-based authentication "
                              "is enabled")
        if not url.lower().startswith("https://"):
            raise bad_request("certificateBasedAuthUrl must be a valid HTTPS URL")
    others = [d["path"] for d in store.domains.values() if d["id"] != domain["id"] and not d.get("vhostMode")]
    message = path_overlap_error(path, others)
    if message:
        raise bad_request(message)
    domain_cimd.validate(store, domain)


def render_domain(sandbox, domain):
    """The domain as AM's Jackson writes it: without what the configured AM version does not have, and, on AM 4.10
    (its OpenAPI LoginSettings lists it; the 4.12.4 one does not), with ``loginSettings.enforcePasswordPolicyEnabled``,
    the computed getter ``LoginSettings.isEnforcePasswordPolicyEnabled`` (passwordless on, its password enforcement
    on and a max age set). It has no setter: sent back in a PATCH it is an unknown property (400), so a client
    echoing loginSettings must drop it."""
    domain = domain_cimd.render(sandbox, domain)
    login = domain.get("loginSettings")
    if not login:
        return domain
    domain = copy.deepcopy(domain)
    login = domain["loginSettings"]
    if not magic_link_supported(sandbox):
        login.pop("magicLinkAuthEnabled", None)
    if version_tuple(sandbox.config.am_version) < (4, 11, 0):
        login[ENFORCE_POLICY] = bool(login.get("passwordlessEnabled")
                                     and login.get("passwordlessEnforcePasswordEnabled")
                                     and login.get("passwordlessEnforcePasswordMaxAge") is not None)
    return domain
