# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""am_application: an AM application for an MCP client (AM's ``ApplicationsResource.java``), the guide's
"without DCR" path.

Facts this file relies on (``ApplicationServiceImpl.java`` and the application templates):

* create (``NewApplication``) takes only name, type, clientId, clientSecret, redirectUris; grant types
  and identity providers are set by a PATCH afterwards;
* NATIVE and BROWSER are public clients (PKCE forced, ``tokenEndpointAuthMethod`` none), WEB is
  confidential (client_secret_basic); the create answer carries the plain secret once, under
  ``settings.oauth.clientSecret``;
* redirect URIs obey the domain's ``oidc.clientRegistrationSettings`` flags (localhost, http, wildcard)
  and never take a ``#fragment``;
* the list's ``q`` matches name or client id exactly; its entries carry neither client id nor settings,
  so each candidate is read by id;
* applications created through the management API get no identity provider: without one nobody can log in.
"""

from __future__ import annotations

import re

from ..core.errors import GraviteeError, usage_error
from .client import domain_scope_keys, full_applications

PUBLIC_TYPES = ("native", "browser")
DEFAULT_GRANT_TYPES = ["authorization_code", "refresh_token"]
_LOCALHOST = re.compile(r"^(localhost|127(\.\d{1,3}){3}|\[?::1\]?)$", re.IGNORECASE)


def application_view(app) -> dict | None:
    """The module's view of an AM application document (never a secret)."""
    if app is None:
        return None
    oauth = (app.get("settings") or {}).get("oauth") or {}
    idps = sorted(app.get("identityProviders") or [], key=lambda e: e.get("priority") or 0)
    return {"id": app.get("id"), "name": app.get("name"), "type": str(app.get("type") or "").lower(),
            "client_id": oauth.get("clientId"), "redirect_uris": list(oauth.get("redirectUris") or []),
            "grant_types": list(oauth.get("grantTypes") or []),
            "identity_provider": idps[0].get("identity") if idps else None,
            "scopes": [e.get("scope") for e in oauth.get("scopeSettings") or [] if e.get("scope")],
            "public": oauth.get("tokenEndpointAuthMethod") == "none"}


def desired_state(params) -> dict:
    grants = params.get("grant_types")
    return {"name": params.get("name"), "type": params.get("type"), "client_id": params.get("client_id"),
            "redirect_uris": params.get("redirect_uris"),
            "grant_types": list(dict.fromkeys(DEFAULT_GRANT_TYPES if grants is None else grants)),
            "identity_provider": params.get("identity_provider"),
            "scopes": None if params.get("scopes") is None else list(dict.fromkeys(params["scopes"]))}


