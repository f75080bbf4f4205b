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
  - Creates, updates or deletes an AM protected resource of type C(MCP_SERVER), the "MCP Server" entry of
    an AM security domain. APIM's "Gravitee.io AM Authorization Server" resource uses its client id and
    secret to introspect the tokens MCP clients send, and the AM gateway accepts a token request for the
    MCP server only when its C(resource) parameter equals one of O(resource_identifier).
  - The MCP server is found by its resource identifiers, which are unique in a domain. If none of
    O(resource_identifier) is held by an MCP server of the domain, a new one is created; if one server holds
    some of them, that server is updated (its identifiers become exactly O(resource_identifier)); if several
    servers hold them, the task fails before any change.
  - Only the keys that differ are sent (AM C(PATCH)); lists (identifiers, tools) are sent whole because AM
    replaces the stored list. A second run with the same options changes nothing and sends no write request.
  - Needs AM 4.10 or later. Secret rotation (O(rotate_secret)) needs AM 4.11 or later.
  - 'AM version: the AM management API has no version endpoint. The module learns whether AM has the secrets
    API (4.11+) by reading the MCP server''s secret list, which AM 4.10 does not have (it answers 404). It
    does so only when O(rotate_secret=true) and the server already exists, and before any write.'
author:
  - gravitee_community.mcp contributors (@gravitee-community)
extends_documentation_fragment:
  - gravitee_community.mcp.apim
  - gravitee_community.mcp.am
  - gravitee_community.mcp.connection_common
  - gravitee_community.mcp.attributes
  - gravitee_community.mcp.attributes.am_group
