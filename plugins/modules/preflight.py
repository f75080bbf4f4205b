#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: preflight
short_description: Check, without changing anything, that an MCP server can be secured with Gravitee APIM and AM
version_added: 0.2.0
description:
  - Read-only checks to run before the first write of a playbook that secures an MCP server (the
    C(gravitee_community.mcp.secure_mcp) role runs it first), so that a run which cannot finish changes nothing
    and never leaves an MCP server open.
  - V(apim) - the APIM login and environment. V(am) - the AM login, the security domain (exists, enabled) and
    MCP server support (AM 4.10+). V(context_path) - the context path is free, or already used by this API only.
  - V(secret) - the secret plan for the credentials of the API's AM resource (RV(secret)), checked against
    AM with token introspection on the AM gateway, a call that changes nothing (HTTP Basic with the client's
    credentials; 200 means accepted, 401 rejected). A supplied O(client_secret) that AM rejects fails the task;
    a stored secret that AM rejects (renewed elsewhere, or lost to a concurrent run) leads to plan V(renew) on
    AM 4.11+ and fails clearly on AM 4.10.
  - Runs the same in check mode. C(changed) is always V(false).
author:
  - gravitee_community.mcp contributors (@gravitee-community)
extends_documentation_fragment:
  - gravitee_community.mcp.apim
  - gravitee_community.mcp.am
  - gravitee_community.mcp.connection_common
  - gravitee_community.mcp.attributes
  - gravitee_community.mcp.attributes.gravitee_group
  - gravitee_community.mcp.am_domain
attributes:
  check_mode:
    description: Runs the same checks in check mode; they change nothing.
    support: full
  diff_mode:
    description: Nothing to compare; no C(diff) is returned.
    support: none
