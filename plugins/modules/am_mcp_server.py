#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: am_mcp_server
short_description: Manage an MCP server (protected resource) in Gravitee Access Management
version_added: 0.1.0
description:
  - Creates, updates or deletes an AM protected resource of type C(MCP_SERVER) (the "MCP Server" entry of an AM
    security domain). APIM's "Gravitee.io AM Authorization Server" resource introspects tokens with its client id
    and secret, and the AM gateway issues a token for it only when the C(resource) parameter equals one of
    O(resource_identifier).
  - The server is found by its resource identifiers, unique in a domain. None held by an MCP server - a new one is
    created; one server holds some - it is updated (its identifiers become exactly O(resource_identifier));
    several servers hold them - the task fails before any change.
  - Only the differing keys are sent (AM C(PATCH)), lists whole. A rerun with the same options sends no write.
  - Needs AM 4.10 or later; changing the secret of an existing server (O(rotate_secret), O(add_secret),
    O(remove_secrets_except)) needs AM 4.11 or later. AM has no version endpoint, so the module reads the server's
    secret list (AM 4.10 answers 404) before any write, and only when such an option is set.
author:
  - gravitee_community.mcp contributors (@gravitee-community)
extends_documentation_fragment:
  - gravitee_community.mcp.apim
  - gravitee_community.mcp.am
  - gravitee_community.mcp.connection_common
  - gravitee_community.mcp.attributes
  - gravitee_community.mcp.attributes.am_group
  - gravitee_community.mcp.am_domain
  - gravitee_community.mcp.am_domain.domain_id
