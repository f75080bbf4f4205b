# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""How the core connects to APIM: the environment-level management root and Basic or bearer auth."""

from __future__ import annotations

from ..core.auth import apim_auth
from ..core.connection import Product
from .client import apim_env_base, apim_org_base

APIM = Product(
    name="apim",
    label="APIM",
    base_url=lambda params: apim_env_base(params["apim_url"], params["apim_org"], params["apim_env"]),
    auth=lambda params: apim_auth(params.get("apim_username"), params.get("apim_password"), params.get("apim_token")),
)


def apim_org_client(env_client, params):
    """The organisation-level routes (plugins, licence) with the environment client's session and log."""
    return env_client.scoped(apim_org_base(params["apim_url"], params["apim_org"]))
