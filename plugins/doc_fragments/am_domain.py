# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The security domain option of the modules that work in one AM domain.
    DOCUMENTATION = r"""
options:
  domain:
    description:
      - The AM security domain, by hrid (for example V(mcp-domain)) or by name.
      - It must exist and be enabled (the AM gateway does not serve a disabled domain); the task fails
        otherwise, before any change.
    type: str
    required: true
"""
