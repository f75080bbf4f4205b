#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: am_dcr_clients
short_description: Remove the clients MCP clients registered themselves in a Gravitee AM security domain
version_added: 0.2.0
description:
  - With Dynamic Client Registration on, VS Code and other MCP clients register a new AM application on every
    fresh install or cleared cache. This module finds the domain's dynamically registered clients and removes
    those matching every filter given (age, client name, software id).
  - A registered client is an application that AM created through its registration endpoint (it carries a
    C(registrationClientUri), RFC 7592). Applications created in the AM console or through the management API,
    and template applications, are never listed nor removed.
  - Check mode lists what would be removed and changes nothing. A rerun removes nothing more and sends no write.
author:
  - gravitee_community.mcp contributors (@gravitee-community)
extends_documentation_fragment:
  - gravitee_community.mcp.am
  - gravitee_community.mcp.apim
  - gravitee_community.mcp.connection_common
  - gravitee_community.mcp.attributes
  - gravitee_community.mcp.attributes.am_group
  - gravitee_community.mcp.am_domain
options:
  state:
    description:
      - V(absent) removes the registered clients matching the filters. At least one filter is required.
    type: str
    choices: [absent]
    default: absent
  older_than:
    description:
      - Only clients registered longer ago than this age, a number and a unit (V(s), V(m), V(h), V(d), V(w)),
        e.g. V(30d) or V(12h).
    type: str
  client_name:
    description:
      - Only clients whose C(client_name) matches this shell-style pattern (case-sensitive), e.g. V(Visual Studio*).
    type: str
  software_id:
    description:
      - Only clients that registered with this C(software_id).
    type: str
notes:
  - AM's application list carries no settings, so each application of the domain is read once.
  - The AM user needs, on the domain, APPLICATION[LIST, READ, DELETE] and APPLICATION_OPENID[READ].
seealso:
  - module: gravitee_community.mcp.am_dcr
"""

EXAMPLES = r"""
- name: Remove the clients registered more than 30 days ago
  gravitee_community.mcp.am_dcr_clients:
    domain: mcp
    older_than: 30d

- name: Show which VS Code registrations older than a week would go
  gravitee_community.mcp.am_dcr_clients:
    domain: mcp
    client_name: "Visual Studio Code*"
    older_than: 7d
  check_mode: true
"""

RETURN = r"""
dcr_clients:
  description: The registered clients removed (would be removed in check mode), oldest first.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: The AM application id.
      type: str
    client_id:
      description: The client id.
      type: str
    client_name:
      description: The client name it registered with.
      type: str
    software_id:
      description: The software id it registered with, if any.
      type: str
    created_at:
      description: When it registered (epoch milliseconds).
      type: int
    registration_client_uri:
      description: Its RFC 7592 management URL.
      type: str
  sample:
    - {id: 5c1f..., client_id: 8b2d..., client_name: Visual Studio Code, software_id: null,
       created_at: 1764000000000, registration_client_uri: "https://am.example.com/mcp/oidc/register/8b2d..."}
kept:
  description: How many registered clients of the domain are left (did not match).
  returned: success
  type: int
  sample: 2
diff:
  description: Client id -> name of the removed clients before, nothing after. Shown with C(--diff).
  returned: always
  type: dict
  sample: {before: {8b2d...: Visual Studio Code}, after: {}}
"""

# Ansible modules keep their documentation first, hence the late imports (E402).
from ansible_collections.gravitee_community.mcp.plugins.module_utils.am.dcr_clients import run  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.gravitee import GraviteeModule  # noqa: E402

ARGUMENT_SPEC = {
    "domain": {"type": "str", "required": True},
    "state": {"type": "str", "default": "absent", "choices": ["absent"]},
    "older_than": {"type": "str"},
    "client_name": {"type": "str"},
    "software_id": {"type": "str"},
}


def main():
    GraviteeModule(ARGUMENT_SPEC, products=("am",)).run(run)


if __name__ == "__main__":
    main()
