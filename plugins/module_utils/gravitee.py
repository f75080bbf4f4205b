# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""The module class every module of the collection uses: the core's ModuleBase wired to APIM and AM.

This is the one place where the products meet the core (which imports neither); a module
names the products it talks to with ``products=("apim",)``, ``("am",)``, both, or ``()``.
"""

from __future__ import annotations

from .am.client import domain_client, resolve_domain
from .am.connection import AM
from .apim.connection import APIM, apim_org_client
from .core.module import ModuleBase


class GraviteeModule(ModuleBase):
    PRODUCTS = {"apim": APIM, "am": AM}

    @property
    def apim(self):
        """APIM client on ``.../management/v2/organizations/{org}/environments/{env}``."""
        return self.client("apim")

    @property
    def apim_org(self):
        """APIM client on ``.../management/v2/organizations/{org}`` (plugins, licence)."""
        return self._client("apim_org", lambda: apim_org_client(self.apim, self.params))

    @property
    def am(self):
        """AM client on ``.../management/organizations/{org}/environments/{env}``."""
        return self.client("am")

    def am_domain(self, domain, allow_disabled=False) -> dict:
        """The full AM domain named (or with hrid) ``domain``; raises GraviteeError if absent/disabled."""
        return resolve_domain(self.am, domain, allow_disabled=allow_disabled, org=self.params.get("am_org"),
                              env=self.params.get("am_env"))

    def am_domain_client(self, domain):
        """Client on ``E/domains/{id}`` for a domain object or id."""
        return domain_client(self.am, domain["id"] if isinstance(domain, dict) else domain)
