# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""Read-only checks before the first write of a "secure an MCP server" run, and the secret plan.

Everything that can make a run fail half way (logins, the APIM environment, the AM domain, the
AM version's capabilities, the context path, the MCP server's secret) is asked here first, so a
run that cannot finish changes nothing, and an MCP server is never opened before AM is known to
work. The same checks answer "does AM accept the secret stored on the API?" after a write.

The secret plan says where the secret of the API's AM resource comes from:

* ``create``: there is no MCP server yet; AM generates its secret (or takes the supplied one);
* ``supplied``: the secret the user supplied, which AM accepts for the server's client;
* ``keep``: the API's resource already holds the server's client and AM accepts its secret;
* ``renew``: renew the server's secret (AM 4.11+): asked for, or the stored one is missing or
  rejected (renewed elsewhere, or lost in a race between two runs).
"""

from __future__ import annotations

from ..am.client import domain_gateway_segment
from ..am.resources import is_missing_route, list_mcp_servers, list_secrets, match_by_identifiers
from ..am.secret_check import ACCEPTED, REJECTED, introspection_url, wait_for_acceptance
from ..apim.api import AM_RESOURCE_TYPE, find_resource
from ..apim.api_paths import http_paths, path_conflict_error, sanitise_context_path
from ..core.errors import KIND_LOOKUP, GraviteeError, usage_error

CHECKS = ("apim", "am", "context_path", "secret")
PLAN_CREATE, PLAN_SUPPLIED, PLAN_KEEP, PLAN_RENEW = "create", "supplied", "keep", "renew"

# How the role names the options of this check, so that a message names what the user sets.
ROLE_NAMES = {"client_secret": "secure_mcp_client_secret", "client_id": "secure_mcp_client_id",
              "rotate_secret": "secure_mcp_rotate_secret", "secret_recovery": "secure_mcp_secret_recovery",
              "context_path": "secure_mcp_context_path", "domain": "secure_mcp_am_domain"}


def option(name) -> str:
    """``client_secret (secure_mcp_client_secret in the secure_mcp role)``"""
    return "%s (%s in the secure_mcp role)" % (name, ROLE_NAMES[name]) if name in ROLE_NAMES else name


def check_environment(apim) -> dict:
    """The APIM login and environment: one GET of the environment itself."""
    response = apim.get("", allow_status=(404,))
    if response.status == 404:
        raise GraviteeError("The APIM environment %s was not found. Check apim_env and apim_org "
                            "(GRAVITEE_APIM_ENV / GRAVITEE_APIM_ORG)." % apim.base_url.rsplit("/", 1)[-1],
                            product="APIM", kind=KIND_LOOKUP, status=404, method="GET", url=apim.base_url)
    body = response.body if isinstance(response.body, dict) else {}
    return {"id": body.get("id"), "name": body.get("name")}


def check_context_path(apim, path, api, every_api=None) -> None:
    # APIM refuses an overlapping path on every create and update of an API, so no other API can overlap a path
    # this API already holds: no need to list every API of the environment.
    if any(not entry.get("host") and sanitise_context_path(entry.get("path")) == sanitise_context_path(path)
           for entry in http_paths(api)):
        return
    conflict = path_conflict_error(apim, path, exclude_id=(api or {}).get("id"), every_api=every_api)
    if conflict is not None:
        raise conflict.replace(message="%s (%s)" % (conflict.message, option("context_path")))


def find_server(domain_client, identifier):
    servers = list_mcp_servers(domain_client)
    found = match_by_identifiers(servers, [identifier])
    if len(found) > 1:
        holders = ", ".join("'%s' (id %s)" % (server.get("name"), server.get("id")) for server, _shared in found)
        raise GraviteeError("Several AM MCP servers hold the resource identifier %s: %s. Delete all but one in AM."
                            % (identifier, holders), product="AM", kind=KIND_LOOKUP)
    return found[0][0] if found else None


def renewal_supported(domain_client, server) -> bool:
    """The secrets API (AM 4.11+) answers for this server; AM 4.10 has none (a read only)."""
    try:
        list_secrets(domain_client, server["id"])
    except GraviteeError as err:
        if is_missing_route(err):
            return False
        raise
    return True


def stored_credentials(api, resource_name):
    """(clientId, clientSecret) of the API's AM resource, ("", "") when it has none."""
    resource = find_resource(api, resource_name, AM_RESOURCE_TYPE) if api else None
    configuration = (resource or {}).get("configuration") or {}
    return str(configuration.get("clientId") or ""), str(configuration.get("clientSecret") or "")


