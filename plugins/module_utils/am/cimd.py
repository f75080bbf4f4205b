# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""am_cimd: a domain's ``oidc.cimdSettings`` (Client ID Metadata Documents, AM 4.12+), merged key by key on
PATCH (``PatchOIDCSettings`` / ``PatchCIMDSettings``), and the template application CIMD clients are made from.

Facts from AM 4.12.4:
* ``CIMDSettings`` holds enabled, allowUnsecuredHttpUri, allowPrivateIpAddress, fetchTimeoutMs, maxResponseSizeKb,
  allowedDomains, cacheTtlSeconds, cacheMaxEntries, templateId and revokeOnDocumentChange;
* enabling it needs ``templateId``: the id of an application marked as template
  (``DomainServiceImpl.validateCIMDSettings``); a CIMD client is that application with the document's redirect
  URIs, name and grant types (``CimdMetadataServiceImpl.synthesizeClient``), so its identity providers decide who
  may sign in;
* AM has no version endpoint. A 4.12+ domain document carries ``oidc.cimdSettings`` (``OIDCSettings
  .defaultSettings``); a domain created before an upgrade may not, so then the task asks for ``GET
  domains/{id}/cimd/validate``: AM 4.12+ has that route for POST only (405), older AM has no such route (404).
  Any other answer refuses (fail closed).
"""

from __future__ import annotations

import re

from ..core.errors import usage_error
from .client import full_applications
from .domain_settings import ensure_domain_section

SECTION = ("oidc", "cimdSettings")
DEFAULTS = {"enabled": False, "allowUnsecuredHttpUri": False, "allowPrivateIpAddress": False, "fetchTimeoutMs": 5000,
            "maxResponseSizeKb": 10, "allowedDomains": [], "cacheTtlSeconds": 86400, "cacheMaxEntries": 1000,
            "revokeOnDocumentChange": False}
FIELDS = {"allow_http": "allowUnsecuredHttpUri", "allow_private_ip": "allowPrivateIpAddress",
          "fetch_timeout_ms": "fetchTimeoutMs", "max_response_size_kb": "maxResponseSizeKb",
          "cache_ttl_seconds": "cacheTtlSeconds", "cache_max_entries": "cacheMaxEntries",
          "revoke_on_document_change": "revokeOnDocumentChange", "allowed_domains": "allowedDomains"}
NUMBERS = ("fetch_timeout_ms", "max_response_size_kb", "cache_ttl_seconds", "cache_max_entries")
HOSTNAME = re.compile(r"^(\*\.)?([a-zA-Z0-9-]{1,63}\.)+[a-zA-Z0-9-]{1,63}$")  # DomainServiceImpl.HOSTNAME_REGEX
# A native application must have one redirect URI; CIMD clients replace it with their document's own.
TEMPLATE_REDIRECT = "https://cimd-template.invalid/unused"
# A CIMD client may only ask for the template's scopes (CimdMetadataServiceImpl.intersectScopes); MCP clients ask
# for offline_access when the server lists it (SEP-2207), and for openid.
TEMPLATE_SCOPES = [{"scope": "openid", "defaultScope": True}, {"scope": "offline_access", "defaultScope": False}]
PREDICTED_ID = "(id of the template application to create)"


def desired_settings(params) -> dict:
    """The ``cimdSettings`` keys the options ask for (``None``: not managed); refuses bad values by option."""
    if params["state"] == "absent":
        if params.get("enabled"):
            raise usage_error("state=absent turns CIMD off, but enabled=true asks for it on: remove one of the two.")
        return {"enabled": False}
    for name in NUMBERS:
        if params.get(name) is not None and params[name] <= 0:
            raise usage_error("%s must be higher than 0 (AM refuses it otherwise), got %s." % (name, params[name]))
    bad = [host for host in params.get("allowed_domains") or [] if len(host) > 253 or not HOSTNAME.match(host)]
    if bad:
        raise usage_error("allowed_domains: %r is not a host name (a leading '*.' is allowed for one level of "
                          "subdomain, e.g. '*.example.com')." % bad[0])
    desired = {"enabled": params.get("enabled") is not False}
    desired.update({field: params.get(option) for option, field in FIELDS.items()})
    return desired


def require_cimd_support(gm, domain) -> None:
    """Refuse, naming the module, on an AM without CIMD (below 4.12); a read only (see the module docstring)."""
    if "cimdSettings" in (domain.get("oidc") or {}):
        return
    client = gm.am_domain_client(domain)
    status = client.get("cimd/validate", allow_status=(404, 405)).status
    if status != 405:
        raise usage_error(
            "am_cimd: this AM has no Client ID Metadata Document support (domain '%s' has no oidc.cimdSettings and "
            "GET %s answered %s, not 405): CIMD needs AM 4.12 or later. Upgrade AM, or use Dynamic Client "
            "Registration (am_dcr) instead." % (domain.get("hrid"), client.url_for("cimd/validate"), status))


def find_application(domain_client, name):
    """The full application named ``name`` (or with that client id), or None."""
    for app in full_applications(domain_client, q=name):
        oauth = ((app.get("settings") or {}).get("oauth")) or {}
        if name in (app.get("name"), oauth.get("clientId")):
            return app
    return None


def template_view(app) -> dict:
    oauth = ((app.get("settings") or {}).get("oauth")) or {}
    return {"id": app.get("id"), "name": app.get("name"), "client_id": oauth.get("clientId"),
            "template": bool(app.get("template"))}


def ensure_template(gm, domain, name):
    """The template application (created when missing, through the engine); refuses a non-template of that name."""
    client = gm.am_domain_client(domain)
    found = find_application(client, name)
    if found is not None and not found.get("template"):
        raise usage_error("template: application '%s' exists in AM domain '%s' but is not a template (CIMD clients are "
                          "made from a template application). Mark it as a template in AM, or give another name "
                          "and the task creates one." % (name, domain.get("hrid")))

    def create(_desired):
        made = client.post("applications", json={"name": name, "type": "NATIVE",
                                                 "redirectUris": [TEMPLATE_REDIRECT]}).body
        patch = {"template": True, "identityProviders": [{"identity": "default-idp-%s" % domain["id"], "priority": 0}],
                 "settings": {"oauth": {"grantTypes": ["authorization_code", "refresh_token"],
                                        "scopeSettings": TEMPLATE_SCOPES}}}
        return template_view(client.patch("applications/%s" % made["id"], json=patch).body)

    return gm.ensure(key="template", current=template_view(found) if found else None,
                     desired={"id": PREDICTED_ID, "name": name, "client_id": None, "template": True},
                     create=create, compare=lambda _wanted, _held: True)


def run(gm) -> dict:
    """The am_cimd task: ``{"changed", "cimd", "template", "diff"}``."""
    desired = desired_settings(gm.params)
    domain = gm.am_domain(gm.params["domain"], allow_disabled=True)
    require_cimd_support(gm, domain)
    template = None
    if desired["enabled"]:
        template = ensure_template(gm, domain, gm.params["template"])
        desired["templateId"] = template.after["id"]
    result = ensure_domain_section(gm, domain, SECTION, desired, key="cimd", defaults=DEFAULTS)
    result["template"] = template.result["template"] if template else None
    result["changed"] = result["changed"] or bool(template and template.changed)
    return result
