# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""am_dcr: the options as AM's ``oidc.clientRegistrationSettings`` of a domain (AM's
``ClientRegistrationSettings``), merged key by key on PATCH (``PatchClientRegistrationSettings``)."""

from __future__ import annotations

from ..core.errors import usage_error
from .domain_settings import check_scopes_exist, ensure_domain_section
from .known_domain import settings_domain

SECTION = ("oidc", "clientRegistrationSettings")

# AM's ClientRegistrationSettings defaults, for keys it leaves out of its answers.
DEFAULTS = {
    "isDynamicClientRegistrationEnabled": False,
    "isOpenDynamicClientRegistrationEnabled": False,
    "allowLocalhostRedirectUri": False,
    "allowHttpSchemeRedirectUri": False,
    "allowWildCardRedirectUri": False,
    "allowRedirectUriParamsExpressionLanguage": False,
    "defaultScopes": [],
    "isAllowedScopesEnabled": False,
    "allowedScopes": [],
    "isClientTemplateEnabled": False,
}

# Option -> AM field, for the options that map one to one.
FLAG_FIELDS = {
    "open_registration": "isOpenDynamicClientRegistrationEnabled",
    "allow_localhost_redirect_uri": "allowLocalhostRedirectUri",
    "allow_http_scheme_redirect_uri": "allowHttpSchemeRedirectUri",
    "allow_wildcard_redirect_uri": "allowWildCardRedirectUri",
    "client_templates": "isClientTemplateEnabled",
}
SCOPE_OPTIONS = {"defaultScopes": "default_scopes", "allowedScopes": "allowed_scopes"}
NOT_WITH_ABSENT = ("default_scopes", "allowed_scopes", "client_templates")


def desired_settings(params) -> dict:
    """The ``clientRegistrationSettings`` keys the options ask for (``None``: not managed)."""
    if params["state"] == "absent":
        if params.get("enabled"):
            raise usage_error("state=absent turns DCR off, but enabled=true asks for it on: remove one of the two.")
        given = [name for name in NOT_WITH_ABSENT if params.get(name) is not None]
        if given:
            raise usage_error("%s cannot be used with state=absent, which only turns DCR off (the other settings are "
                              "kept): remove %s, or use state=present with enabled=false." % (
                                  ", ".join(given), "it" if len(given) == 1 else "them"))
        return {"isDynamicClientRegistrationEnabled": False}
    for name in SCOPE_OPTIONS.values():
        blank = [value for value in params.get(name) or [] if not value or not value.strip() or " " in value.strip()]
        if blank:
            raise usage_error("%s holds %r, which is not a scope key: give one scope key per list item."
                              % (name, blank[0]))
    desired = {"isDynamicClientRegistrationEnabled": params.get("enabled") is not False}
    for option, field in FLAG_FIELDS.items():
        desired[field] = params.get(option)
    if params.get("default_scopes") is not None:
        desired["defaultScopes"] = [s.strip() for s in params["default_scopes"]]
    if params.get("allowed_scopes") is not None:
        allowed = [s.strip() for s in params["allowed_scopes"]]
        desired["isAllowedScopesEnabled"] = bool(allowed)
        desired["allowedScopes"] = allowed
    return desired


def run(gm) -> dict:
    """The am_dcr task: ``{"changed", "dcr", "diff"}``."""
    desired = desired_settings(gm.params)
    # AM merges clientRegistrationSettings key by key and the PATCH carries only the differing keys, so
    # a domain handed over (known_domain) is enough to write from: no read of it again.
    domain = settings_domain(gm, gm.params)

    def before_write(patch):
        check_scopes_exist(gm, domain, {SCOPE_OPTIONS[key]: patch[key] for key in SCOPE_OPTIONS if key in patch})

    return ensure_domain_section(gm, domain, SECTION, desired, key="dcr", defaults=DEFAULTS,
                                 before_write=before_write)
