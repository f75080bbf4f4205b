# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # AM connection options; must match core.connection.product_argument_spec("am", session_token=True) exactly.
    DOCUMENTATION = r"""
options:
  am_url:
    description:
      - Root URL of the Gravitee AM management API, for example V(https://am.example.com) or
        V(http://localhost:8093).
      - Give the server root only; the modules add C(/management/...) themselves. A path prefix
        (for a reverse proxy) is kept.
      - This is not the AM gateway URL.
      - Required by the modules that talk to AM; the others accept and ignore it, so that one
        C(module_defaults) block for C(group/gravitee_community.mcp.gravitee) can serve every module.
      - If not set, the value of the E(GRAVITEE_AM_URL) environment variable is used.
    type: str
  am_username:
    description:
      - Name of the AM administrator. With O(am_password) it is exchanged once per task for a
        management token at C(/management/auth/token), unless O(am_access_token) hands one on.
      - Ignored when O(am_token) is set.
      - If not set, the value of the E(GRAVITEE_AM_USERNAME) environment variable is used.
    type: str
  am_password:
    description:
      - Password of O(am_username).
      - If not set, the value of the E(GRAVITEE_AM_PASSWORD) environment variable is used.
    type: str
  am_token:
    description:
      - 'AM management token (a personal or service account access token, or a management JWT),
        sent as C(Authorization: Bearer <token>).'
      - When both are set, O(am_token) is used and O(am_username) / O(am_password) are ignored.
      - Either O(am_token) or O(am_username) and O(am_password) must be given.
      - If not set, the value of the E(GRAVITEE_AM_TOKEN) environment variable is used.
    type: str
  am_access_token:
    description:
      - The AM management token an earlier task of the play logged in for, handed on so that this task does not
        log in again (one login per play instead of one per task). The M(gravitee_community.mcp.preflight) module
        returns it as RV(gravitee_community.mcp.preflight#module:am_access_token) with
        O(gravitee_community.mcp.preflight#module:return_am_access_token=true); the
        C(gravitee_community.mcp.secure_mcp) role hands it on to its AM tasks.
      - Unlike O(am_token), it does not replace O(am_username) / O(am_password). When AM refuses it (expired or
        revoked) and they are set, the task logs in again with them, once; without them the task fails with a
        message naming this option.
      - 'Ignored when O(am_token) is set. It is a credential: set C(no_log: true) on the task that registers it.'
      - If not set, the value of the E(GRAVITEE_AM_ACCESS_TOKEN) environment variable is used.
    type: str
    version_added: 0.2.0
  am_org:
    description:
      - AM organization id.
      - If not set, the value of the E(GRAVITEE_AM_ORG) environment variable is used.
    type: str
    default: DEFAULT
  am_env:
    description:
      - AM environment id.
      - If not set, the value of the E(GRAVITEE_AM_ENV) environment variable is used.
    type: str
    default: DEFAULT
"""
