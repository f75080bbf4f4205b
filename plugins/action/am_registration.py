# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The am_registration module, run in the controller's process on a local connection (plugin_utils/in_process.py)."""

from __future__ import annotations

from ansible_collections.gravitee_community.mcp.plugins.plugin_utils.in_process import ModuleAction


class ActionModule(ModuleAction):
    pass
