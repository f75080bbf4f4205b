# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""The AM domain of a domain-settings task (am_dcr, am_registration): the document an earlier task of
the run read (option ``known_domain``, e.g. the preflight's), or, without it, a read now.

A role run reads its domain in the preflight seconds before these tasks; taking that reading saves
one ``GET E/domains/_hrid/{hrid}`` per task. The document given is held to what a read would
accept (the domain the task names, enabled) before anything else happens, so a wrong one fails the
task before any request. Whether a write may be built from it depends on how AM applies the
section (see domain_settings: a section AM replaces whole is read again before a write).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.errors import usage_error
from .client import refuse_disabled

OPTION = "known_domain"


def is_known(params) -> bool:
    """The task was handed the domain (``known_domain`` set)."""
    return params.get(OPTION) is not None


def checked_known_domain(client, known, domain) -> dict:
    """``known`` (a domain document) when it is the enabled AM domain ``domain`` names (by hrid, name or
    id); raises a usage error naming ``known_domain`` otherwise (and refuses a disabled domain as a read
    does). ``client``: the AM environment client (only for the URL of the disabled-domain error)."""
    if not isinstance(known, Mapping) or not known.get("id"):
        raise usage_error(
            "%s has no 'id', so it is not an AM domain document: give the domain as an earlier task read it (the "
            "preflight module's known_domain result), or leave %s out to have the task read domain '%s'."
            % (OPTION, OPTION, domain))
    if domain not in (known.get("hrid"), known.get("name"), known.get("id")):
        raise usage_error(
            "%s is AM domain '%s' (hrid '%s', id '%s'), not domain '%s' this task names: give the document of "
            "domain '%s', or leave %s out to have the task read it."
            % (OPTION, known.get("name"), known.get("hrid"), known.get("id"), domain, domain, OPTION))
    refuse_disabled(client, domain, known)
    return dict(known)


def settings_domain(gm, params) -> dict:
    """The task's domain: ``known_domain`` once checked, or read by ``domain`` (hrid or name)."""
    if is_known(params):
        return checked_known_domain(gm.am, params[OPTION], params["domain"])
    return gm.am_domain(params["domain"])


def fresh_reader(gm, params):
    """For a section AM replaces whole: a function reading the domain afresh when the task was handed it
    (a PATCH body built from a stale copy could undo a concurrent change), else None (it was just read)."""
    if not is_known(params):
        return None
    return lambda: gm.am_domain(params["domain"])
