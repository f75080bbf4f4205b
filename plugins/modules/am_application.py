#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: am_application
short_description: Manage the Gravitee AM application of an MCP client (the path without DCR)
version_added: 0.2.0
description:
  - Creates, updates or deletes an application of an AM security domain for one MCP client, for domains
    where Dynamic Client Registration stays off. The MCP client is then configured with the application's
    client id (and, for O(type=web), its secret).
  - The application is found by O(client_id) when given, else by O(name) within the domain.
  - Only what differs is sent (AM C(PATCH)); a rerun with the same options sends no write request.
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
  name:
    description:
      - Name of the application. Identifies it within the domain when O(client_id) is not given
        (several applications with this name - the task fails and asks for O(client_id)).
      - Defaults to O(client_id) on creation.
    type: str
  client_id:
    description:
      - The OAuth client id; AM generates one on creation when not given (returned in RV(application.client_id)).
        Unique among the applications and MCP servers of the domain.
    type: str
  type:
    description:
      - V(native) (desktop and CLI clients such as VS Code) and V(browser) are public clients - no secret,
        PKCE forced. V(web) is a confidential client with a client secret.
      - Defaults to V(native) on creation. AM keeps the type of an existing application, so another type fails.
    type: str
    choices: [native, browser, web]
  redirect_uris:
    description:
      - Where AM sends the user back after login, e.g. V(http://127.0.0.1:33418/) and V(https://vscode.dev/redirect)
        for VS Code. The stored list becomes exactly this list (any order). Required with O(state=present).
      - AM applies the domain's client registration flags (see M(gravitee_community.mcp.am_dcr)) - localhost and
        plain C(http) URIs need them on, C(*) needs the wildcard flag, a C(#fragment) is never accepted.
    type: list
    elements: str
  grant_types:
    description:
      - OAuth grant types of the client; must hold V(authorization_code). V(client_credentials) needs O(type=web).
    type: list
    elements: str
    choices: [authorization_code, refresh_token, client_credentials]
    default: [authorization_code, refresh_token]
  identity_provider:
    description:
      - The identity provider (id or name) users log in with. Default - the domain's default provider
        (C(default-idp-<domain id>)), else its first one. AM gives an application created through its API none.
    type: str
  scopes:
    description:
      - Scope keys the client may ask for (and gets when it asks for none), each a scope of the domain; the stored
        list becomes exactly this one (any order). MCP clients ask for the C(scopes_supported) of the MCP server's
        protected resource metadata (the OAuth2 plan's scopes), which AM refuses (C(invalid_scope)) when the
        application lacks them; a client with the V(refresh_token) grant also asks for V(offline_access) (MCP
        SEP-2207, when AM's discovery lists it). Not given - left as AM holds them.
    type: list
    elements: str
  client_secret:
    description:
      - Secret of a V(web) application, used on creation only (AM generates one when not given; at least 8 characters).
        AM stores it hashed, so it is never compared.
    type: str
  state:
    description: V(present) creates or updates the application, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - 'A created V(web) application returns its secret once in RV(client_secret): put C(no_log: true) on the task.'
seealso:
  - module: gravitee_community.mcp.am_dcr
  - module: gravitee_community.mcp.am_mcp_server
"""

EXAMPLES = r"""
- name: VS Code logs in with a fixed client id, no registration
  gravitee_community.mcp.am_application:
    domain: mcp
    name: VS Code
    client_id: vscode-mcp
    type: native
    redirect_uris: [http://127.0.0.1:33418/, https://vscode.dev/redirect]
    scopes: [openid, offline_access]

- name: A confidential client; keep the generated secret
  gravitee_community.mcp.am_application:
    domain: mcp
    name: Reporting agent
    type: web
    redirect_uris: [https://agent.example.com/oauth/callback]
  register: agent_app
  no_log: true  # the result carries the secret

- name: Remove it
  gravitee_community.mcp.am_application:
    domain: mcp
    client_id: vscode-mcp
    state: absent
"""

RETURN = r"""
application:
  description: The application after the task (predicted in check mode); V(null) after O(state=absent). No secret.
  returned: always
  type: dict
  contains:
    id: {description: AM id of the application (V(null) for a creation in check mode)., type: str}
    name: {description: Name of the application., type: str, sample: VS Code}
    type: {description: 'V(native), V(browser) or V(web).', type: str, sample: native}
    client_id: {description: The OAuth client id the MCP client is configured with., type: str, sample: vscode-mcp}
    redirect_uris: {description: Redirect URIs., type: list, elements: str}
    grant_types: {description: Grant types., type: list, elements: str}
    identity_provider: {description: Id of the identity provider users log in with., type: str}
    scopes: {description: Scope keys of the client., type: list, elements: str}
    public: {description: 'V(true) for a public client (no secret, PKCE).', type: bool}
client_secret:
  description:
    - The plain secret of a V(web) application AM created in this run (not in check mode). AM never shows it
      again; it is in no other key nor the diff. Public clients have none.
  returned: when a web application was created
  type: str
"""

# Ansible modules keep their documentation first, hence the late imports (E402).
from ansible_collections.gravitee_community.mcp.plugins.module_utils.am.application import run  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.gravitee import GraviteeModule  # noqa: E402

ARGUMENT_SPEC = {
    "domain": {"type": "str", "required": True},
    "name": {"type": "str"},
    "client_id": {"type": "str"},
    "type": {"type": "str", "choices": ["native", "browser", "web"]},
    "redirect_uris": {"type": "list", "elements": "str"},
    "grant_types": {"type": "list", "elements": "str", "default": ["authorization_code", "refresh_token"],
                    "choices": ["authorization_code", "refresh_token", "client_credentials"]},
    "identity_provider": {"type": "str"},
    "scopes": {"type": "list", "elements": "str"},
    "client_secret": {"type": "str", "no_log": True},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
}


def main():
    GraviteeModule(ARGUMENT_SPEC, products=("am",), required_one_of=[("name", "client_id")]).run(run)


if __name__ == "__main__":
    main()
