#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: mcp_probe
short_description: Check an MCP endpoint the way an MCP client (VS Code, the MCP SDK) does
version_added: 0.1.0
description:
  - Talks to an MCP endpoint (typically the APIM gateway URL of an MCP Proxy API) as an MCP client would, and reports
    one result per check with what was expected, what came back and, for a failure, the likely cause in Gravitee
    terms. The task fails when any check fails.
  - With O(expect=open), C(initialize) (then C(notifications/initialized)) and C(tools/list) must work without a
    token.
  - With O(expect=oauth2), the client's discovery is checked step by step - the C(401) challenge, the Protected
    Resource Metadata (RFC 9728), the authorization server metadata with its C(issuer), C(registration_endpoint) and
    PKCE S256 - and a made-up token must be refused. O(register_client) adds a Dynamic Client Registration, and
    O(username)/O(password) an authorization-code + PKCE login, then C(initialize) and C(tools/list) with the token.
  - O(url_forms) checks other URLs of the same endpoint the way the MCP SDK uses them.
  - C(changed) is always V(false). Only the registration creates something (an AM application), deleted at the end
    (RFC 7592). No token, password, client secret or authorization code is ever returned or printed.
author:
  - gravitee_community.mcp contributors (@gravitee-community)
extends_documentation_fragment:
  - gravitee_community.mcp.apim
  - gravitee_community.mcp.am
  - gravitee_community.mcp.connection_common
  - gravitee_community.mcp.attributes
  - gravitee_community.mcp.attributes.gravitee_group
attributes:
  check_mode:
    description: Runs the same checks; the registration's short-lived AM client is deleted again.
    support: full
  diff_mode:
    description: A probe has nothing to compare.
    support: none
