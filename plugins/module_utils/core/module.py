# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""What every module shares around the engine.

:class:`ModuleBase` wraps ``AnsibleModule``: it adds the connection options of the products
(``PRODUCTS``, wired in by ``module_utils/gravitee.py``), fails early (and readably) when
``requests`` or credentials are missing, builds the HTTP clients lazily, turns any
:class:`GraviteeError` into a ``fail_json`` with masked, structured fields, and runs the
present/absent engine (``engine.py``) in the task's check mode.
"""

from __future__ import annotations

from collections.abc import Callable

from ansible.module_utils.basic import missing_required_lib

from .arguments import CollectionAnsibleModule
from .connection import build_client, check_ca_path, check_http_settings, connection_argument_spec, require_url
from .engine import Outcome, ensure
from .errors import GraviteeError, usage_error
from .http import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from .request_log import RequestLog
from .scrub import Scrubber


class ModuleBase:
    """``AnsibleModule`` plus the connection options of ``PRODUCTS``, their clients and the engine.

    ``PRODUCTS`` (name -> :class:`~.connection.Product`) is set by the subclass that wires the
    products in (``module_utils/gravitee.py``); the core knows no product itself.

    ``products``: which products the module talks to, ``("apim",)``, ``("am",)``, both, or
    ``()`` (e.g. a gateway probe). Every module *accepts* the connection options of both
    products (so one ``group/gravitee_community.mcp.gravitee`` defaults block serves all);
    only the products named here must be configured.
    ``http_options``: extra keyword arguments for every :class:`HttpClient` (tests inject
    ``sleep``/``clock`` here).
    """

    PRODUCTS: dict = {}

    def __init__(self, argument_spec=None, *, products=("apim",), supports_check_mode=True, http_options=None,
                 **module_kwargs):
        spec = connection_argument_spec(self.PRODUCTS)
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
            # Credentials, the CA bundle and the connection settings are checked before any request, so a wrong
            # one fails fast (also in a module that uses none of them, such as the probe).
            check_ca_path(self.params)
            check_http_settings(self.params)
            for name in self.products:
                require_url(self.params, name)
                self._auth[name] = self.PRODUCTS[name].auth(self.params)
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

    def client(self, name):
        """The management client of product ``name`` (declared in ``products``), built once."""
        self._require(name)
        return self._client(name, lambda: build_client(self.PRODUCTS[name], self.params, auth=self._auth[name],
                                                       **self._client_options()))

    def _require(self, product):
        if product not in self.products:
            raise usage_error("Internal error: this module did not declare product '%s'." % product)

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

    def ensure(self, **kwargs) -> Outcome:
        """The engine (:func:`.engine.ensure`) in this task's check mode, with its masking."""
        return ensure(check_mode=self.check_mode, scrubber=self.scrubber, **kwargs)

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
