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
  - Talks to an MCP endpoint (typically the Gravitee APIM gateway URL of an MCP Proxy API) from the Ansible
    controller, exactly as an MCP client would, and reports one result per check with what was expected, what came
    back and, for a failed check, the likely cause in Gravitee terms.
  - With O(expect=open), C(initialize) (then C(notifications/initialized) with the session id) and C(tools/list)
    must work without a token.
  - With O(expect=oauth2), the client's discovery is checked step by step - the C(401) challenge and its
    C(resource_metadata), the Protected Resource Metadata (RFC 9728) and its C(resource), the authorization server
    metadata found through the three discovery URLs clients try and its C(issuer), C(registration_endpoint) and PKCE
    S256 - and a made-up token must be refused. O(register_client) adds a Dynamic Client Registration, and
    O(username)/O(password) a full authorization-code + PKCE login through the AM login page (filled in over HTTP)
    followed by C(initialize) and C(tools/list) with the token.
  - The task fails when any check fails; C(msg) then says which one, and the first failure in full.
  - Read-only for Gravitee, C(changed) is always V(false). The one exception is the registration (O(register_client),
    or the login, which needs a client), which creates an application in AM. The probe deletes it at the end with the
    RFC 7592 registration access token AM returns; when the server gives none, the client (named O(client_name)) is
    left behind and the task warns.
  - No token, password, client secret or authorization code is ever returned or printed.
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
    description: Runs the same checks in check mode; they change nothing, except the short-lived AM client of
      the registration, which is deleted again.
    support: full
  diff_mode:
    description: A probe has nothing to compare; no C(diff) is returned.
    support: none
