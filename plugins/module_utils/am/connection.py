# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""How the core connects to AM: the environment-level management root, and a bearer token (given, or
exchanged once per task for am_username/am_password at ``{am_url}/management/auth/token``, or handed on
from an earlier task that logged in, with am_access_token)."""

from __future__ import annotations

from ..core.auth import am_auth
from ..core.connection import Product
from .client import am_env_base, am_token_url

AM = Product(
    name="am",
    label="AM",
    base_url=lambda params: am_env_base(params["am_url"], params["am_org"], params["am_env"]),
    auth=lambda params: am_auth(am_token_url(params["am_url"]), params.get("am_username"), params.get("am_password"),
                                params.get("am_token"), org=params.get("am_org"),
                                access_token=params.get("am_access_token")),
    session_token=True,
)
