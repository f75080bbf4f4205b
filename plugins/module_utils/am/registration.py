# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""am_registration: the options as AM's ``loginSettings`` of a domain, which AM replaces whole on
PATCH (``PatchDomain`` holds a plain ``LoginSettings``: a key not sent becomes false)."""

from __future__ import annotations

from ..core.errors import usage_error
from .domain_settings import ensure_domain_section
from .known_domain import fresh_reader, settings_domain

SECTION = ("loginSettings",)
# AM 4.10 shows this computed getter of LoginSettings (isEnforcePasswordPolicyEnabled, derived from the
# passwordless keys) but has no setter for it: echoed back in the PATCH it would be an unknown property.
READ_ONLY = ("enforcePasswordPolicyEnabled",)
# A missing loginSettings (or key) means the switch is off.
DEFAULTS = {"registerEnabled": False, "forgotPasswordEnabled": False, "rememberMeEnabled": False}


def desired_settings(params) -> dict:
    """The ``loginSettings`` keys the options ask for (``None``: not managed)."""
    if params["state"] == "absent" and params.get("enabled"):
        raise usage_error("state=absent turns self-registration off, but enabled=true asks for it on: remove one "
                          "of the two.")
    register = params["state"] == "present" and params.get("enabled") is not False
    return {"registerEnabled": register, "forgotPasswordEnabled": params.get("forgot_password"),
            "rememberMeEnabled": params.get("remember_me")}


def run(gm) -> dict:
    """The am_registration task: ``{"changed", "registration", "diff"}``."""
    desired = desired_settings(gm.params)
    domain = settings_domain(gm, gm.params)
    # AM replaces loginSettings whole on PATCH (keys not sent become false): send it complete, built from
    # a fresh read when the domain was handed over (known_domain) and a write is due.
    return ensure_domain_section(gm, domain, SECTION, desired, key="registration", defaults=DEFAULTS,
                                 replace=True, read_only=READ_ONLY, fresh=fresh_reader(gm, gm.params))