options:
  api_name:
    description: Name of the APIM API in front of the MCP server (it may not exist yet).
    type: str
    required: true
  api_type:
    description: Type of that API, as in M(gravitee_community.mcp.apim_api).
    type: str
    choices: [mcp_proxy, proxy]
    default: mcp_proxy
  context_path:
    description: The API's context path; required with the V(context_path) check.
    type: str
  resource_identifier:
    description: The MCP URL clients use, which identifies the MCP server in AM.
    type: str
    required: true
  resource_name:
    description: Name of the API's C(oauth2-am-resource) resource holding the MCP server's credentials.
    type: str
    default: AM OAuth2 Resource
  am_gateway_url:
    description:
      - Base URL of the AM gateway as the controller reaches it, for the secret check. Not set - the
        E(GRAVITEE_AM_GATEWAY_URL) environment variable.
      - Required with the V(secret) check.
    type: str
  client_id:
    description: The MCP server's client id, when the user chose it; must match the existing server's.
    type: str
  client_secret:
    description: A secret supplied by the user (at least 8 characters); checked against AM when the MCP server
      exists.
    type: str
  rotate_secret:
    description: The secret is to be renewed on purpose (needs AM 4.11+ when the MCP server exists).
    type: bool
    default: false
  secret_recovery:
    description:
      - What to plan when AM cannot show the server's secret and the API does not hold a working one.
      - V(rotate) plans a renewal (AM 4.11+). V(fail) fails with the choices.
    type: str
    choices: [rotate, fail]
    default: rotate
  checks:
    description: The checks to run; see the description.
    type: list
    elements: str
    choices: [apim, am, context_path, secret]
    default: [apim, am, context_path, secret]
  wait:
    description:
      - Poll while AM rejects the stored secret, up to O(wait_attempts) times O(wait_delay) seconds, because the AM
        gateway learns about a new secret at its next sync. For a check right after writing a secret.
    type: bool
    default: false
  wait_attempts:
    description: How many times to ask AM with O(wait=true).
    type: int
    default: 10
  wait_delay:
    description: Seconds between two tries with O(wait=true).
    type: float
    default: 2.0
  return_am_access_token:
    description:
      - Return the AM management token this task logged in for with O(am_username) / O(am_password), as
        RV(am_access_token), so that the play's later AM tasks get it as O(am_access_token) and do not log in
        again. Nothing is returned when O(am_token) or O(am_access_token) is set (the play has a token already).
      - 'The result then holds a credential: set C(no_log: true) on the task.'
    type: bool
    default: false
    version_added: 0.2.0
  api_id:
    description: Id of the API, when known; it is then read by id rather than found by O(api_name).
    type: str
    version_added: 0.2.0
  known_domain:
    description:
      - The AM domain as an earlier task of this run read it (the RV(known_domain) of an earlier preflight), taken
        instead of a read. It must be the enabled domain O(domain) names, with an id; otherwise the task fails
        before any request, naming this option.
    type: dict
    version_added: 0.2.0
  return_known_state:
    description:
      - Also return what the checks read, for the next tasks to start from - RV(known_api) for the
        O(gravitee_community.mcp.apim_api#module:known_api) of M(gravitee_community.mcp.apim_api) (one more request,
        the API's plans) and RV(known_domain).
    type: bool
    default: false
    version_added: 0.2.0
"""

EXAMPLES = r"""
- name: Check everything before securing the MCP server
  gravitee_community.mcp.preflight:
    api_name: API MCP Proxy
    context_path: /mcp-proxy
    domain: mcp-domain
    resource_identifier: https://gw.example.com/mcp-proxy/
    am_gateway_url: https://am-gw.example.com
  register: checked

- name: Check everything, and log in to AM once for the whole play
  gravitee_community.mcp.preflight:
    api_name: API MCP Proxy
    context_path: /mcp-proxy
    domain: mcp-domain
    resource_identifier: https://gw.example.com/mcp-proxy/
    am_gateway_url: https://am-gw.example.com
    return_am_access_token: true
  register: checked
  no_log: true  # the result holds the AM token

- name: The next AM task uses that token and the domain id instead of logging in and looking the domain up
  gravitee_community.mcp.am_mcp_server:
    am_access_token: "{{ checked.am_access_token | default(omit) }}"
    domain: mcp-domain
    domain_id: "{{ checked.am.domain.id }}"
    name: My MCP server
    resource_identifier: [https://gw.example.com/mcp-proxy/]
  register: server
  no_log: true  # the result holds the client secret of a new server

- name: After writing the secret to the API, wait until AM accepts it
  gravitee_community.mcp.preflight:
    api_name: API MCP Proxy
    domain: mcp-domain
    resource_identifier: https://gw.example.com/mcp-proxy/
    am_gateway_url: https://am-gw.example.com
    checks: [secret]
    wait: true
"""

RETURN = r"""
apim:
  description: The APIM environment (with the V(apim) check).
  returned: with the apim check
  type: dict
  sample: {"environment": {"id": "DEFAULT", "name": "Default environment"}}
api:
  description: Whether the API exists, its id and state.
  returned: with the apim, context_path or secret check
  type: dict
  sample: {"exists": true, "id": "8f0c...", "state": "STARTED"}
am:
  description: The AM domain and what this AM can do.
  returned: with the am or secret check
  type: dict
  sample: {"domain": {"id": "d1", "hrid": "mcp-domain", "enabled": true}, "security_domain": "mcp-domain"}
mcp_server:
  description: Whether the AM MCP server for O(resource_identifier) exists, its id and client id.
  returned: with the am or secret check
  type: dict
  sample: {"exists": true, "id": "r1", "client_id": "c1"}
secret:
  description:
    - C(plan) - V(create), V(supplied), V(keep) or V(renew); C(stored) - V(accepted), V(rejected), V(missing),
      V(other_client) or V(not_checked); C(why) - the reason in words. Never the secret itself.
  returned: with the secret check
  type: dict
  sample: {"plan": "keep", "stored": "accepted", "why": "the API's resource holds a secret AM accepts"}
am_access_token:
  description: The AM management token the task logged in for, to hand on as O(am_access_token). A credential.
  returned: with O(return_am_access_token=true), when the task logged in with O(am_username) / O(am_password)
  type: str
  version_added: 0.2.0
known_api:
  description: The API (the fields apim_api decides from, without secret values, V(null) when it does not exist) and
    its plans, for the O(gravitee_community.mcp.apim_api#module:known_api) of the next apim_api task.
  returned: with O(return_known_state=true) and the apim, context_path or secret check
  type: dict
  version_added: 0.2.0
known_domain:
  description: The AM domain as read, for the C(known_domain) of the next am_dcr or am_registration task.
  returned: with O(return_known_state=true) and the am or secret check
  type: dict
  version_added: 0.2.0
"""

from ansible.module_utils.basic import env_fallback  # noqa: E402

from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.api import API_TYPES  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.gravitee import GraviteeModule  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.preflight.checks import CHECKS  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.preflight.flow import run  # noqa: E402

ARGUMENT_SPEC = {
    "api_name": {"type": "str", "required": True},
    "api_type": {"type": "str", "default": "mcp_proxy", "choices": list(API_TYPES)},
    "context_path": {"type": "str"},
    "domain": {"type": "str", "required": True},
    "resource_identifier": {"type": "str", "required": True},
    "resource_name": {"type": "str", "default": "AM OAuth2 Resource"},
    "am_gateway_url": {"type": "str", "fallback": (env_fallback, ["GRAVITEE_AM_GATEWAY_URL"])},
    "client_id": {"type": "str"},
    "client_secret": {"type": "str", "no_log": True},
    "rotate_secret": {"type": "bool", "default": False},
    "secret_recovery": {"type": "str", "default": "rotate", "choices": ["rotate", "fail"]},
    "checks": {"type": "list", "elements": "str", "default": list(CHECKS), "choices": list(CHECKS)},
    "wait": {"type": "bool", "default": False},
    "wait_attempts": {"type": "int", "default": 10},
    "wait_delay": {"type": "float", "default": 2.0},
    "return_am_access_token": {"type": "bool", "default": False},
    "api_id": {"type": "str"},
    "known_domain": {"type": "dict", "no_log": False},
    "return_known_state": {"type": "bool", "default": False},
}


def main():
    GraviteeModule(ARGUMENT_SPEC, products=("apim", "am")).run(run)


if __name__ == "__main__":
    main()
