# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # Standard attributes of the collection's modules. Use with one of the group variants:
    #   extends_documentation_fragment:
    #     - gravitee_community.mcp.attributes
    #     - gravitee_community.mcp.attributes.apim_group   # or .am_group
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in check mode and return the changed status and the object it would produce
      without modifying Gravitee.
    support: full
  diff_mode:
    description: Returns C(diff) with the object before and after the change (secrets masked); shown
      with C(--diff).
    support: full
"""

    # ansible-test's yamllint reads each fragment as a string literal, so the two group texts are written out.
    APIM_GROUP = r"""
options: {}
attributes:
  action_group:
    description:
      - Use C(group/gravitee_community.mcp.apim) in C(module_defaults) to set the APIM connection options
        once for many tasks.
      - C(group/gravitee_community.mcp.gravitee) covers every module of the collection and can carry the APIM
        and the AM connection together, because every module accepts both products' connection options and ignores
        those of a product it does not talk to.
    support: full
    membership:
      - gravitee_community.mcp.gravitee
      - gravitee_community.mcp.apim
"""

    AM_GROUP = r"""
options: {}
attributes:
  action_group:
    description:
      - Use C(group/gravitee_community.mcp.am) in C(module_defaults) to set the AM connection options
        once for many tasks.
      - C(group/gravitee_community.mcp.gravitee) covers every module of the collection and can carry the APIM
        and the AM connection together, because every module accepts both products' connection options and ignores
        those of a product it does not talk to.
    support: full
    membership:
      - gravitee_community.mcp.gravitee
      - gravitee_community.mcp.am
"""

    GRAVITEE_GROUP = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/gravitee_community.mcp.gravitee) in C(module_defaults) to set the APIM and AM
      connection options once for many tasks; this module accepts them and ignores those it does not use.
    support: full
    membership:
      - gravitee_community.mcp.gravitee
"""
