"""``oidc.cimdSettings`` of a domain (AM 4.12+): Client ID Metadata Documents.

Facts from AM 4.12.4:
- the fields (``CIMDSettings``, ``PatchCIMDSettings``): enabled, allowUnsecuredHttpUri, allowPrivateIpAddress,
  fetchTimeoutMs, maxResponseSizeKb, allowedDomains, cacheTtlSeconds, cacheMaxEntries, templateId,
  revokeOnDocumentChange; PATCH merges them key by key (``PatchOIDCSettings``), ``"cimdSettings": null``
  restores the defaults, and before 4.12 the key is unknown (400, like every unknown property);
- new domains get the defaults (``OIDCSettings.defaultSettings``);
- checks on save when enabled (``DomainServiceImpl.validateCIMDSettings``): every number above 0, each
  allowed domain a host name (a leading ``*.`` allowed), and ``templateId`` the id of an application that
  is a template.
"""

import copy
import re

from tests.sandbox.am.store import default_cimd_settings

from .binding import BOOLEAN, INT, STRING, ListOf, Obj
from .common import bad_request

SINCE = "4.12.0"
FLAGS = ("enabled", "allowUnsecuredHttpUri", "allowPrivateIpAddress", "revokeOnDocumentChange")
NUMBERS = {"fetchTimeoutMs": "fetch timeout", "maxResponseSizeKb": "maximum response size",
           "cacheTtlSeconds": "cache TTL", "cacheMaxEntries": "cache maximum entries"}
HOSTNAME = re.compile(r"^(\*\.)?([a-zA-Z0-9-]{1,63}\.)+[a-zA-Z0-9-]{1,63}$")


def patch_spec():
    fields = {key: BOOLEAN for key in FLAGS}
    fields.update({key: INT for key in NUMBERS})
    fields.update(allowedDomains=ListOf(STRING), templateId=STRING)
    return Obj(fields)


def patch_settings(existing, patch):
    """``PatchCIMDSettings.patch``: key by key; a primitive sent as null takes Java's default."""
    if patch is None:
        return default_cimd_settings()
    settings = copy.deepcopy(existing) if existing else default_cimd_settings()
    for key, value in patch.items():
        if key in FLAGS:
            settings[key] = bool(value)
        elif key in NUMBERS:
            settings[key] = int(value or 0)
        elif value is None:
            settings.pop(key, None)
        else:
            settings[key] = list(value) if key == "allowedDomains" else value
    return settings


def validate(store, domain):
    settings = (domain.get("oidc") or {}).get("cimdSettings") or {}
    if not settings.get("enabled"):
        return
    for key, label in NUMBERS.items():
        if settings.get(key, 0) <= 0:
            raise bad_request(f"CIMD settings are invalid: {label} must be higher than 0")
    allowed = settings.get("allowedDomains") or []
    if any(not host or len(host) > 253 or not HOSTNAME.match(host) for host in allowed):
        raise bad_request("CIMD settings are invalid: allowed domains must be a list of valid domains and wildcard is "
                          "only allowed for first-level subdomain")
    template_id = (settings.get("templateId") or "").strip()
    if not template_id:
        raise bad_request("templateId must be provided when Client ID Metadata Document is enabled")
    template = store.applications.get(settings["templateId"])
    if template is None or not template.get("template"):
        raise bad_request("templateId must be a valid application id configured as template")


def render(sandbox, domain):
    """Before 4.12 a domain has no ``cimdSettings``."""
    if sandbox.am_version_at_least(SINCE) or "cimdSettings" not in (domain.get("oidc") or {}):
        return domain
    domain = copy.deepcopy(domain)
    del domain["oidc"]["cimdSettings"]
    return domain
