#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: am_cimd
short_description: Let MCP clients sign in to a Gravitee AM domain with a Client ID Metadata Document
version_added: 0.2.0
description:
  - Sets the Client ID Metadata Document (CIMD) settings of an AM security domain (C(oidc.cimdSettings), AM 4.12
    or later). With CIMD on, an MCP client uses the HTTPS URL of a JSON document it publishes as its client id;
    AM fetches and checks that document at login, and no registration (DCR) takes place. The MCP authorization
    specification (2025-11-25) prefers CIMD to DCR.
  - AM makes each CIMD client from a template application. When CIMD is turned on, the application named
    O(template) is used, or created when missing (a public native client with PKCE, grant types
    C(authorization_code) and C(refresh_token), scopes C(openid) and C(offline_access), the domain's default
    identity provider, marked as template).
  - Only the keys of C(oidc.cimdSettings) whose value differs are sent, with a C(PATCH) of the domain. A rerun
    with the same options sends no write request.
  - On AM below 4.12 the task fails before any write (AM has no such setting there).
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
      - V(present) applies the options. V(absent) turns CIMD off and changes nothing else.
    type: str
    choices: [present, absent]
    default: present
  enabled:
    description: Whether CIMD is on (C(enabled)). Defaults to V(true) with O(state=present).
    type: bool
  template:
    description:
      - Name (or client id) of the template application CIMD clients are made from (C(templateId)). An existing
        application of that name that is not a template is refused.
    type: str
    default: MCP clients (CIMD template)
  allow_http:
    description: Accept C(http://) client ids (C(allowUnsecuredHttpUri)); for tests only.
    type: bool
  allow_private_ip:
    description:
      - Accept client id hosts that are, or resolve to, private or loopback addresses (C(allowPrivateIpAddress)).
    type: bool
  allowed_domains:
    description:
      - Only client ids on these hosts (C(allowedDomains)); V(*.example.com) allows one level of subdomain.
        V([]) allows every host.
    type: list
    elements: str
  fetch_timeout_ms:
    description: How long AM waits for a metadata document (C(fetchTimeoutMs), AM default 5000).
    type: int
  max_response_size_kb:
    description: The largest metadata document AM accepts (C(maxResponseSizeKb), AM default 10).
    type: int
  cache_ttl_seconds:
    description: How long AM keeps a fetched document at most (C(cacheTtlSeconds), AM default 86400).
    type: int
  cache_max_entries:
    description: How many documents each AM gateway caches (C(cacheMaxEntries), AM default 1000).
    type: int
  revoke_on_document_change:
    description: Revoke a client's tokens and consents when its document changes (C(revokeOnDocumentChange)).
    type: bool
notes:
  - Options left unset are not changed. The AM gateway picks changes up at its next sync (a few seconds).
  - A CIMD client's document must be served over HTTPS with a certificate the AM gateway trusts.
seealso:
  - module: gravitee_community.mcp.am_dcr
"""

EXAMPLES = r"""
- name: Let MCP clients sign in with their metadata document URL
  gravitee_community.mcp.am_cimd:
    domain: mcp
    allowed_domains: [vscode.dev, "*.example.com"]

- name: Turn CIMD off
  gravitee_community.mcp.am_cimd:
    domain: mcp
    state: absent
"""

RETURN = r"""
cimd:
  description:
    - The domain's C(oidc.cimdSettings) after the task (predicted in check mode), with AM's field names; keys
      AM leaves out are shown with their default.
  returned: success
  type: dict
  sample: {enabled: true, templateId: 5c1f..., allowUnsecuredHttpUri: false, allowPrivateIpAddress: false,
           fetchTimeoutMs: 5000, maxResponseSizeKb: 10, allowedDomains: [], cacheTtlSeconds: 86400,
           cacheMaxEntries: 1000, revokeOnDocumentChange: false}
template:
  description: The template application (V(null) when CIMD is turned off).
  returned: success
  type: dict
  sample: {id: 5c1f..., name: MCP clients (CIMD template), client_id: 8b2d..., template: true}
diff:
  description: The managed keys of C(oidc.cimdSettings) before and after. Shown with C(--diff).
  returned: always
  type: dict
  sample: {before: {enabled: false}, after: {enabled: true}}
"""

# Ansible modules keep their documentation first, hence the late imports (E402).
from ansible_collections.gravitee_community.mcp.plugins.module_utils.am.cimd import run  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.gravitee import GraviteeModule  # noqa: E402

ARGUMENT_SPEC = {
    "domain": {"type": "str", "required": True},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "enabled": {"type": "bool"},
    "template": {"type": "str", "default": "MCP clients (CIMD template)"},
    "allow_http": {"type": "bool"},
    "allow_private_ip": {"type": "bool"},
    "allowed_domains": {"type": "list", "elements": "str"},
    "fetch_timeout_ms": {"type": "int"},
    "max_response_size_kb": {"type": "int"},
    "cache_ttl_seconds": {"type": "int"},
    "cache_max_entries": {"type": "int"},
    "revoke_on_document_change": {"type": "bool"},
}


def main():
    GraviteeModule(ARGUMENT_SPEC, products=("am",)).run(run)


if __name__ == "__main__":
    main()