class SecretCheck:
    """Asks the AM gateway whether a client's secret is accepted (see ``am/secret_check.py``)."""

    def __init__(self, gateway_client, am_gateway_url, domain, attempts=1, delay=2.0, hide=None):
        self.client = gateway_client
        self.hide = hide or (lambda value: None)
        self.url = introspection_url(am_gateway_url, domain_gateway_segment(domain))
        self.attempts, self.delay = attempts, delay

    def status(self, client_id, secret, wait=False) -> str:
        attempts = self.attempts if wait else 1
        self.hide(secret)
        return wait_for_acceptance(self.client, self.url, client_id, secret, attempts=attempts, delay=self.delay)


def unknown_secret_advice(server, resource_name, why) -> str:
    return ("AM does not show the client secret of MCP server '%s' (client id %s) again, and %s. Supply the "
            "current secret with %s, or let the role renew it (AM 4.11+: %s: rotate), or delete the MCP server "
            "in AM (state: absent) so that the next run creates it with a new secret."
            % (server.get("name"), server.get("clientId"), why, option("client_secret"),
               option("secret_recovery")))


def secret_plan(p, check, domain_client, server, api) -> dict:
    """The secret plan (see the module docstring) and what was found; raises when no plan works."""
    if server is None:
        return {"plan": PLAN_CREATE, "stored": "not_checked", "why": "no MCP server yet: AM creates its secret"}
    client_id = str(server.get("clientId") or "")
    if p.get("client_id") and p["client_id"] != client_id:
        raise usage_error("%s is '%s' but the existing MCP server '%s' uses client id '%s'. Leave it out, or set it "
                          "to '%s'." % (option("client_id"), p["client_id"], server.get("name"), client_id, client_id))
    if p.get("rotate_secret"):
        if not renewal_supported(domain_client, server):
            raise usage_error("%s needs AM 4.11 or later (secrets API); this AM has none. Leave it false; to change "
                              "the secret on AM 4.10, delete the MCP server (state: absent) and run again."
                              % option("rotate_secret"))
        return {"plan": PLAN_RENEW, "stored": "not_checked", "why": "renewal asked for"}
    if p.get("client_secret"):
        if check.status(client_id, p["client_secret"]) != ACCEPTED:
            raise usage_error("%s is not accepted by AM for MCP server '%s' (client id %s): AM's token introspection "
                              "answered 401 invalid_client with it. Supply the current secret, or leave it out and let "
                              "the role renew it (AM 4.11+)."
                              % (option("client_secret"), server.get("name"), client_id))
        return {"plan": PLAN_SUPPLIED, "stored": "not_checked", "why": "the supplied secret is accepted by AM"}
    stored_id, stored_secret = stored_credentials(api, p["resource_name"])
    if stored_id == client_id and stored_secret:
        status = check.status(client_id, stored_secret, wait=p["wait"])
        if status == ACCEPTED:
            return {"plan": PLAN_KEEP, "stored": ACCEPTED, "why": "the API's resource holds a secret AM accepts"}
        stored, why = REJECTED, "AM rejects the secret stored on the API's resource '%s' (renewed elsewhere?)" \
            % p["resource_name"]
    elif stored_id:
        stored, why = "other_client", "the API's resource '%s' holds another client (%s)" % (
            p["resource_name"], stored_id)
    else:
        stored, why = "missing", "the API's resource '%s' holds no secret for it" % p["resource_name"]
    if p["secret_recovery"] == "fail":
        raise usage_error(unknown_secret_advice(server, p["resource_name"], why))
    if not renewal_supported(domain_client, server):
        raise usage_error("%s. This AM (4.10) cannot renew a secret. %s" % (why[0].upper() + why[1:],
                          unknown_secret_advice(server, p["resource_name"], why)))
    return {"plan": PLAN_RENEW, "stored": stored, "why": why}
