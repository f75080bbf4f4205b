#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: am_dcr
short_description: Turn Dynamic Client Registration on or off in a Gravitee AM security domain
version_added: 0.1.0
description:
  - Sets the Dynamic Client Registration (DCR, RFC 7591) settings of an AM security domain, the
    C(Settings > Client Registration) page of the AM console. With DCR on, an MCP client such as
    VS Code registers itself as an AM application at C(<AM gateway>/<domain>/oidc/register) and
    gets its own credentials; nobody has to create an application for it by hand.
  - The defaults are what MCP clients need - open registration (no token) and redirect URIs on
    C(http://127.0.0.1:<port>/).
  - Only the keys of C(oidc.clientRegistrationSettings) whose value differs are sent, with a
    C(PATCH) of the domain; every other domain setting is left alone. A rerun with the same
    options sends no write request.
  - The AM gateway picks the change up after its next sync (a few seconds).
author:
  - gravitee_community.mcp contributors (@gravitee-community)
extends_documentation_fragment:
  - gravitee_community.mcp.am
  - gravitee_community.mcp.apim
  - gravitee_community.mcp.connection_common
  - gravitee_community.mcp.attributes
  - gravitee_community.mcp.attributes.am_group
  - gravitee_community.mcp.am_domain
  - gravitee_community.mcp.am_domain.known_domain
options:
  state:
    description:
      - V(present) applies every option below.
      - V(absent) turns DCR off (C(isDynamicClientRegistrationEnabled=false)) and changes nothing else,
        so the other settings are kept for when DCR is turned on again. O(enabled=true),
        O(default_scopes), O(allowed_scopes) and O(client_templates) cannot be combined with it; the
        other options are ignored.
    type: str
    choices: [present, absent]
    default: present
  enabled:
    description:
      - Whether the registration endpoint is on (C(isDynamicClientRegistrationEnabled)).
      - Defaults to V(true) when O(state=present). O(enabled=false) turns DCR off while still applying
        the other options.
    type: bool
  open_registration:
    description:
      - Whether anyone may register a client without a token (C(isOpenDynamicClientRegistrationEnabled)).
      - MCP clients such as VS Code need this. With V(false), a registration needs a bearer token with
        the C(dcr_admin) scope.
    type: bool
    default: true
  allow_localhost_redirect_uri:
    description:
      - Whether redirect URIs on C(localhost), C(127.x) or C(::1) are accepted (C(allowLocalhostRedirectUri)).
      - VS Code registers C(http://127.0.0.1:<port>/); that also needs O(allow_http_scheme_redirect_uri).
      - AM applies this flag to applications created by hand too.
    type: bool
    default: true
  allow_http_scheme_redirect_uri:
    description:
      - Whether plain C(http://) redirect URIs are accepted (C(allowHttpSchemeRedirectUri)).
    type: bool
    default: true
  allow_wildcard_redirect_uri:
    description:
      - Whether a C(*) is accepted in the host or path of a redirect URI (C(allowWildCardRedirectUri)).
    type: bool
    default: false
  default_scopes:
    description:
      - Scope keys given to a registered client that asks for none (C(defaultScopes)).
      - Each must be a scope of the domain (AM refuses every registration otherwise); the task checks
        that before it changes anything.
      - Order and repeats do not matter. V([]) removes them. Not changed when not set.
    type: list
    elements: str
  allowed_scopes:
    description:
      - Restricts the scopes a client may register with to these keys (C(allowedScopes)); setting it
        turns the allow-list on (C(isAllowedScopesEnabled=true)).
      - V([]) turns the allow-list off (and empties it). Not changed when not set.
      - Each key must be a scope of the domain; order and repeats do not matter.
    type: list
    elements: str
  client_templates:
    description:
      - Whether applications may serve as templates for registrations that name them in
        C(software_id) (C(isClientTemplateEnabled)). Not changed when not set.
    type: bool
notes:
  - The AM user needs, on the domain, DOMAIN_SETTINGS[UPDATE] and DOMAIN_OPENID[UPDATE] to change these
    settings, and DOMAIN_DCR[READ] to see them (AM hides the C(oidc) settings from users without it, and
    the task would then take every setting for off). An organization administrator has all of them.
  - The AM field names used are the ones AM really reads and returns (C(isDynamicClientRegistrationEnabled), ...);
    the C(dynamicClientRegistrationEnabled) names of AM's OpenAPI file are refused by AM.
seealso:
  - module: gravitee_community.mcp.am_registration
  - module: gravitee_community.mcp.am_mcp_server
"""

EXAMPLES = r"""
- name: Let MCP clients (VS Code, ...) register themselves
  gravitee_community.mcp.am_dcr:
    am_url: https://am.example.com
    am_username: admin
    am_password: "{{ vault_am_password }}"
    domain: mcp

- name: Registered clients get openid and profile unless they ask for something else
  gravitee_community.mcp.am_dcr:
    domain: mcp
    default_scopes: [openid, profile]
    allowed_scopes: [openid, profile, email]

- name: Only clients holding a dcr_admin token may register
  gravitee_community.mcp.am_dcr:
    domain: mcp
    open_registration: false

- name: Turn DCR off, keeping its other settings
  gravitee_community.mcp.am_dcr:
    domain: mcp
    state: absent
"""

RETURN = r"""
dcr:
  description:
    - The domain's C(oidc.clientRegistrationSettings) after the task (predicted in check mode), with AM's
      field names. Keys AM leaves out are shown with their default (V(false) or V([])).
  returned: success
  type: dict
  contains:
    isDynamicClientRegistrationEnabled:
      description: DCR is on (O(enabled)).
      type: bool
      sample: true
    isOpenDynamicClientRegistrationEnabled:
      description: Registration needs no token (O(open_registration)).
      type: bool
      sample: true
    allowLocalhostRedirectUri:
      description: O(allow_localhost_redirect_uri).
      type: bool
      sample: true
    allowHttpSchemeRedirectUri:
      description: O(allow_http_scheme_redirect_uri).
      type: bool
      sample: true
    allowWildCardRedirectUri:
      description: O(allow_wildcard_redirect_uri).
      type: bool
      sample: false
    defaultScopes:
      description: O(default_scopes).
      type: list
      elements: str
      sample: [openid]
    isAllowedScopesEnabled:
      description: The allow-list is on (O(allowed_scopes) set and not empty).
      type: bool
      sample: false
    allowedScopes:
      description: O(allowed_scopes).
      type: list
      elements: str
      sample: []
    isClientTemplateEnabled:
      description: O(client_templates).
      type: bool
      sample: false
    allowRedirectUriParamsExpressionLanguage:
      description: Not managed by this module; shown as AM holds it.
      type: bool
      sample: false
  sample:
    isDynamicClientRegistrationEnabled: true
    isOpenDynamicClientRegistrationEnabled: true
    allowLocalhostRedirectUri: true
    allowHttpSchemeRedirectUri: true
    allowWildCardRedirectUri: false
    allowRedirectUriParamsExpressionLanguage: false
    defaultScopes: []
    isAllowedScopesEnabled: false
    allowedScopes: []
    isClientTemplateEnabled: false
diff:
  description:
    - The keys of C(oidc.clientRegistrationSettings) this task manages, before and after (a key AM left
      out shows its default). Ansible shows it with C(--diff).
  returned: always
  type: dict
  sample:
    before: {isDynamicClientRegistrationEnabled: false, isOpenDynamicClientRegistrationEnabled: false}
    after: {isDynamicClientRegistrationEnabled: true, isOpenDynamicClientRegistrationEnabled: true}
"""

# Ansible modules keep their documentation first, hence the late imports (E402).
from ansible_collections.gravitee_community.mcp.plugins.module_utils.am.dcr import run  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.gravitee import GraviteeModule  # noqa: E402

ARGUMENT_SPEC = {
    "domain": {"type": "str", "required": True},
    # Not a secret: AM's domain document holds settings, no credential.
    "known_domain": {"type": "dict", "no_log": False},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "enabled": {"type": "bool"},
    "open_registration": {"type": "bool", "default": True},
    "allow_localhost_redirect_uri": {"type": "bool", "default": True},
    "allow_http_scheme_redirect_uri": {"type": "bool", "default": True},
    "allow_wildcard_redirect_uri": {"type": "bool", "default": False},
    "default_scopes": {"type": "list", "elements": "str"},
    "allowed_scopes": {"type": "list", "elements": "str"},
    "client_templates": {"type": "bool"},
}


def main():
    GraviteeModule(ARGUMENT_SPEC, products=("am",)).run(run)


if __name__ == "__main__":
    main()
