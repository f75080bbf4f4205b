# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""The flow every module of the collection shares.

:class:`GraviteeModule` wraps ``AnsibleModule``: it adds the connection options of the
products the module talks to, fails early (and readably) when ``requests`` or credentials
are missing, builds the HTTP clients lazily, turns any :class:`GraviteeError` into a
``fail_json`` with masked, structured fields, and runs the present/absent engine
:meth:`GraviteeModule.ensure`.

Result shape of ``ensure`` (the collection's convention):

* ``changed``;
* the object under the module's key (``api``, ``plan``, ``mcp_server`` ...): what Gravitee
  holds after the task (predicted in check mode), secrets masked; ``None`` once absent;
* ``diff``: ``{"before": ..., "after": ...}``, masked, ``{}`` for "absent". It is always
  set; Ansible shows it only with ``--diff``. There is no separate ``existing`` key:
  ``diff.before`` already carries it, and one copy of a large API definition is enough.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from ansible.module_utils.basic import missing_required_lib

from ._am import domain_client, resolve_domain
from ._arguments import CollectionAnsibleModule
from ._compare import build_diff, deep_merge, is_subset
from ._connection import (
    apim_org_client,
    build_am_auth,
    build_am_client,
    build_apim_auth,
    build_apim_client,
    check_ca_path,
    connection_argument_spec,
    require_url,
)
from ._errors import KIND_USAGE, GraviteeError
from ._http import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, RequestLog
from ._scrub import Scrubber

STATES = ("present", "absent")


class Outcome(NamedTuple):
    """What :meth:`GraviteeModule.ensure` decided and did."""

    changed: bool
    action: str          # "create", "update", "delete" or "none"
    before: Any          # the object found (raw), or None
    after: Any           # the object after the task (raw; predicted in check mode), or None
    result: dict         # ready for exit_json: changed, <key>, diff (masked)


class GraviteeModule:
    """``AnsibleModule`` plus the collection's connection options, clients and engine.

    ``products``: which products the module talks to, ``("apim",)``, ``("am",)``, both, or
    ``()`` (e.g. a gateway probe). Every module *accepts* the connection options of both
    products (so one ``group/gravitee_community.mcp.gravitee`` defaults block serves all);
    only the products named here must be configured.
    ``http_options``: extra keyword arguments for every :class:`HttpClient` (tests inject
    ``sleep``/``clock`` here).
    """

    def __init__(self, argument_spec=None, *, products=("apim",), supports_check_mode=True, http_options=None,
                 **module_kwargs):
        spec = connection_argument_spec()
        clash = sorted(set(spec) & set(argument_spec or {}))
        if clash:
            raise ValueError("argument_spec redefines connection options: %s" % ", ".join(clash))
        spec.update(argument_spec or {})
        self.module = CollectionAnsibleModule(argument_spec=spec, supports_check_mode=supports_check_mode,
                                              **module_kwargs)
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        self.products = tuple(products)
        # Everything Ansible already hides (no_log options and their fallbacks) is masked by us too.
        self.scrubber = Scrubber(self.module.no_log_values)
        self.log = RequestLog()
        self._http_options = dict(http_options or {})
        self._clients = {}
        self._auth = {}
        try:
            # Credentials and the CA bundle are checked before any request, so a wrong one fails fast.
            check_ca_path(self.params)
            if "apim" in self.products:
                require_url(self.params, "apim")
                self._auth["apim"] = build_apim_auth(self.params)
            if "am" in self.products:
                require_url(self.params, "am")
                self._auth["am"] = build_am_auth(self.params)
        except GraviteeError as err:
            self.fail_from_error(err)
        if self.params.get("validate_certs") is False:
            self.module.warn("validate_certs is false (GRAVITEE_VALIDATE_CERTS): server certificates are not checked, "
                             "so credentials may go to an impostor. Outside tests, set ca_path instead.")

    # --- state of the run ----------------------------------------------------------------

    @property
    def params(self) -> dict:
        return self.module.params

    @property
    def check_mode(self) -> bool:
        return bool(self.module.check_mode)

    @property
    def diff_mode(self) -> bool:
        return bool(self.module._diff)

    def request_summary(self) -> dict:
        """``{"total", "reads", "writes", "retries"}`` over every client of this run."""
        return self.log.summary()

    # --- clients -------------------------------------------------------------------------

    def _client_options(self) -> dict:
        options = {"scrubber": self.scrubber, "log": self.log, "forbid_writes": self.check_mode}
        options.update(self._http_options)
        return options

    def _client(self, name, build):
        if name not in self._clients:
            try:
                self._clients[name] = build()
            except GraviteeError as err:
                self.fail_from_error(err)
        return self._clients[name]

    @property
    def apim(self):
        """APIM client on ``.../management/v2/organizations/{org}/environments/{env}``."""
        self._require("apim")
        return self._client("apim", lambda: build_apim_client(self.params, auth=self._auth["apim"],
                                                              **self._client_options()))

    @property
    def apim_org(self):
        """APIM client on ``.../management/v2/organizations/{org}`` (plugins, licence)."""
        return self._client("apim_org", lambda: apim_org_client(self.apim, self.params))

    @property
    def am(self):
        """AM client on ``.../management/organizations/{org}/environments/{env}``."""
        self._require("am")
        return self._client("am", lambda: build_am_client(self.params, auth=self._auth["am"],
                                                          **self._client_options()))

    def am_domain(self, domain, allow_disabled=False) -> dict:
        """The full AM domain named (or with hrid) ``domain``; raises GraviteeError if absent/disabled."""
        return resolve_domain(self.am, domain, allow_disabled=allow_disabled, org=self.params.get("am_org"),
                              env=self.params.get("am_env"))

    def am_domain_client(self, domain):
        """Client on ``E/domains/{id}`` for a domain object or id."""
        return domain_client(self.am, domain["id"] if isinstance(domain, dict) else domain)

    def _require(self, product):
        if product not in self.products:
            raise GraviteeError("Internal error: this module did not declare product '%s'." % product,
                                kind=KIND_USAGE)

    # --- secrets -------------------------------------------------------------------------

    def register_secret(self, *values) -> None:
        """Mask these values in diffs, objects and errors; they may still be returned under a
        documented secret key (e.g. a generated ``client_secret``) for the user to keep."""
        self.scrubber.register(*values)

    def register_no_log(self, *values) -> None:
        """Hide these values everywhere, including every result key (Ansible's no_log)."""
        self.scrubber.register(*values)
        for value in values:
            if value not in (None, ""):
                self.module.no_log_values.add(str(value))

    # --- the engine ----------------------------------------------------------------------

    def ensure(self, *, key: str, current, desired: dict, state: str = "present",
               create: Callable | None = None, update: Callable | None = None, delete: Callable | None = None,
               compare: Callable = is_subset, predict: Callable | None = None) -> Outcome:
        """Bring one object to ``state``; writers are never called in check mode.

        ``create(desired)`` / ``update(current, desired)`` return the object as Gravitee now
        holds it (``None`` falls back to the prediction); ``delete(current)``'s return value
        is ignored. In sync means ``compare(desired, current)`` (default: subset).
        ``predict(current, desired)`` gives the expected end state for check mode (default:
        ``desired`` for a creation, ``deep_merge(current, desired)`` for an update).
        """
        if state not in STATES:
            raise GraviteeError("state must be one of %s, got %r." % (", ".join(STATES), state), kind=KIND_USAGE)
        predict = predict or _default_prediction
        if state == "absent":
            action = "none" if current is None else "delete"
            if action == "delete" and not self.check_mode:
                delete(current)
            after = None
        elif current is None:
            action = "create"
            after = predict(None, desired) if self.check_mode else create(desired)
            if after is None:
                after = predict(None, desired)
        elif not compare(desired, current):
            action = "update"
            after = predict(current, desired) if self.check_mode else update(current, desired)
            if after is None:
                after = predict(current, desired)
        else:
            action, after = "none", current
        changed = action != "none"
        result = {"changed": changed, key: self.scrubber.scrub(after) if after is not None else None,
                  "diff": build_diff(current, after, self.scrubber)}
        return Outcome(changed, action, current, after, result)

    # --- leaving -------------------------------------------------------------------------

    def run(self, main: Callable) -> None:
        """``exit_json(**main(self))``, with any GraviteeError turned into a clean failure."""
        try:
            result = main(self)
        except GraviteeError as err:
            self.fail_from_error(err)
        self.exit(result)

    def exit(self, result=None, **extra) -> None:
        """Exit with ``result`` as is: ensure() already masked its parts, and a documented
        secret key must reach the user (who sets ``no_log: true`` on the task)."""
        payload = dict(result or {})
        payload.update(extra)
        payload.setdefault("changed", False)
        self.module.exit_json(**payload)

    def fail(self, msg, **fields) -> None:
        """fail_json with the message and every field masked."""
        self.module.fail_json(msg=self.scrubber.scrub_text(str(msg)), **self.scrubber.scrub(fields))

    def fail_from_error(self, err: GraviteeError) -> None:
        self.fail(str(err), **err.to_result())


def _default_prediction(current, desired):
    return deep_merge(current, desired) if current is not None else deep_merge({}, desired)
