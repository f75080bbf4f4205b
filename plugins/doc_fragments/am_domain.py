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

    # The id of that domain, for a module that then needs no read of the domain itself (am_mcp_server).
    DOMAIN_ID = r"""
options:
  domain_id:
    description:
      - The id of the domain O(domain) names, when the play already has it (the
        M(gravitee_community.mcp.preflight) module returns it as C(am.domain.id)). The task then uses it instead of
        looking the domain up (one request less), and O(domain) only names it in messages.
      - The domain is not read then, so it is not checked to exist and be enabled (the preflight checked both); an
        id AM does not know fails the task before any change.
    type: str
    version_added: 0.2.0
"""

    # The domain as an earlier task read it, for the modules that change one of its settings sections
    # (am_dcr, am_registration) and then need no read of it.
    KNOWN_DOMAIN = r"""
options:
  known_domain:
    description:
      - The AM domain as an earlier task of this run read it (the M(gravitee_community.mcp.preflight) module's
        C(known_domain) result). When given, the task takes it as the domain's current state and does not read the
        domain again (one request less; a rerun with nothing to change sends no request to AM at all).
      - It must be the domain O(domain) names (its C(hrid) or C(name) equal to O(domain), or its C(id)), with an
        C(id); otherwise the task fails before any write, naming this option. A disabled domain is refused as when
        the task reads it.
      - Where AM replaces the changed settings section whole on a write (the login settings of
        M(gravitee_community.mcp.am_registration)), the task still reads the domain again before it writes, so that
        the write cannot undo a change made since the earlier read.
    type: dict
    version_added: 0.2.0
"""
