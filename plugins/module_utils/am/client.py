# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""AM management API: base URLs, domain-scoped clients and domain resolution.

The environment client's base is ``{am_url}/management/organizations/{org}/environments/{env}``
(``E`` below); domain routes live under ``E/domains/{domainId}`` and need the
domain's id, never its name or hrid, hence :func:`resolve_domain`.
"""

from __future__ import annotations

from urllib.parse import quote

from ..core.errors import KIND_LOOKUP, GraviteeError, with_hint
from ..core.pagination import iter_am_items


def _q(value) -> str:
    return quote(str(value), safe="")


def am_management_root(am_url) -> str:
    return "%s/management" % am_url.rstrip("/")


def am_env_base(am_url, org, env) -> str:
    return "%s/organizations/%s/environments/%s" % (am_management_root(am_url), _q(org), _q(env))


def am_token_url(am_url) -> str:
    return "%s/auth/token" % am_management_root(am_url)


def domain_path(domain_id, *parts) -> str:
    """``domains/{id}[/part...]`` relative to the environment base."""
    return "/".join(("domains", _q(domain_id)) + tuple(str(p).strip("/") for p in parts))


def domain_client(env_client, domain_id):
    """A client whose base is ``E/domains/{domain_id}`` (same session, auth and log)."""
    return env_client.scoped("%s/%s" % (env_client.base_url, domain_path(domain_id)))


def domain_gateway_segment(domain) -> str:
    """The URL segment the AM gateway serves the domain under (``path`` without "/")."""
    return (domain.get("path") or "/" + str(domain.get("hrid", ""))).strip("/")


def _where(org, env) -> str:
    if org is None and env is None:
        return ""
    return " in organization '%s' / environment '%s'" % (org or "DEFAULT", env or "DEFAULT")


def _lookup_error(message, hint, url) -> GraviteeError:
    return GraviteeError("%s %s" % (message, hint), product="AM", kind=KIND_LOOKUP, method="GET", url=url, hint=hint)


def find_domain(client, domain):
    """The full domain whose hrid or name is ``domain``, or None. Raises when ambiguous."""
    response = client.request("GET", "domains/_hrid/%s" % _q(domain), allow_status=(404,))
    if response.status == 200 and isinstance(response.body, dict):
        return response.body
    matches = [item for item in iter_am_items(client, "domains", params={"q": domain})
               if domain in (item.get("name"), item.get("hrid"))]
    if not matches:
        return None
    if len(matches) > 1:
        hrids = ", ".join(sorted(str(m.get("hrid")) for m in matches))
        raise _lookup_error("AM domain name '%s' is ambiguous (hrids: %s)." % (domain, hrids),
                            "Set domain to one of these hrids.", client.url_for("domains"))
    return client.request("GET", domain_path(matches[0]["id"])).body


def resolve_domain(client, domain, *, allow_disabled=False, org=None, env=None) -> dict:
    """The full domain for a name or hrid; clear errors when absent or disabled.

    A disabled domain is refused unless ``allow_disabled`` (for modules that enable it or
    only change settings): the AM gateway does not serve a disabled domain, so the OAuth
    flows this collection sets up would not work.
    """
    found = find_domain(client, domain)
    if found is None:
        raise _lookup_error(
            "AM domain '%s' was not found%s (looked up by hrid, then by name)." % (domain, _where(org, env)),
            "Check domain, and am_org / am_env (GRAVITEE_AM_ORG / GRAVITEE_AM_ENV); create the domain in AM first.",
            client.url_for("domains/_hrid/%s" % _q(domain)))
    if not allow_disabled:
        refuse_disabled(client, domain, found)
    return found


def refuse_disabled(client, domain, found) -> None:
    """Raise when the domain document ``found`` (named ``domain`` by the task) is disabled: the AM gateway
    does not serve a disabled domain, so the OAuth flows this collection sets up would not work."""
    if not found.get("enabled", False):
        raise _lookup_error(
            "AM domain '%s' (hrid '%s', id '%s') is disabled." % (domain, found.get("hrid"), found.get("id")),
            "Enable it in AM (domain settings) first: the AM gateway does not serve a disabled domain.",
            client.url_for(domain_path(found.get("id"))))


def task_domain(gm, params, allow_disabled=False) -> dict:
    """The task's domain: looked up by ``domain`` (hrid or name), or, when the play already has its id
    (``domain_id``, e.g. the preflight's ``am.domain.id``), that id without a read; the domain document
    then holds only the id and the name the task gave (for messages)."""
    if params.get("domain_id"):
        return {"id": params["domain_id"], "name": params["domain"]}
    return gm.am_domain(params["domain"], allow_disabled=allow_disabled)


def explain_domain_id(err, params) -> GraviteeError:
    """AM's 404 ``Domain [<id>] can not be found.`` for a task's ``domain_id``, naming the option."""
    if params.get("domain_id") and err.status == 404 and "Domain [" in (err.gravitee_message or ""):
        return with_hint(err, "domain_id '%s' is not the id of an AM domain: set it to the id of domain '%s' (the "
                              "preflight module returns it as am.domain.id), or leave it out to look the domain up."
                         % (params["domain_id"], params["domain"]))
    return err


def domain_scope_keys(domain_client) -> set:
    """Keys of every scope of a domain (``domain_client`` is based on ``E/domains/{id}``)."""
    return {item.get("key") for item in iter_am_items(domain_client, "scopes") if item.get("key")}


def full_applications(domain_client, q=None):
    """The domain's applications as full documents, read one by one (AM's list omits their settings); one
    deleted since the list was read is skipped."""
    for item in iter_am_items(domain_client, "applications", params={"q": q} if q else None):
        response = domain_client.get("applications/%s" % item["id"], allow_status=(404,))
        if response.status != 404 and isinstance(response.body, dict):
            yield response.body