options:
  url:
    description:
      - The MCP endpoint as clients are configured with it (the gateway URL plus the API's context path, for example
        C(https://gw.example.com/my-mcp/)). Clients compare it with the C(resource) the endpoint publishes.
    type: str
    required: true
  url_forms:
    description:
      - Other URLs a person may type for the same endpoint, for example O(url) without its trailing slash. Each is
        checked like the MCP Python SDK uses it, as one C(url_form) check - 401 there, resource metadata whose
        C(resource) the SDK accepts for that URL, the same authorization server, and with O(username) a sign-in
        for that C(resource) (AM answers C(invalid_target) unless it is an identifier of the MCP server) and
        C(tools/list) at that URL with the token. For O(expect=oauth2).
    type: list
    elements: str
    default: []
    version_added: 0.2.0
  expect:
    description:
      - V(open) - the endpoint works without a token (a Keyless plan).
      - V(oauth2) - the endpoint is protected the way MCP clients expect (an OAuth2 plan with the AM resource).
    type: str
    choices: [open, oauth2]
    default: oauth2
  checks:
    description:
      - The checks to run and report; they always run in the order of the choices.
      - With O(expect=open) only V(initialize) and V(tools_list) exist (the default).
      - With O(expect=oauth2) the default is every check up to V(bogus_token); O(register_client=true) adds
        V(registration), and O(username)/O(password) add V(registration), V(login), V(initialize) and V(tools_list).
      - A check also runs the checks whose results it needs; when one of those fails, it is reported as failed,
        "not checked", with that cause.
    type: list
    elements: str
    choices: [challenge, resource_metadata, resource, authorization_server, issuer, registration_endpoint, pkce,
              bogus_token, registration, login, initialize, tools_list]
  api_type:
    description:
      - The kind of APIM API behind O(url) (as O(gravitee_community.mcp.apim_api#module:type)), for O(expect=oauth2).
      - V(mcp_proxy) - the 401 must carry a Bearer challenge with C(resource_metadata), as MCP clients need.
      - V(proxy) - a plain HTTP proxy API (APIM Community Edition), whose 401 may carry no challenge (APIM CE 4.10)
        or one without C(resource_metadata). The document is then read at C(<url>/.well-known/oauth-protected-resource),
        whose C(resource) has no trailing slash, so give O(url) without one.
    type: str
    choices: [mcp_proxy, proxy]
    default: mcp_proxy
  register_client:
    description:
      - Also register a public client with Dynamic Client Registration (RFC 7591), as VS Code does (redirecting to
        C(http://127.0.0.1:33418/)), as check V(registration). This creates an application in AM for the run.
    type: bool
    default: false
  client_name:
    description: The C(client_name) of the registered client, so that one left behind can be recognised in AM.
    type: str
    default: gravitee-mcp-probe
  username:
    description:
      - An AM user of the domain. With O(password), the probe signs in through the plain HTML login and consent pages
        (authorization code + PKCE S256, C(resource) = the published resource; no JavaScript, MFA or captcha step).
    type: str
  password:
    description: The password of O(username).
    type: str
  probe_timeout:
    description: Seconds to wait for each answer (not O(timeout), which is for the management APIs).
    type: float
    default: 30
  probe_retries:
    description:
      - How many times the first check (V(challenge), or V(initialize) for O(expect=open)) is run again,
        O(probe_delay) seconds apart, while it fails. A gateway serves a new deployment only after its next sync.
      - Also the budget of each other check for transient failures (a 5xx, a 429, no answer, and a 404 to the RFC
        7592 C(DELETE) while the AM gateway redeploys). Other failures are reported at once. V(0) checks once.
        Not O(retries), which is for the management APIs.
    type: int
    default: 3
  probe_delay:
    description: Seconds between two tries of a check or request (see O(probe_retries)).
    type: float
    default: 2
notes:
  - Needs only C(requests) on the controller. The gateways are reached directly; of the connection options only
    O(validate_certs) and O(ca_path) are used.
  - APIM builds the C(resource) from the request the gateway receives, and AM its C(issuer) from the URL it is
    reached at, so a proxy in front of either shows up as a mismatch.
seealso:
  - module: gravitee_community.mcp.apim_api
  - module: gravitee_community.mcp.am_mcp_server
  - module: gravitee_community.mcp.am_dcr
"""

EXAMPLES = r"""
- name: The open phase works (Keyless plan)
  gravitee_community.mcp.mcp_probe:
    url: https://gw.example.com/my-mcp/
    expect: open

- name: Clients can discover, register and sign in, and the token lists the tools
  gravitee_community.mcp.mcp_probe:
    url: https://gw.example.com/my-mcp/
    url_forms: [https://gw.example.com/my-mcp]
    register_client: true
    username: probe-user
    password: "{{ vault_probe_user_password }}"
    probe_retries: 10
    probe_delay: 3
  register: probe

- name: Only the discovery documents, without failing the play
  gravitee_community.mcp.mcp_probe:
    url: https://gw.example.com/my-mcp/
    checks: [resource_metadata, resource, authorization_server, issuer]
  register: discovery
  ignore_errors: true
"""

RETURN = r"""
ok: {description: Whether every reported check passed., returned: always, type: bool}
msg:
  description: A summary; for a failure, the first failed check with what was expected, what came back and the cause.
  returned: always
  type: str
  sample: All 8 MCP checks passed.
checks:
  description: One entry per requested check, in the order they ran.
  returned: always
  type: list
  elements: dict
  contains:
    name: {description: "The check (C(url_form) for an entry of O(url_forms), named by C(form))", type: str}
    ok: {description: Whether it passed., type: bool}
    expected: {description: What a client needs., type: str, sample: "issuer equal to authorization_servers[0]"}
    got: {description: "What came back (statuses, headers, values; never a secret).", type: str}
    cause: {description: "For a failed check, the likely cause and what to change; V(null) when it passed.", type: str}
    warnings:
      description: Things that work for some clients only. Also shown as task warnings.
      type: list
      elements: str
      returned: when there are some
    attempts:
      description: How many times the check ran.
      type: int
      returned: on the first check, and on a check that was run again
    url:
      description: For V(resource_metadata) and V(authorization_server), where the document was found.
      type: str
      returned: when found
failed_checks: {description: The names of the failed checks., returned: always, type: list, elements: str}
attempts: {description: "How many times the first check ran (see O(probe_retries)).", returned: always, type: int}
tools:
  description: The names of the tools C(tools/list) returned (empty when it did not run).
  returned: always
  type: list
  elements: str
  sample: [echo, add]
server_info:
  description: What the MCP server said about itself in its C(initialize) result.
  returned: when initialize passed
  type: dict
  sample: {name: my-mcp-server, version: 1.0.0, protocol_version: "2025-11-25", session: true}
challenge:
  description: The Bearer challenge of the 401 (C(header), C(scheme), C(params), and C(commas_ok)).
  returned: with expect=oauth2, when the endpoint sent one
  type: dict
resource_metadata:
  description: The Protected Resource Metadata document (RFC 9728) as served.
  returned: when found
  type: dict
  sample: {resource: "https://gw.example.com/my-mcp/", authorization_servers: ["https://am.example.com/mcp/oidc"]}
authorization_server:
  description: The fields of the authorization server metadata clients use, and where it was found (C(metadata_url)).
  returned: when found
  type: dict
  sample: {issuer: "https://am.example.com/mcp/oidc", code_challenge_methods_supported: [plain, S256]}
registration:
  description: The client the probe registered (C(client_id), C(client_name)), if it was C(deleted), how (C(cleanup)).
  returned: when a client was registered
  type: dict
"""

# Ansible modules keep their documentation first, hence the late imports (E402).
from ansible_collections.gravitee_community.mcp.plugins.module_utils.gravitee import GraviteeModule  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.probe.checks import ALL_CHECKS  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.probe.task import run  # noqa: E402

ARGUMENT_SPEC = {
    "url": {"type": "str", "required": True},
    "url_forms": {"type": "list", "elements": "str", "default": []},
    "expect": {"type": "str", "default": "oauth2", "choices": ["open", "oauth2"]},
    "checks": {"type": "list", "elements": "str", "choices": list(ALL_CHECKS)},
    "api_type": {"type": "str", "default": "mcp_proxy", "choices": ["mcp_proxy", "proxy"]},
    "register_client": {"type": "bool", "default": False},
    "client_name": {"type": "str", "default": "gravitee-mcp-probe"},
    "username": {"type": "str"},
    "password": {"type": "str", "no_log": True},
    "probe_timeout": {"type": "float", "default": 30},
    "probe_retries": {"type": "int", "default": 3},
    "probe_delay": {"type": "float", "default": 2},
}


def main():
    GraviteeModule(ARGUMENT_SPEC, products=(), required_together=[("username", "password")]).run(run)


if __name__ == "__main__":
    main()
