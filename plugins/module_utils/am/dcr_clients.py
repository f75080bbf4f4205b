# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""am_dcr_clients: the applications MCP clients registered themselves (RFC 7591), and their removal.

How a registered client is told apart from an application made in the console or the management API:
AM's gateway (``DynamicClientRegistrationServiceImpl.applyRegistrationAccessToken``) sets
``registrationAccessToken`` and ``registrationClientUri`` (RFC 7592) on the client *before* storing it,
so both are kept in the application's ``settings.oauth`` (``ApplicationOAuthSettings``); an application
created any other way (``ApplicationServiceImpl.create``) has neither. The list of applications
(``FilteredApplication``) does not carry settings, so each application is read once. Templates
(``template: true``, e.g. the domain's CIMD template) are never touched.

The registration access token is a long-lived credential of that client: it is masked, never returned.
"""

from __future__ import annotations

import fnmatch
import re
import time

from ..core.errors import usage_error
from .client import full_applications

AGE = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
FILTERS = ("older_than", "client_name", "software_id")


def age_seconds(text) -> int:
    """``"30d"`` -> seconds; refuses anything else, naming the option."""
    match = AGE.match(str(text))
    if not match or int(match.group(1)) <= 0:
        raise usage_error("older_than: %r is not an age: give a positive number and a unit, e.g. 30d, 12h, 90m "
                          "(units: s, m, h, d, w)." % (text,))
    return int(match.group(1)) * SECONDS[match.group(2)]


def build_filters(params, now_ms) -> dict:
    """The filters of the task (every given filter must match); at least one is required."""
    if not any(params.get(name) not in (None, "") for name in FILTERS):
        raise usage_error("Give at least one of older_than, client_name or software_id: am_dcr_clients never removes "
                          "every registered client of a domain at once.")
    filters = {"software_id": params.get("software_id"), "client_name": params.get("client_name")}
    if params.get("older_than") not in (None, ""):
        filters["created_before"] = now_ms - age_seconds(params["older_than"]) * 1000
    return filters


def is_registered(app) -> bool:
    """The application was created through the DCR endpoint (and is not a template)."""
    oauth = ((app.get("settings") or {}).get("oauth")) or {}
    return bool(oauth.get("registrationClientUri")) and not app.get("template")


def view(app) -> dict:
    """What the task shows of a registered client (never its registration access token)."""
    oauth = ((app.get("settings") or {}).get("oauth")) or {}
    return {"id": app.get("id"), "client_id": oauth.get("clientId"), "client_name": oauth.get("clientName") or
            app.get("name"), "software_id": oauth.get("softwareId"), "created_at": app.get("createdAt"),
            "registration_client_uri": oauth.get("registrationClientUri")}


def matches(client, filters) -> bool:
    if filters.get("software_id") is not None and client["software_id"] != filters["software_id"]:
        return False
    if filters.get("client_name") is not None and not fnmatch.fnmatchcase(client["client_name"] or "",
                                                                          filters["client_name"]):
        return False
    before = filters.get("created_before")
    return before is None or (client["created_at"] is not None and client["created_at"] < before)


def registered_clients(gm, domain_client) -> list:
    """Every DCR-registered application of the domain (full documents), tokens registered as secrets."""
    found = []
    for app in full_applications(domain_client):
        if is_registered(app):
            gm.register_no_log(app["settings"]["oauth"].get("registrationAccessToken"))
            found.append(app)
    return found


def run(gm, now=time.time) -> dict:
    """The am_dcr_clients task: ``{"changed", "dcr_clients", "diff", "kept"}``."""
    filters = build_filters(gm.params, int(now() * 1000))
    domain = gm.am_domain(gm.params["domain"], allow_disabled=True)
    domain_client = gm.am_domain_client(domain)
    registered = [view(app) for app in registered_clients(gm, domain_client)]
    chosen = sorted((c for c in registered if matches(c, filters)), key=lambda c: (c["created_at"] or 0, c["id"]))
    removed = []
    for client in chosen:
        outcome = gm.ensure(key="dcr_client", current=client, desired={}, state="absent",
                            delete=lambda c: domain_client.delete("applications/%s" % c["id"], allow_status=(404,)))
        removed.append(outcome.before)
    before = {c["client_id"]: c["client_name"] for c in chosen}
    return {"changed": bool(removed), "dcr_clients": gm.scrubber.scrub(removed),
            "kept": len(registered) - len(removed),
            "diff": {"before": gm.scrubber.scrub(before), "after": {}} if removed else {}}