options:
  name:
    description:
      - Name of the MCP server (1 to 64 characters; AM trims it; need not be unique). Required with O(state=present).
    type: str
  resource_identifier:
    description:
      - The MCP server's resource identifiers (one or more, any order), usually the public URL MCP clients connect to,
        for example V(https://apim-gateway.example.com/mcp). With O(state=present) the stored list becomes exactly
        this list.
      - Clients send that URL as the OAuth C(resource) parameter and the AM gateway accepts only an B(exact) match.
        AM stores identifiers lowercased, so upper-case letters are an error (use a lowercase URL and APIM path);
        include the trailing slash as clients send it.
      - An absolute URL with a scheme and a host, without spaces, C(#fragment) or C(_) in the host (AM rejects those).
    type: list
    elements: str
    required: true
    aliases: [resource_identifiers]
  url_forms:
    description:
      - Also hold, for each O(resource_identifier), its other form - with or without the trailing slash
        (V(https://gw.example.com/mcp/) and V(https://gw.example.com/mcp)). APIM serves the API at both and MCP
        clients send the one they were given, so each must be an identifier. An existing server gains the missing form.
    type: bool
    default: false
    version_added: 0.2.0
  description:
    description: Description of the MCP server. V("") removes it. Left unchanged when not given.
    type: str
  client_id:
    description:
      - Client id of the server's OAuth client, used on creation (AM generates one when not given). Unique among the
        applications and MCP servers of the domain.
      - AM cannot change it, so the task fails if the server exists with another client id; delete and recreate it.
    type: str
  client_secret:
    description:
      - Client secret of the server's OAuth client (at least 8 characters); AM generates one when not given.
      - AM stores it hashed and cannot show it, so it is not compared; it is used on creation only (O(update_secret)).
    type: str
  update_secret:
    description:
      - V(on_create) uses O(client_secret) only when the server is created.
      - V(always) asks for O(client_secret) to be the secret on every run. AM can neither set a chosen secret on an
        existing server nor tell whether the stored one equals it, so the server is created with it when missing,
        and the task B(fails) before any change when it exists, naming the choices (V(on_create),
        O(rotate_secret=true), or delete and recreate). Requires O(client_secret).
    type: str
    choices: [on_create, always]
    default: on_create
  rotate_secret:
    description:
      - Renew the secret of an existing server (AM 4.11+, C(POST .../secrets/{id}/_renew)); the new, random secret is
        returned in RV(client_secret). Each run with V(true) renews it again; a server created in the same task is
        left alone. On AM 4.10 the task fails before any change (delete and recreate the server instead).
      - With several secrets, the one named C(Default) (else the oldest) is renewed, with a warning.
    type: bool
    default: false
  add_secret:
    description:
      - Add a client secret with this name to an existing server (AM 4.11+); the new, random secret is returned in
        RV(client_secret) and the other secrets stay valid. Nothing happens when a secret has this name already.
      - Followed, once the new secret is in use, by O(remove_secrets_except), it rotates a secret without a moment
        where the old one is refused while still in use. Cannot be combined with O(rotate_secret).
    type: str
    version_added: 0.2.0
  remove_secrets_except:
    description:
      - Delete every client secret of an existing server except the one with this name (AM 4.11+). Fails before any
        change when no secret has this name.
    type: str
    version_added: 0.2.0
  tools:
    description:
      - The MCP tools of the server (AM features of type C(MCP_TOOL)), any order. With a list the stored tools become
        exactly these (V([]) removes them all); not given, they are left alone.
    type: list
    elements: dict
    suboptions:
      name:
        description: Tool name (AM feature key), 1 to 64 characters of C(a-z), C(A-Z), C(0-9), C(_), C(-); unique.
        type: str
        required: true
      description:
        description: Description of the tool. Not given, the stored one is kept.
        type: str
      scopes:
        description: Scopes a client needs to call the tool, each a scope of the domain. Not given, kept as stored.
        type: list
        elements: str
  state:
    description: V(present) creates or updates the server, V(absent) deletes it (found by O(resource_identifier)).
    type: str
    choices: [present, absent]
    default: present
notes:
  - The AM gateway learns about a new or changed MCP server a few seconds later.
  - 'Returned secrets must be kept out of logs: put C(no_log: true) on the task and C(register) the result.'
seealso:
  - name: Gravitee AM MCP servers
    description: The AM documentation on MCP servers.
    link: https://documentation.gravitee.io/am
"""

EXAMPLES = r"""
- name: Register the APIM endpoint of the MCP server in AM
  gravitee_community.mcp.am_mcp_server:
    domain: mcp-domain
    name: Weather MCP server
    resource_identifier: https://apim-gateway.example.com/weather-mcp
    tools:
      - name: get_forecast
        description: Forecast for a city
        scopes: [weather_read]
  register: mcp_server
  no_log: true  # the result carries the generated client secret

- name: Choose the credentials yourself (used on creation only)
  gravitee_community.mcp.am_mcp_server:
    domain: mcp-domain
    name: Weather MCP server
    resource_identifier: https://apim-gateway.example.com/weather-mcp
    client_id: weather-mcp
    client_secret: "{{ vault_weather_mcp_secret }}"
  no_log: true

- name: Rotate the client secret (AM 4.11 or later)
  gravitee_community.mcp.am_mcp_server:
    domain: mcp-domain
    name: Weather MCP server
    resource_identifier: https://apim-gateway.example.com/weather-mcp
    rotate_secret: true
  register: rotated
  no_log: true

- name: Remove the MCP server
  gravitee_community.mcp.am_mcp_server:
    domain: mcp-domain
    resource_identifier: https://apim-gateway.example.com/weather-mcp
    state: absent
"""

RETURN = r"""
mcp_server:
  description:
    - The MCP server after the task (predicted in check mode, where a new server's RV(mcp_server.id) is V(null));
      V(null) after O(state=absent). Never contains a secret.
  returned: always
  type: dict
  contains:
    id: {description: AM id of the protected resource., type: str, sample: 5f0e6d1c-1b7a-4a7e-8e0e-6d1c1b7a4a7e}
    name: {description: Name of the MCP server., type: str, sample: Weather MCP server}
    description: {description: Description or V(null)., type: str}
    client_id: {description: Client id of the server's OAuth client (for APIM's AM resource)., type: str}
    resource_identifiers:
      description: The stored resource identifiers (lowercase).
      type: list
      elements: str
      sample: [https://apim-gateway.example.com/weather-mcp]
    tools:
      description: The MCP tools, each with C(name), C(description) (or V(null)) and C(scopes).
      type: list
      elements: dict
security_domain:
  description:
    - The path segment the AM gateway serves the domain under (its C(path) without slashes), for example
      V(mcp-domain); the C(securityDomain) of APIM's AM resource. The AM issuer is
      C(<AM gateway URL>/<security_domain>/oidc). Useful when O(domain) is a name.
  returned: success, unless O(domain_id) is set (the domain is not read then)
  type: str
  sample: mcp-domain
client_secret:
  description:
    - The plain client secret, returned only when AM created (new server), renewed (O(rotate_secret)) or added
      (O(add_secret)) it in this run, not in check mode. AM never shows it again; it is in no other key nor the diff.
    - 'Put C(no_log: true) on the task. A supplied O(client_secret) is hidden by Ansible here; use your own value.'
  returned: when a secret was created, renewed or added in this run
  type: str
"""

# Ansible modules keep their documentation first, hence the late imports (E402).
from ansible_collections.gravitee_community.mcp.plugins.module_utils.am.mcp_server import run  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.gravitee import GraviteeModule  # noqa: E402

ARGUMENT_SPEC = {
    "domain": {"type": "str", "required": True},
    "domain_id": {"type": "str"},
    "name": {"type": "str"},
    "resource_identifier": {"type": "list", "elements": "str", "required": True,
                            "aliases": ["resource_identifiers"]},
    "url_forms": {"type": "bool", "default": False},
    "description": {"type": "str"},
    "client_id": {"type": "str"},
    "client_secret": {"type": "str", "no_log": True},
    "update_secret": {"type": "str", "default": "on_create", "choices": ["on_create", "always"]},
    "rotate_secret": {"type": "bool", "default": False},
    "add_secret": {"type": "str", "no_log": False},
    "remove_secrets_except": {"type": "str", "no_log": False},
    "tools": {"type": "list", "elements": "dict", "options": {
        "name": {"type": "str", "required": True},
        "description": {"type": "str"},
        "scopes": {"type": "list", "elements": "str"},
    }},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
}


def main():
    required_if = [("state", "present", ("name",)), ("update_secret", "always", ("client_secret",))]
    GraviteeModule(ARGUMENT_SPEC, products=("am",), required_if=required_if).run(run)


if __name__ == "__main__":
    main()
