# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""Runs mcp_probe's checks in a client's order and builds the module result.

* The first step (``challenge`` for oauth2, ``initialize`` for open) is repeated up to ``probe_retries``
  times, ``probe_delay`` seconds apart, until it passes: a gateway serves a deployment only after its
  next sync, and until then it answers 404 or with the previous deployment.
* Every other check that fails after meeting a transient failure (a 5xx, a 429, no answer) is run
  again, within the same bound (``probe_retries`` more tries per check, ``probe_delay`` apart; a ``GET`` inside
  a check is retried on its own and uses the same budget): AM and APIM gateways answer 5xx while
  they start or redeploy, e.g. the AM login answers 500 for a moment after each domain change.
* A check runs after the checks whose data it needs (``checks.NEEDS``); when one of those
  failed it is reported "not checked" with the root failure's cause.
* A client registered for the probe is deleted at the end (RFC 7592), whatever happened; the
  DELETE is tried again (same bound) while it answers 404 or a transient failure, because the AM
  gateway does not know a just-registered client while it redeploys the domain.
"""

from __future__ import annotations

import time

from ..core.errors import KIND_TLS
from . import steps_discovery as discovery
from . import steps_session as session_steps
from .checks import NEEDS, OPEN_NEEDS, Check, summary
from .http import Retrying, TransportFailure
from .jsonrpc import McpSession
from .login import CLIENT_NAME, delete_registration
from .steps_forms import NAME as URL_FORM
from .steps_forms import check_url_form

STEPS = {
    "challenge": discovery.check_challenge,
    "resource_metadata": discovery.check_resource_metadata,
    "resource": discovery.check_resource,
    "authorization_server": discovery.check_authorization_server,
    "issuer": discovery.check_issuer,
    "registration_endpoint": discovery.check_registration_endpoint,
    "pkce": discovery.check_pkce,
    "bogus_token": discovery.check_bogus_token,
    "registration": session_steps.check_registration,
    "login": session_steps.check_login,
    "initialize": session_steps.check_initialize,
    "tools_list": session_steps.check_tools_list,
}
AS_SUMMARY_KEYS = ("issuer", "authorization_endpoint", "token_endpoint", "registration_endpoint",
                   "code_challenge_methods_supported", "grant_types_supported", "scopes_supported",
                   "token_endpoint_auth_methods_supported")


class ProbeState:
    """What the checks learn along the way (the URL, the challenge, the documents, the client, the token)."""

    def __init__(self, http, url, *, username=None, password=None, client_name=CLIENT_NAME, client_version="0",
                 secret=None, api_type="mcp_proxy"):
        self.http = http
        self.url = url
        self.api_type = api_type
        self.username = username
        self.password = password
        self.client_name = client_name
        self.client_version = client_version
        self._secret = secret
        self.challenge = None
        self.challenge_scope = None
        self.metadata_url = None
        self.prm = self.prm_url = None
        self.as_metadata = self.as_metadata_url = self.expected_issuer = None
        self.scope = None
        self.registration = None
        self.token = None
        self.mcp = None
        self.server_info = None
        self.tools = None

    def secret(self, *values):
        """Hide these values from everything the module prints."""
        values = [v for v in values if isinstance(v, str) and v]
        if values and self._secret is not None:
            self._secret(*values)

    def session(self, token=None):
        return McpSession(self.http, self.url, token=token, client_name=self.client_name,
                          client_version=self.client_version)


class Probe:
    def __init__(self, state, *, expect, requested, retries=0, delay=2.0, sleep=time.sleep, forms=()):
        self.state = state
        self.forms = [form for form in dict.fromkeys(forms) if form != state.url]
        self.form_checks = []
        self.expect = expect
        self.requested = list(requested)
        self.retries = max(0, int(retries))
        self.delay = max(0.0, float(delay))
        self.sleep = sleep
        self.needs = OPEN_NEEDS if expect == "open" else NEEDS
        self.done = {}
        self.roots = {}       # blocked check name -> the failed check that stopped it
        self.attempts = 0
        self.registration_report = None
        # One budget object for every request of the probe (the login's browser shares it).
        self.retrying = Retrying(self.retries, self.delay, sleep)
        state.http.retrying = self.retrying

    def run(self) -> dict:
        try:
            self._first_step("initialize" if self.expect == "open" else "challenge")
            for name in self.requested:
                self._get(name)
            self.form_checks = [self._form(form) for form in self.forms]
        finally:
            self._cleanup()
        checks = [self.done[name] for name in self.requested] + self.form_checks
        return self._result(checks)

    def _form(self, form):
        """A ``url_forms`` entry, after the checks whose data it uses (the issuer; the client to sign in with)."""
        for need in ("authorization_server",) + (("registration",) if self.state.username else ()):
            prerequisite = self._get(need)
            if not prerequisite.ok:
                check = Check.blocked(URL_FORM, self.roots.get(need, prerequisite), self.requested)
                check.details["form"] = form
                return check
        return self._retried_step(URL_FORM, lambda state: check_url_form(state, form))

    def _run_step(self, name, step=None):
        try:
            return (step or STEPS[name])(self.state)
        except TransportFailure as failure:
            if failure.kind != KIND_TLS:
                self.retrying.note(failure.describe())
            return Check.failed(name, failure.describe(), failure.cause())

    def _retried_step(self, name, step=None):
        """Run a check; again (within the budget) while it fails after a transient failure."""
        self.retrying.begin()
        tries, met = 0, None
        while True:
            tries += 1
            self.retrying.transient = None
            check = self._run_step(name, step)
            met = self.retrying.transient or met
            if check.ok or self.retrying.transient is None or not self.retrying.take():
                break
        if tries > 1:
            check.details["attempts"] = tries
            if not check.ok:
                check.got = "%s (tried %d times; the last transient failure: %s)" % (check.got, tries, met)
        return check

    def _first_step(self, name):
        while True:
            self.attempts += 1
            self.retrying.begin()
            check = self._run_step(name)
            if check.ok or self.attempts > self.retries:
                break
            self.sleep(self.delay)
        check.details["attempts"] = self.attempts
        self.done[name] = check

    def _get(self, name):
        if name in self.done:
            return self.done[name]
        for need in self.needs[name]:
            prerequisite = self._get(need)
            if not prerequisite.ok:
                root = self.roots.get(need, prerequisite)
                self.roots[name] = root
                check = Check.blocked(name, root, self.requested)
                break
        else:
            check = self._retried_step(name)
        self.done[name] = check
        return check

    def _cleanup(self):
        state = self.state
        if state.mcp is not None:
            state.mcp.close()
        registration = state.registration
        if registration is None:
            return
        self.retrying.begin()
        try:
            deleted, how = delete_registration(state.http, registration, self.retrying)
        except TransportFailure as failure:
            deleted, how = False, "the RFC 7592 DELETE failed: %s" % failure.describe()
        if not deleted:
            how = ("%s; the client %r (client_id %s) is left in AM: delete it there (AM console Applications, or "
                   "the management API)." % (how, registration.get("client_name"), registration.get("client_id")))
        self.registration_report = {"client_id": registration.get("client_id"),
                                    "client_name": registration.get("client_name"), "deleted": deleted, "cleanup": how}

    def warnings(self):
        found = []
        for name in self.requested:
            found += ["%s: %s" % (name, w) for w in self.done[name].warnings]
        found += ["%s: %s" % (URL_FORM, w) for check in self.form_checks for w in check.warnings]
        if self.registration_report and not self.registration_report["deleted"]:
            found.append("registration: " + self.registration_report["cleanup"])
        return found

    def _result(self, checks) -> dict:
        state = self.state
        as_metadata = None
        if state.as_metadata is not None:
            as_metadata = {key: state.as_metadata.get(key) for key in AS_SUMMARY_KEYS}
            as_metadata["metadata_url"] = state.as_metadata_url
        ok = all(check.ok for check in checks)
        return {
            "changed": False,
            "ok": ok,
            "msg": summary(checks),
            "url": state.url,
            "expect": self.expect,
            "attempts": self.attempts,
            "checks": [check.as_result() for check in checks],
            "failed_checks": [check.name for check in checks if not check.ok],
            "tools": state.tools or [],
            "server_info": state.server_info,
            "challenge": state.challenge,
            "resource_metadata": state.prm,
            "authorization_server": as_metadata,
            "registration": self.registration_report,
        }
