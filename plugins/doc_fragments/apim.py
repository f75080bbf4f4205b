# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # APIM connection options; must match core.connection.product_argument_spec("apim") exactly.
    DOCUMENTATION = r"""
options:
  apim_url:
    description:
      - Root URL of the Gravitee APIM management API, for example V(https://apim.example.com) or
        V(http://localhost:8083).
      - Give the server root only; the modules add C(/management/v2/organizations/...) themselves.
        A path prefix (for a reverse proxy) is kept.
      - Required by the modules that talk to APIM; the others accept and ignore it, so that one
        C(module_defaults) block for C(group/gravitee_community.mcp.gravitee) can serve every module.
      - If not set, the value of the E(GRAVITEE_APIM_URL) environment variable is used.
    type: str
  apim_username:
    description:
      - Name of the APIM user, sent with O(apim_password) as HTTP Basic authentication.
      - Ignored when O(apim_token) is set.
      - If not set, the value of the E(GRAVITEE_APIM_USERNAME) environment variable is used.
    type: str
  apim_password:
    description:
      - Password of O(apim_username).
      - If not set, the value of the E(GRAVITEE_APIM_PASSWORD) environment variable is used.
    type: str
  apim_token:
    description:
      - 'APIM personal access token, sent as C(Authorization: Bearer <token>).'
      - When both are set, O(apim_token) is used and O(apim_username) / O(apim_password) are ignored.
      - Either O(apim_token) or O(apim_username) and O(apim_password) must be given.
      - If not set, the value of the E(GRAVITEE_APIM_TOKEN) environment variable is used.
    type: str
  apim_org:
    description:
      - APIM organization id.
      - If not set, the value of the E(GRAVITEE_APIM_ORG) environment variable is used.
    type: str
    default: DEFAULT
  apim_env:
    description:
      - APIM environment id or hrid.
      - If not set, the value of the E(GRAVITEE_APIM_ENV) environment variable is used.
    type: str
    default: DEFAULT
"""