options:
  domain:
    description:
      - The AM security domain, by hrid (for example V(mcp-domain)) or by name.
      - The task fails if the domain does not exist or is disabled (the AM gateway does not serve a disabled
        domain).
    type: str
    required: true
  name:
    description:
      - Name of the MCP server as AM shows it (1 to 64 characters; AM trims it). Names need not be unique.
      - Required when O(state=present).
    type: str
  resource_identifier:
    description:
      - The MCP server's resource identifiers, usually the public URL of the APIM endpoint MCP clients connect
        to, for example V(https://apim-gateway.example.com/mcp). One or more.
      - They identify the MCP server (see the description). With O(state=present) the stored list becomes
        exactly this list; the order does not matter.
      - MCP clients send the URL they connect to as the OAuth C(resource) parameter and the AM gateway accepts it
        only when it is B(exactly) a stored identifier. AM stores identifiers lowercased, so an identifier with
        upper-case letters is an error (before any change), not silently lowercased; use the lowercase URL and
        a lowercase APIM entrypoint path. Include the trailing slash exactly as clients will send it.
      - An identifier must be an absolute URL with a scheme and a host, without spaces, without a C(#fragment)
        and without C(_) in the host (AM rejects those).
    type: list
    elements: str
    required: true
    aliases: [resource_identifiers]
  description:
    description:
      - Description of the MCP server. V("") removes it. Left unchanged when not given.
    type: str
  client_id:
    description:
      - Client id of the MCP server's OAuth client, used by APIM to introspect tokens.
      - Used when the server is created; AM generates one when not given. It must be unique among the
        applications and MCP servers of the domain.
      - AM cannot change the client id of an existing server. If the server exists with another client id the
        task fails; delete it (O(state=absent)) and create it again to change it.
    type: str
  client_secret:
    description:
      - Client secret of the MCP server's OAuth client. AM generates one when not given.
      - AM stores it hashed and cannot show it again, so the module cannot compare it. It is used only when
        the server is created (see O(update_secret)).
      - At least 8 characters.
    type: str
  update_secret:
    description:
      - When O(client_secret) is applied.
      - V(on_create) uses it only when the server is created; an existing server keeps its secret.
      - V(always) asks for O(client_secret) to be the secret of the server on every run. AM cannot set a chosen
        secret on an existing server (AM 4.11+ secrets API only generates random secrets; AM 4.10 has no
        secrets API), and cannot tell whether the stored secret equals O(client_secret). So V(always) creates
        the server with O(client_secret) when it does not exist, and B(fails) before any change when it
        exists, explaining the choices (keep V(on_create), O(rotate_secret=true) for a random new secret, or
        delete and recreate). It never reports the secret as set when it was not. Requires O(client_secret).
    type: str
    choices: [on_create, always]
    default: on_create
  rotate_secret:
    description:
      - Renew the secret of an existing MCP server; the new, random secret is returned in RV(client_secret).
      - Each run with V(true) renews the secret again (and reports a change), so run it once, on purpose.
      - Nothing is renewed for a server created in the same task (its secret is new already).
      - Needs AM 4.11 or later (secrets API; the module calls C(GET .../secrets), then
        C(POST .../secrets/{id}/_renew)). On AM 4.10 the task fails before any change; there, delete the server
        (O(state=absent)) and create it again, with the same O(client_id) if needed.
      - If the server has several secrets, the one named C(Default) (else the oldest) is renewed, with a warning;
        the others stay valid.
    type: bool
    default: false
  add_secret:
    description:
      - Add a client secret with this name to an existing MCP server (AM 4.11+); the new, random secret is returned
        in RV(client_secret) and the server's other secrets stay valid. Nothing happens when the server already has
        a secret with this name, so give each rotation a new name.
      - With O(remove_secrets_except) in a later task, once the new secret is in use, this rotates a secret without
        any moment where the old one is refused while still in use (O(rotate_secret) renews in place, which stops
        the old value at AM's next sync).
      - On AM 4.10 the task fails before any change. Cannot be combined with O(rotate_secret).
    type: str
    version_added: 0.2.0
  remove_secrets_except:
    description:
      - Delete every client secret of an existing MCP server except the one with this name (AM 4.11+).
      - Fails before any change when no secret has this name, so that the server is never left without the secret
        in use.
    type: str
    version_added: 0.2.0
  tools:
    description:
      - The MCP tools the server exposes, stored in AM as features of type C(MCP_TOOL). With a list, the
        stored tools become exactly these (V([]) removes them all); not given, the tools are left alone.
      - The order does not matter.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The tool name (the AM feature key), 1 to 64 characters of C(a-z), C(A-Z), C(0-9), C(_) and C(-),
            unique in the list.
        type: str
        required: true
      description:
        description:
          - Description of the tool. Not given, the stored description is kept.
        type: str
      scopes:
        description:
          - Scopes a client needs to call the tool. Each must be a scope of the domain; the task checks them
            before any change. Not given, the stored scopes are kept.
        type: list
        elements: str
  state:
    description:
      - V(present) creates or updates the MCP server, V(absent) deletes it (found by O(resource_identifier)).
    type: str
    choices: [present, absent]
    default: present
notes:
  - The AM gateway learns about a new or changed MCP server asynchronously, a few seconds later.
  - With O(am_username) and O(am_password), the module obtains one AM management token per task run.
  - 'Returned secrets must be kept out of logs: put C(no_log: true) on the task and C(register) the result.'
seealso:
  - name: Gravitee AM protected resources
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

- name: Give the credentials to APIM (AM resource of the OAuth2 plan)
  ansible.builtin.set_fact:
    am_client_id: "{{ mcp_server.mcp_server.client_id }}"
    am_client_secret: "{{ mcp_server.client_secret | default(omit) }}"
  no_log: true

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

- name: One connection block for every module of the collection
  module_defaults:
    group/gravitee_community.mcp.gravitee:
      am_url: https://am.example.com
      am_username: admin
      am_password: "{{ vault_am_password }}"
      apim_url: https://apim.example.com
      apim_username: admin
      apim_password: "{{ vault_apim_password }}"
  block:
    - name: Remove the MCP server
      gravitee_community.mcp.am_mcp_server:
        domain: mcp-domain
        resource_identifier: https://apim-gateway.example.com/weather-mcp
        state: absent
"""

RETURN = r"""
mcp_server:
  description:
    - The MCP server after the task (predicted in check mode, where RV(mcp_server.id) of a new server is
      V(null)); V(null) after O(state=absent). Never contains a secret.
  returned: always
  type: dict
  contains:
    id:
      description: AM id of the protected resource.
      type: str
      sample: 5f0e6d1c-1b7a-4a7e-8e0e-6d1c1b7a4a7e
    name:
      description: Name of the MCP server.
      type: str
      sample: Weather MCP server
    description:
      description: Description, or V(null).
      type: str
    client_id:
      description: Client id of the MCP server's OAuth client (give it to APIM's AM resource).
      type: str
      sample: weather-mcp
    resource_identifiers:
      description: The stored resource identifiers (lowercase).
      type: list
      elements: str
      sample: [https://apim-gateway.example.com/weather-mcp]
    tools:
      description: The MCP tools (AM features of type C(MCP_TOOL)).
      type: list
      elements: dict
      contains:
        name:
          description: Tool name (AM feature key).
          type: str
        description:
          description: Tool description, or V(null).
          type: str
        scopes:
          description: Scopes the tool needs.
          type: list
          elements: str
security_domain:
  description:
    - The path segment under which the AM gateway serves the domain (its C(path) without slashes), for example
      V(mcp-domain). It is the C(securityDomain) of APIM's "Gravitee.io AM Authorization Server" resource, and
      the AM issuer is C(<AM gateway URL>/<security_domain>/oidc).
    - Useful when O(domain) is given by name, which can differ from the path.
  returned: success
  type: str
  sample: mcp-domain
  version_added: 0.1.0
client_secret:
  description:
    - The plain client secret, returned only when AM created it (new server), renewed it (O(rotate_secret)) or
      added it (O(add_secret)) in this run, and not in check mode. AM never shows it again, so keep it now; it
      is in no other key and never in the diff.
    - 'Put C(no_log: true) on the task. If you supplied O(client_secret), Ansible hides this copy (the option is
      C(no_log)); use your own value.'
  returned: when a secret was created, renewed or added in this run
  type: str
"""

from ansible_collections.gravitee_community.mcp.plugins.module_utils.am.client import (  # noqa: E402
    domain_gateway_segment,
    domain_scope_keys,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.am.mcp_identifiers import (  # noqa: E402
    identifier_errors,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.am.mcp_model import (  # noqa: E402  (docs first)
    am_create_body,
    am_patch,
    differing_keys,
    in_sync,
    scopes_in_use,
    server_view,
    target_view,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.am.mcp_rules import (  # noqa: E402
    check_client_id,
    check_tools,
    check_update_secret,
    duplicate_identifier_error,
    explain_write_error,
    short_secret_problem,
    unknown_scopes_error,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.am.mcp_secrets import (  # noqa: E402
    apply_secret_changes,
    plan_secret_changes,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.am.resources import (  # noqa: E402
    create_mcp_server,
    delete_mcp_server,
    get_mcp_server,
    list_mcp_servers,
    match_by_identifiers,
    patch_mcp_server,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import (  # noqa: E402
    KIND_USAGE,
    GraviteeError,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.gravitee import GraviteeModule  # noqa: E402

ARGUMENT_SPEC = {
    "domain": {"type": "str", "required": True},
    "name": {"type": "str"},
    "resource_identifier": {"type": "list", "elements": "str", "required": True,
                            "aliases": ["resource_identifiers"]},
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


def desired_state(params) -> dict:
    """What the task asks for, as the module's view (None: not managed)."""
    tools = params.get("tools")
    return {
        "name": params.get("name"),
        "description": params.get("description"),
        "client_id": params.get("client_id"),
        "resource_identifiers": list(params["resource_identifier"] or []),
        "tools": None if tools is None else [
            {"name": t["name"], "description": t.get("description"), "scopes": t.get("scopes")} for t in tools],
    }


def input_problems(params) -> list:
    """Mistakes in the options, found before any request."""
    problems = ["resource_identifier: %s." % p for p in identifier_errors(params["resource_identifier"])]
    problems += check_tools(params.get("tools"))
    problems += [p for p in [short_secret_problem(params.get("client_secret"))] if p]
    name = params.get("name")
    if params["state"] == "present" and name is not None and not 1 <= len(name.strip()) <= 64:
        problems.append("name: must be 1 to 64 characters long (AM trims it); got %d." % len(name.strip()))
    for option in ("rotate_secret", "add_secret", "remove_secrets_except"):
        if params["state"] == "absent" and params[option]:
            problems.append("%s: has no meaning with state=absent; remove it." % option)
    if params["rotate_secret"] and params["add_secret"]:
        problems.append("rotate_secret and add_secret: choose one (add_secret keeps the old secret valid).")
    for option in ("add_secret", "remove_secrets_except"):
        if params[option] is not None and not params[option].strip():
            problems.append("%s: must name a secret (not empty)." % option)
    return problems


def _require_scopes(domain, client, tools):
    used = scopes_in_use(tools)
    if used:
        known = domain_scope_keys(client)
        missing = {scope: names for scope, names in used.items() if scope not in known}
        if missing:
            raise unknown_scopes_error(domain, missing)


def run(gm):
    params = gm.params
    problems = input_problems(params)
    if problems:
        raise GraviteeError(" ".join(problems), product="AM", kind=KIND_USAGE)
    domain = gm.am_domain(params["domain"])
    client = gm.am_domain_client(domain)
    desired = desired_state(params)
    servers = list_mcp_servers(client)
    found = match_by_identifiers(servers, desired["resource_identifiers"])
    if len(found) > 1:
        raise duplicate_identifier_error(domain, found)
    current = server_view(found[0][0]) if found else None
    if params["state"] == "absent":
        result = gm.ensure(key="mcp_server", current=current, desired=desired, state="absent",
                           delete=lambda stored: delete_mcp_server(client, stored["id"])).result
        return dict(result, security_domain=domain_gateway_segment(domain))

    # Everything that can be refused is checked before the first write.
    check_client_id(domain, current, desired["client_id"], servers)
    check_update_secret(current, params["update_secret"])
    secret_changes = plan_secret_changes(gm, client, current, params)
    target = target_view(current, desired)
    if current is None or "tools" in differing_keys(target, current):
        _require_scopes(domain, client, target["tools"])

    created = {}

    def create(wanted):
        try:
            answer = create_mcp_server(client, am_create_body(target_view(None, wanted), params["client_secret"]))
        except GraviteeError as err:
            raise explain_write_error(err, domain, wanted) from None
        created["secret"] = answer.get("clientSecret")
        gm.register_secret(created["secret"])
        return server_view(get_mcp_server(client, answer["id"]))

    def update(stored, wanted):
        try:
            return server_view(patch_mcp_server(client, stored["id"], am_patch(target_view(stored, wanted), stored)))
        except GraviteeError as err:
            raise explain_write_error(err, domain, wanted) from None

    outcome = gm.ensure(key="mcp_server", current=current, desired=desired, create=create, update=update,
                        compare=in_sync, predict=target_view)
    result = dict(outcome.result, security_domain=domain_gateway_segment(domain))
    if created.get("secret"):
        result["client_secret"] = created["secret"]
    if secret_changes.any:
        result["changed"] = True
        new_secret = apply_secret_changes(gm, client, current, secret_changes)
        if new_secret:
            result["client_secret"] = new_secret
    return result


def main():
    gm = GraviteeModule(ARGUMENT_SPEC, products=("am",),
                        required_if=[("state", "present", ("name",)), ("update_secret", "always", ("client_secret",))])
    gm.run(run)


if __name__ == "__main__":
    main()