options:
  url:
    description:
      - The MCP endpoint, exactly as clients are configured with it (for Gravitee, the gateway URL plus the API's
        context path, for example C(https://gw.example.com/my-mcp/)).
      - Clients compare it exactly with the C(resource) the endpoint publishes, so a trailing slash, the host name
        and the scheme matter.
    type: str
    required: true
  expect:
    description:
      - V(open) - the endpoint works without a token (a Keyless plan).
      - V(oauth2) - the endpoint is protected the way MCP clients expect (an OAuth2 plan with the AM resource).
    type: str
    choices: [open, oauth2]
    default: oauth2
  checks:
    description:
      - The checks to run and report, among V(challenge), V(resource_metadata), V(resource),
        V(authorization_server), V(issuer), V(registration_endpoint), V(pkce), V(bogus_token), V(registration),
        V(login), V(initialize) and V(tools_list). They always run in that order.
      - With O(expect=open) only V(initialize) and V(tools_list) exist (the default).
      - With O(expect=oauth2) the default is every check up to V(bogus_token); O(register_client=true) adds
        V(registration), and O(username)/O(password) add V(registration), V(login), V(initialize) and V(tools_list)
        (which then use the token).
      - A check also runs the checks whose results it needs (for example V(issuer) needs the metadata); when one of
        those fails it is reported as failed, "not checked", with that cause.
    type: list
    elements: str
    choices: [challenge, resource_metadata, resource, authorization_server, issuer, registration_endpoint, pkce,
              bogus_token, registration, login, initialize, tools_list]
  api_type:
    description:
      - The kind of APIM API behind O(url), as O(gravitee_community.mcp.apim_api#module:type) creates it; used with
        O(expect=oauth2).
      - V(mcp_proxy) - an MCP Proxy API. The 401 must carry a Bearer challenge with C(resource_metadata), as MCP
        clients need.
      - V(proxy) - a plain HTTP proxy API (APIM Community Edition). Its 401 may carry no C(WWW-Authenticate) at
        all (APIM CE 4.10 sends none), or a Bearer challenge without C(resource_metadata). Check V(challenge) then
        only needs the 401 (with a warning), and V(resource_metadata) also reads the document where the OAuth2
        plan serves it for such an API, C(<url>/.well-known/oauth-protected-resource). The document's C(resource)
        has no trailing slash, so give O(url) without one.
    type: str
    choices: [mcp_proxy, proxy]
    default: mcp_proxy
  register_client:
    description:
      - Also register a client with Dynamic Client Registration (RFC 7591), with the request VS Code sends (a public
        client redirecting to C(http://127.0.0.1:33418/)), as check V(registration).
      - This creates an application in AM; see the description for its cleanup.
    type: bool
    default: false
  client_name:
    description:
      - The C(client_name) of the registered client, so that one left behind can be recognised in AM.
    type: str
    default: gravitee-mcp-probe
  username:
    description:
      - An AM user of the domain. With O(password), the probe signs in through the authorization server's login page
        (authorization code + PKCE S256, C(resource) = the published resource), accepts the consent page, exchanges
        the code for a token and calls C(initialize) and C(tools/list) through the gateway with it.
      - Only plain HTML login forms can be filled in (no JavaScript, MFA or captcha step).
    type: str
  password:
    description:
      - The password of O(username).
    type: str
  delay:
    description:
      - Seconds between two tries of a check or request (see O(retries)).
    type: float
    default: 2
  timeout:
    description:
      - Seconds to wait for each answer (connection and every read).
  retries:
    description:
      - How many times the first check (V(challenge) for O(expect=oauth2), V(initialize) for O(expect=open)) is run
        again, O(delay) seconds apart, while it fails. A gateway serves a new deployment only after its next sync, and
        answers 404 or with the previous deployment until then.
      - Every other network step (discovery documents, authorization server metadata, registration, login pages,
        token request, C(initialize), C(tools/list)) is tried again, up to O(retries) times per check and O(delay)
        seconds apart, when it meets a transient failure - a 5xx, a 429 or no answer - as AM and APIM gateways give
        while they start or redeploy (the AM login answers 500 for a moment after each change of the domain). A
        read is sent again on its own; a check that writes (registration, login) is run again whole. Other
        failures (a 4xx, a wrong document) are reported at once.
      - The RFC 7592 C(DELETE) of the registered client is tried again the same way, also on 404 (what the AM
        gateway answers for a just-registered client while it redeploys the domain).
      - V(0) checks once.
notes:
  - Needs only the Python library C(requests) on the controller. The gateway and the AM gateway are reached
    directly; the APIM and AM connection options are accepted (so that one C(module_defaults) group serves every
    module of the collection) but not used.
  - The likely causes come from what Gravitee does - for example, APIM builds the C(resource) from the request the
    gateway receives, and AM its C(issuer) from the URL it is reached at - so a proxy in front of either shows up
    as a mismatch.
seealso:
  - module: gravitee_community.mcp.apim_api
  - module: gravitee_community.mcp.apim_plan
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
    expect: oauth2
    register_client: true
    username: probe-user
    password: "{{ vault_probe_user_password }}"
    retries: 10
    delay: 3
  register: probe

- name: Show what a client would see
  ansible.builtin.debug:
    msg: "{{ probe.tools }}"

- name: Only the discovery documents, without failing the play
  gravitee_community.mcp.mcp_probe:
    url: https://gw.example.com/my-mcp/
    checks: [resource_metadata, resource, authorization_server, issuer]
  register: discovery
  ignore_errors: true
"""

RETURN = r"""
ok:
  description: Whether every reported check passed.
  returned: always
  type: bool
  sample: true
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
    name:
      description: The check.
      type: str
      sample: issuer
    ok:
      description: Whether it passed.
      type: bool
      sample: false
    expected:
      description: What a client needs.
      type: str
      sample: issuer equal to authorization_servers[0] https://am.example.com/mcp/oidc, exactly
    got:
      description: What came back (statuses, headers, values; never a secret).
      type: str
      sample: https://am-internal:8092/mcp/oidc
    cause:
      description: For a failed check, the likely cause and what to change; V(null) when it passed.
      type: str
      sample: "The issuer differs from authorization_servers[0]: host (am-internal instead of am.example.com). ..."
    warnings:
      description: Things that work for some clients only (for example auth-params without commas). Also shown as
        task warnings.
      type: list
      elements: str
      returned: when there are some
    attempts:
      description: For the first check, how many times it ran.
      type: int
      returned: on the first check
    url:
      description: For V(resource_metadata) and V(authorization_server), where the document was found.
      type: str
      returned: when found
  sample:
    - {name: challenge, ok: true, cause: null, attempts: 1,
       expected: "401 with WWW-Authenticate: Bearer resource_metadata=...",
       got: '401 with WWW-Authenticate: Bearer resource_metadata="https://gw.example.com/.well-known/oauth-protected-resource/my-mcp/"'}
failed_checks:
  description: The names of the failed checks.
  returned: always
  type: list
  elements: str
  sample: [issuer]
attempts:
  description: How many times the first check ran (see O(retries)).
  returned: always
  type: int
  sample: 1
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
  description: The Bearer challenge of the 401 (raw header, scheme, auth-params, and whether they were separated by
    commas).
  returned: with expect=oauth2, when the endpoint sent one
  type: dict
  sample:
    header: Bearer resource_metadata="https://gw.example.com/.well-known/oauth-protected-resource/my-mcp/"
    scheme: Bearer
    params: {resource_metadata: "https://gw.example.com/.well-known/oauth-protected-resource/my-mcp/"}
    commas_ok: true
resource_metadata:
  description: The Protected Resource Metadata document (RFC 9728) as served.
  returned: when found
  type: dict
  sample: {resource: "https://gw.example.com/my-mcp/", authorization_servers: ["https://am.example.com/mcp/oidc"],
           scopes_supported: [openid]}
authorization_server:
  description: The fields of the authorization server metadata clients use, and where it was found.
  returned: when found
  type: dict
  sample: {metadata_url: "https://am.example.com/mcp/oidc/.well-known/openid-configuration",
           issuer: "https://am.example.com/mcp/oidc", registration_endpoint: "https://am.example.com/mcp/oidc/register",
           code_challenge_methods_supported: [plain, S256]}
registration:
  description: The client the probe registered, and whether it was deleted again.
  returned: when a client was registered
  type: dict
  sample: {client_id: 6f1c0b7e-probe, client_name: gravitee-mcp-probe, deleted: true,
           cleanup: "deleted with RFC 7592 (DELETE https://am.example.com/mcp/oidc/register/6f1c0b7e-probe)"}
"""

# Ansible modules keep their documentation first, hence the late imports (E402).
from urllib.parse import urlsplit  # noqa: E402

from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import (  # noqa: E402
    KIND_USAGE,
    GraviteeError,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.gravitee import GraviteeModule  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.probe.checks import (  # noqa: E402
    ALL_CHECKS,
    requested_checks,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.probe.http import ProbeHttp  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.probe.probe import (  # noqa: E402
    Probe,
    ProbeState,
)

COLLECTION_VERSION = "0.1.0"

ARGUMENT_SPEC = {
    "url": {"type": "str", "required": True},
    "expect": {"type": "str", "default": "oauth2", "choices": ["open", "oauth2"]},
    "checks": {"type": "list", "elements": "str", "choices": list(ALL_CHECKS)},
    "register_client": {"type": "bool", "default": False},
    "client_name": {"type": "str", "default": "gravitee-mcp-probe"},
    "username": {"type": "str"},
    "password": {"type": "str", "no_log": True},
    "delay": {"type": "float", "default": 2},
    "api_type": {"type": "str", "default": "mcp_proxy", "choices": ["mcp_proxy", "proxy"]},
}


def _usage(message):
    return GraviteeError(message, kind=KIND_USAGE)


def validate(params):
    """The checks to run, or a usage error naming the option and the fix."""
    parts = urlsplit(params["url"] or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _usage("url must be the absolute http:// or https:// URL of the MCP endpoint, as clients use it; got %r."
                     % params["url"])
    if params["timeout"] is None or params["timeout"] <= 0:
        raise _usage("timeout must be a positive number of seconds, got %s." % params["timeout"])
    if params["retries"] is None or params["retries"] < 0:
        raise _usage("retries must be 0 or more, got %s." % params["retries"])
    if params["delay"] is None or params["delay"] < 0:
        raise _usage("delay must be 0 or more seconds, got %s." % params["delay"])
    if not (params["client_name"] or "").strip():
        raise _usage("client_name must not be empty: it is how a client the probe registered is recognised in AM.")
    try:
        return requested_checks(params["expect"], params["checks"], params["register_client"],
                                bool(params["username"]))
    except ValueError as err:
        raise _usage(str(err)) from None


def run(gm):
    params = gm.params
    requested = validate(params)
    http = ProbeHttp(timeout=params["timeout"], validate_certs=params["validate_certs"], ca_path=params["ca_path"])
    state = ProbeState(http, params["url"], username=params["username"], password=params["password"],
                       client_name=params["client_name"].strip(), client_version=COLLECTION_VERSION,
                       secret=gm.register_no_log, api_type=params["api_type"])
    probe = Probe(state, expect=params["expect"], requested=requested, retries=params["retries"],
                  delay=params["delay"])
    result = probe.run()
    for warning in probe.warnings():
        gm.module.warn(warning)
    if not result["ok"]:
        # Every secret met during the run was registered as a no_log value: Ansible masks it in the result.
        gm.module.fail_json(**result)
    return result


def main():
    GraviteeModule(ARGUMENT_SPEC, products=(), required_together=[("username", "password")]).run(run)


if __name__ == "__main__":
    main()
