# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""The checks mcp_probe knows, what each needs first, and the shape of a check result.

A result always says what was expected and what came back; a failed one also says the likely
cause (see ``_mcp_causes``). Checks run in :data:`ORDER`; a check whose prerequisite failed is
reported as failed with "not checked" and the prerequisite's cause, because a client would stop
there too.
"""

from __future__ import annotations

OPEN_CHECKS = ("initialize", "tools_list")
DISCOVERY_CHECKS = ("challenge", "resource_metadata", "resource", "authorization_server", "issuer",
                    "registration_endpoint", "pkce", "bogus_token")
LOGIN_CHECKS = ("registration", "login", "initialize", "tools_list")
ORDER = DISCOVERY_CHECKS + LOGIN_CHECKS
ALL_CHECKS = tuple(dict.fromkeys(ORDER))

# check -> the checks whose data it needs (in oauth2 mode).
NEEDS = {
    "challenge": (),
    "resource_metadata": (),          # falls back to the well-known URLs without a challenge
    "resource": ("resource_metadata",),
    "authorization_server": ("resource_metadata",),
    "issuer": ("authorization_server",),
    "registration_endpoint": ("authorization_server",),
    "pkce": ("authorization_server",),
    "bogus_token": (),
    "registration": ("registration_endpoint",),
    "login": ("registration",),
    "initialize": ("login",),
    "tools_list": ("initialize",),
}
OPEN_NEEDS = {"initialize": (), "tools_list": ("initialize",)}

# What each check expects, for results and for "not checked" entries.
EXPECTATIONS = {
    "challenge": '401 with WWW-Authenticate: Bearer resource_metadata="<absolute URL>" (auth-params '
                 "separated by commas)",
    "resource_metadata": "200 JSON protected resource metadata (RFC 9728) with resource and "
                         "authorization_servers, at the URL of resource_metadata",
    "resource": "resource equal to the probed URL, exactly",
    "authorization_server": "200 JSON authorization server metadata at the first of the discovery URLs "
                            "that answers, and no 5xx before it",
    "issuer": "issuer equal to authorization_servers[0] of the resource metadata, exactly",
    "registration_endpoint": "registration_endpoint in the authorization server metadata",
    "pkce": "S256 in code_challenge_methods_supported",
    "bogus_token": "401 for a made-up bearer token",
    "registration": "201 with a client_id for a public client (VS Code's registration request)",
    "login": "authorization code (PKCE S256, resource=<resource>) after signing in, then an access token",
    "initialize": "200 with a JSON-RPC result to initialize",
    "tools_list": "200 with a JSON-RPC result to tools/list",
}


class Check:
    """One check's outcome."""

    def __init__(self, name, ok, got, *, expected=None, cause=None, warnings=None, details=None):
        self.name = name
        self.ok = bool(ok)
        self.expected = expected or EXPECTATIONS.get(name, "")
        self.got = got
        self.cause = None if ok else cause
        self.warnings = list(warnings or [])
        self.details = dict(details or {})

    @classmethod
    def passed(cls, name, got, **kwargs):
        return cls(name, True, got, **kwargs)

    @classmethod
    def failed(cls, name, got, cause, **kwargs):
        return cls(name, False, got, cause=cause, **kwargs)

    @classmethod
    def blocked(cls, name, prerequisite, requested):
        """``name`` could not run because ``prerequisite`` (a Check) failed."""
        if prerequisite.name in requested:
            cause = "Not checked because the %s check failed (see it)." % prerequisite.name
        else:
            cause = "Not checked because %s failed first: expected %s, got %s. Likely cause: %s" % (
                prerequisite.name, prerequisite.expected, prerequisite.got, prerequisite.cause)
        return cls(name, False, "not checked", cause=cause)

    def as_result(self) -> dict:
        result = {"name": self.name, "ok": self.ok, "expected": self.expected, "got": self.got,
                  "cause": self.cause}
        if self.warnings:
            result["warnings"] = list(self.warnings)
        result.update(self.details)
        return result


def default_checks(expect, register_client=False, login=False):
    if expect == "open":
        return list(OPEN_CHECKS)
    checks = list(DISCOVERY_CHECKS)
    if register_client or login:
        checks.append("registration")
    if login:
        checks += ["login", "initialize", "tools_list"]
    return checks


def requested_checks(expect, checks=None, register_client=False, login=False):
    """The checks to report, in run order; raises ValueError with a message naming the option."""
    if expect == "open":
        if register_client or login:
            raise ValueError("register_client, username and password are for expect=oauth2: an open endpoint "
                             "has no authorization server to register with or sign in to.")
        allowed = OPEN_CHECKS
    else:
        allowed = ALL_CHECKS
    chosen = list(checks) if checks else default_checks(expect, register_client, login)
    unknown = [c for c in chosen if c not in allowed]
    if unknown:
        raise ValueError("checks %s cannot be used with expect=%s; choose from: %s." % (
            ", ".join(unknown), expect, ", ".join(allowed)))
    if expect == "oauth2":
        if register_client and "registration" not in chosen:
            chosen.append("registration")
        if login:
            chosen += [c for c in LOGIN_CHECKS if c not in chosen]
        needs_login = [c for c in chosen if c in ("login", "initialize", "tools_list")]
        if needs_login and not login:
            raise ValueError("checks %s need a signed-in user with expect=oauth2: set username and password "
                             "(an AM user of the domain)." % ", ".join(needs_login))
    order = OPEN_CHECKS if expect == "open" else ALL_CHECKS
    return [c for c in order if c in chosen]


def summary(checks) -> str:
    """One line for ``msg``: how many passed, else the first failure in full and the other names."""
    failed = [c for c in checks if not c.ok]
    if not failed:
        return "All %d MCP checks passed." % len(checks)
    first = failed[0]
    text = "%d of %d MCP checks failed. %s: expected %s, got %s. Likely cause: %s" % (
        len(failed), len(checks), first.name, first.expected, first.got, first.cause)
    if len(failed) > 1:
        text += " Also failed: %s." % ", ".join(c.name for c in failed[1:])
    return text