def _redirect_problem(uri, flags) -> str | None:
    """The domain's checks on one redirect URI (``ApplicationServiceImpl.validateRedirectUris``)."""
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):(//([^/?#]*))?", uri or "")
    if not match or " " in uri:
        return "%r is not an absolute URI" % uri
    scheme, host = match.group(1).lower(), (match.group(3) or "").rsplit("@", 1)[-1]
    host = re.sub(r":\d+$", "", host) if not host.startswith("[") else host.split("]")[0] + "]"
    if "#" in uri:
        return "%r has a #fragment, which AM never accepts" % uri
    if scheme in ("http", "https") and _LOCALHOST.match(host) and not flags.get("allowLocalhostRedirectUri"):
        return "%r is on localhost, which the domain forbids (am_dcr allow_localhost_redirect_uri)" % uri
    if scheme == "http" and not flags.get("allowHttpSchemeRedirectUri"):
        return "%r uses plain http, which the domain forbids (am_dcr allow_http_scheme_redirect_uri)" % uri
    if "*" in uri and not flags.get("allowWildCardRedirectUri"):
        return "%r holds a '*', which the domain forbids (am_dcr allow_wildcard_redirect_uri)" % uri
    return None


def input_problems(params) -> list:
    """Mistakes in the options, found before any request."""
    problems = []
    name, kind, grants = params.get("name"), params.get("type"), params.get("grant_types")
    if params["state"] == "present":
        if not (name or params.get("client_id")):
            problems.append("name or client_id: give at least one to identify the application.")
        if name is not None and not name.strip():
            problems.append("name: must not be empty.")
        if not params.get("redirect_uris"):
            problems.append("redirect_uris: the authorization_code flow needs at least one redirect URI.")
        if grants is not None and "authorization_code" not in grants:
            problems.append("grant_types: must hold authorization_code (MCP clients log users in with it).")
        if kind in PUBLIC_TYPES and params.get("client_secret"):
            problems.append("client_secret: a %s application is a public client without a secret; remove it or "
                            "use type=web." % kind)
        if kind in PUBLIC_TYPES and "client_credentials" in (grants or []):
            problems.append("grant_types: client_credentials needs a confidential client (type=web).")
    if params.get("client_secret") is not None and len(params["client_secret"]) < 8:
        problems.append("client_secret: must be at least 8 characters long.")
    return problems


def check_redirect_uris(domain, uris):
    flags = (domain.get("oidc") or {}).get("clientRegistrationSettings") or {}
    problems = [p for p in (_redirect_problem(u, flags) for u in uris) if p]
    if problems:
        raise usage_error("redirect_uris: %s (AM domain '%s')." % ("; ".join(problems), domain.get("hrid")))


def check_scopes(client, domain, scopes):
    unknown = sorted(set(scopes or []) - domain_scope_keys(client)) if scopes else []
    if unknown:
        raise usage_error("scopes: %s %s not a scope of AM domain '%s'; create it in AM or remove it." % (
            ", ".join(unknown), "is" if len(unknown) == 1 else "are", domain.get("hrid")))


def find_application(client, params):
    """The application whose client id (else name) is the task's, or None; fails when the name is ambiguous."""
    key, value = ("client_id", params["client_id"]) if params.get("client_id") else ("name", params["name"])
    found = [app for app in full_applications(client, q=value) if (application_view(app)[key] or "") == value]
    if len(found) > 1:
        client_ids = ", ".join(sorted(str(application_view(a)["client_id"]) for a in found))
        raise usage_error("name: %d applications of the domain are named '%s' (client ids %s); set client_id to "
                          "pick one." % (len(found), value, client_ids))
    return application_view(found[0]) if found else None


def pick_identity_provider(client, domain, wanted) -> str:
    """The id of the identity provider named (id or name) ``wanted``, else the domain's first one."""
    idps = client.get("identities").body or []
    if wanted:
        for idp in idps:
            if wanted in (idp.get("id"), idp.get("name")):
                return idp["id"]
        raise usage_error("identity_provider: AM domain '%s' has no identity provider '%s' (it has %s)." % (
            domain.get("hrid"), wanted, ", ".join("%s (%s)" % (i.get("name"), i.get("id")) for i in idps) or "none"))
    if not idps:
        raise usage_error("identity_provider: AM domain '%s' has no identity provider to log users in with; "
                          "create one in AM first." % domain.get("hrid"))
    default = "default-idp-%s" % domain["id"]
    return default if any(i.get("id") == default for i in idps) else idps[0]["id"]


def target_view(current, desired) -> dict:
    target = dict(current or {"id": None, "client_id": desired.get("client_id"), "public": None})
    target.setdefault("scopes", [])
    for key in ("name", "type", "redirect_uris", "grant_types", "identity_provider", "scopes"):
        if desired.get(key) is not None:
            target[key] = desired[key]
    if target.get("public") is None:
        target["public"] = target.get("type") in PUBLIC_TYPES
    return target


def differing_keys(desired, current) -> list:
    keys = []
    for key in ("name", "redirect_uris", "grant_types", "identity_provider", "scopes"):
        want, have = desired.get(key), current.get(key)
        if want is None:
            continue
        if (set(want) != set(have or [])) if isinstance(want, list) else want != have:
            keys.append(key)
    return keys


def in_sync(desired, current) -> bool:
    return not differing_keys(desired, current)


def check_type(current, desired):
    if current is not None and desired.get("type") and current["type"] != desired["type"]:
        raise usage_error("type: application '%s' (client id %s) is a %s application in AM, not %s. AM keeps the "
                          "client's nature: set type=%s, or remove it (state=absent) and create it again."
                          % (current["name"], current["client_id"], current["type"], desired["type"], current["type"]))


def am_patch(desired, current) -> dict:
    keys = differing_keys(desired, current or {})
    patch, oauth = {}, {}
    if "name" in keys:
        patch["name"] = desired["name"]
    if "redirect_uris" in keys:
        oauth["redirectUris"] = list(desired["redirect_uris"])
    if "grant_types" in keys:
        oauth["grantTypes"] = list(desired["grant_types"])
    if "scopes" in keys:
        # Default scopes too: a client that asks for no scope still gets these.
        oauth["scopeSettings"] = [{"scope": scope, "defaultScope": True} for scope in desired["scopes"]]
    if "identity_provider" in keys:
        patch["identityProviders"] = [{"identity": desired["identity_provider"], "priority": 0}]
    if oauth:
        patch["settings"] = {"oauth": oauth}
    return patch


def am_create_body(desired, client_secret=None) -> dict:
    body = {"name": desired["name"] or desired["client_id"], "type": desired["type"].upper(),
            "redirectUris": list(desired["redirect_uris"])}
    if desired.get("client_id"):
        body["clientId"] = desired["client_id"]
    if client_secret:
        body["clientSecret"] = client_secret
    return body


def _explain(err, desired):
    if "already exists" in (err.gravitee_message or ""):
        return err.replace(message="%s client_id: another application or MCP server of the domain already uses "
                           "client id '%s'; choose another." % (str(err).rstrip(), desired.get("client_id")),
                           hint="Choose another client_id.")
    return err


def run(gm) -> dict:
    """The am_application task: ``{"changed", "application", "diff"[, "client_secret"]}``."""
    params = gm.params
    if input_problems(params):
        raise usage_error(" ".join(input_problems(params)))
    desired = desired_state(params)
    domain = gm.am_domain(params["domain"])
    client = gm.am_domain_client(domain)
    current = find_application(client, params)
    if params["state"] == "absent":
        return gm.ensure(key="application", current=current, desired=desired, state="absent",
                         delete=lambda stored: client.delete("applications/%s" % stored["id"])).result
    check_type(current, desired)
    desired["type"] = desired["type"] or (current or {}).get("type") or "native"
    desired["name"] = desired["name"] or (current or {}).get("name") or desired["client_id"]
    desired["identity_provider"] = pick_identity_provider(client, domain, params.get("identity_provider"))
    if current is None or not in_sync(desired, current):
        check_redirect_uris(domain, desired["redirect_uris"])
        check_scopes(client, domain, desired["scopes"])
    created = {}

    def create(wanted):
        try:
            answer = client.post("applications", json=am_create_body(wanted, params.get("client_secret"))).body
        except GraviteeError as err:
            raise _explain(err, wanted) from None
        secret = ((answer.get("settings") or {}).get("oauth") or {}).pop("clientSecret", None)
        gm.register_secret(secret)
        if wanted["type"] not in PUBLIC_TYPES:
            created["secret"] = secret
        return update(application_view(answer), wanted)

    def update(stored, wanted):
        patch = am_patch(wanted, stored)
        if not patch:
            return stored
        return application_view(client.patch("applications/%s" % stored["id"], json=patch).body)

    outcome = gm.ensure(key="application", current=current, desired=desired, create=create, update=update,
                        compare=in_sync, predict=target_view)
    result = dict(outcome.result)
    if created.get("secret"):
        result["client_secret"] = created["secret"]
    return result
