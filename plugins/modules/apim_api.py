#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: apim_api
short_description: Manage the Gravitee APIM V4 API that proxies an MCP server
version_added: 0.1.0
description:
  - Creates, updates or deletes a V4 API in Gravitee APIM (management API v2) that proxies an MCP server, with its
    O(plans), and makes the gateway serve it (start and deploy). M(gravitee_community.mcp.apim_plan) manages plans too.
  - The API is found by its exact O(name) and O(type), also one made in the APIM Console. Names are not unique in
    APIM; when several APIs share the name the task fails listing their ids, and O(api_id) pins one.
  - An update changes only the fields this module manages and writes the whole definition back, so flows,
    properties, other resources and anything else set in the Console are kept.
  - The desired state is compared as a subset of what APIM holds (APIM adds defaults), so a rerun sends no write.
author:
  - gravitee_community.mcp contributors (@gravitee-community)
extends_documentation_fragment:
  - gravitee_community.mcp.apim
  - gravitee_community.mcp.am
  - gravitee_community.mcp.connection_common
  - gravitee_community.mcp.attributes
  - gravitee_community.mcp.attributes.apim_group
  - gravitee_community.mcp.apim_plan_options.plans
options:
  name:
    description: Name of the API; with O(type) its identity, unless O(api_id) is set (then the API is renamed).
    type: str
    required: true
  api_id:
    description:
      - Id of the API to manage, when several APIs share O(name) or to rename one.
      - With O(state=present) an unknown id is an error; otherwise it means there is nothing to do.
    type: str
  state:
    description:
      - V(present) creates or updates the API; V(absent) stops it if it runs, closes its plans and deletes it.
      - V(stopped) only stops a running API and withdraws a pending start, so that the gateway serves it no more
        (for example to close an API open to anyone). O(state=present) with O(deployed=true) starts it again.
    type: str
    choices: [present, absent, stopped]
    default: present
  type:
    description:
      - V(mcp_proxy) creates an C(MCP_PROXY) API (APIM 4.10 or later, Enterprise C(mcp-proxy) plugin), which gets
        the MCP-specific OAuth2 behaviour (C(resource_metadata) in C(WWW-Authenticate), no subscription needed).
      - V(proxy) creates a plain HTTP proxy (C(PROXY)) API, for APIM before 4.10 or the Community Edition.
      - The type of an existing API cannot be changed.
    type: str
    choices: [mcp_proxy, proxy]
    default: mcp_proxy
  context_path:
    description:
      - Path of the API on the gateway (the first path of its HTTP listener), for example V(/mcp-proxy); APIM
        stores it as V(/mcp-proxy/). Lower case only, because AM stores an MCP server's resource identifier in
        lower case and the gateway matches paths case-sensitively.
      - Must neither be a prefix of another API's path nor start with one; the task fails naming that API.
      - Required with O(state=present).
    type: str
  upstream_url:
    description:
      - URL of the MCP server, for example V(http://mcp-server:3001/mcp) - the target of the first endpoint of the
        API's first C(mcp-proxy) (or C(http-proxy)) endpoint group. Required with O(state=present).
    type: str
  description:
    description: Description of the API. Not changed when not set.
    type: str
  api_version:
    description: Version label of the API (C(apiVersion)).
    type: str
    default: "1.0"
  labels:
    description: Labels of the API (order does not matter). Not changed when not set; V([]) removes them all.
    type: list
    elements: str
  resources:
    description:
      - Resources of the API, merged by name with those it has, for example the C(oauth2-am-resource) that an
        OAuth2 plan uses. Not changed when not set.
      - Within a resource's configuration only the keys given are managed; keys APIM or the Console set are kept.
      - Values of secret keys (C(clientSecret), C(password), any key ending in C(secret), C(password) or
        C(token)) are hidden in the output, the diff and the logs.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the resource; plans refer to it by this name.
        type: str
        required: true
      type:
        description: Plugin id of the resource, for example V(oauth2-am-resource).
        type: str
        required: true
      configuration:
        description:
          - Configuration of the resource plugin. For V(oauth2-am-resource) - C(serverURL) (the AM gateway),
            C(securityDomain), C(clientId), C(clientSecret), C(version) (V(V3_X) for AM 3 and later), C(userClaim).
        type: dict
        required: true
      enabled:
        description: Whether the resource is enabled. APIM enables new resources when not set.
        type: bool
  purge_resources:
    description: Remove the resources not listed in O(resources) (O(resources=[]) removes them all).
    type: bool
    default: false
  deployed:
    description:
      - V(true) makes the gateway serve the API as defined - a stopped API is started, and the API is deployed when
        APIM reports C(NEED_REDEPLOY) or this task changed it.
      - APIM starts an API only when it has a published plan (give one in O(plans)). Without one the task warns
        and records on the API that its start is pending (RV(api.start_pending)); M(gravitee_community.mcp.apim_plan)
        starts the API when it publishes a plan, so this task followed by an apim_plan task serves it in one run.
      - V(false) neither starts, stops nor deploys the API, and withdraws a pending start.
    type: bool
    default: true
  gateway_url:
    description: Public base URL of the APIM gateway; when set, RV(api.entrypoint_url) is the URL for MCP clients.
    type: str
  known_api:
    description:
      - The API and its plans as an earlier task of this run left them - its RV(known_api) result, or the one of
        M(gravitee_community.mcp.preflight) with C(return_known_state) - so that a task with nothing to change
        sends no request; V({}) knows nothing yet but asks for RV(known_api).
      - Only used to decide. A task that changes the API reads it again and writes from that read; one that creates
        or updates a plan reads the plans again. An API known to be absent is created without another search (APIM
        refuses a second API on the same context path).
      - With O(state=stopped), an API known to run is stopped without being read first. Not used with
        O(state=absent).
      - Another API than this task's (O(api_id), else O(name)) is an error, before any request.
    type: dict
seealso: [{module: gravitee_community.mcp.apim_plan}]
"""

EXAMPLES = r"""
- name: Put the MCP server behind APIM with its OAuth2 plan and the AM resource that plan uses (started in one task)
  gravitee_community.mcp.apim_api:
    apim_url: https://apim.example.com
    apim_token: "{{ apim_pat }}"
    name: API MCP Proxy
    type: mcp_proxy  # proxy before APIM 4.10 or on the Community Edition
    context_path: /mcp-proxy
    upstream_url: http://mcp-server:3001/mcp
    gateway_url: https://gateway.example.com
    resources:
      - name: AM OAuth2 Resource
        type: oauth2-am-resource
        configuration: {serverURL: "https://am-gateway.example.com", securityDomain: my-domain, version: V3_X,
                        clientId: "{{ mcp_server.client_id }}", clientSecret: "{{ mcp_server.client_secret }}"}
    plans:
      - {name: OAuth2, security: oauth2, oauth2: {resource: AM OAuth2 Resource}}
  register: mcp_api

- name: Remove one of two APIs with the same name (stops it and closes its plans first)
  gravitee_community.mcp.apim_api:
    name: API MCP Proxy
    api_id: 6d0e9b7c-2f3a-4b8e-8e9b-7c2f3a4b8e8e
    state: absent
"""

RETURN = r"""
api:
  description: The API after the task (predicted in check mode), secrets masked; V(null) once absent.
  returned: always
  type: dict
  contains:
    id:
      description: Id of the API; V(null) in check mode when the API would be created.
      type: str
    name: {description: "Name of the API.", type: str}
    type: {description: "Type of the API, as in O(type).", type: str, sample: mcp_proxy}
    context_path: {description: "Context path as APIM stores it.", type: str, sample: /mcp-proxy/}
    upstream_url: {description: "Target of the MCP server.", type: str}
    description: {description: "Description of the API.", type: str}
    api_version: {description: "Version label of the API.", type: str}
    labels: {description: "Labels of the API.", type: list, elements: str}
    resources:
      description: Every resource of the API (also those the task does not manage), secret values masked.
      type: list
      elements: dict
    state: {description: "Runtime state - C(STARTED) or C(STOPPED).", type: str}
    start_pending:
      description: The API waits for a published plan to be started by M(gravitee_community.mcp.apim_plan).
      type: bool
    deployment_state:
      description: C(DEPLOYED) when the gateway serves the current definition, else C(NEED_REDEPLOY).
      type: str
    entrypoint_url:
      description: O(gateway_url) plus the context path; only when O(gateway_url) is set.
      type: str
      sample: https://gateway.example.com/mcp-proxy/
    plans:
      description:
        - Every plan of the API in every status after the task (predicted in check mode); tells, for example,
          whether it already has a published OAuth2 plan. With O(plans) also the security C(configuration).
      type: list
      elements: dict
      contains:
        id: {description: "Id of the plan; V(null) in check mode for a plan to create.", type: str}
        name: {description: "Name of the plan.", type: str}
        security: {description: "V(keyless) or V(oauth2) (else APIM's type in lower case).", type: str}
        status: {description: "C(STAGING), C(PUBLISHED), C(DEPRECATED) or C(CLOSED).", type: str}
known_api:
  description:
    - The API (the fields the module decides from, without secret values) and its plans as the task leaves them,
      for the O(known_api) of the next task on this API.
  returned: when O(known_api) is set, except in check mode
  type: dict
deployment:
  description: What the task did to make the gateway serve the API (predicted in check mode).
  returned: when O(state=present)
  type: dict
  contains:
    started: {description: "Whether the API was started.", type: bool}
    deployed:
      description: Whether a deployment was requested. The first start of an API deploys it without one.
      type: bool
    blocked:
      description: Why the API could not be started or deployed although O(deployed=true), else V(null).
      type: str
diff:
  description: The managed view of the API (with O(plans) also its plans) before and after the task (secrets
    masked); shown with C(--diff).
  returned: always
  type: dict
"""

from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.api import API_TYPES  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.api_flow import ensure_api  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.plan_model import PLAN_ARGUMENT_SPEC  # noqa
from ansible_collections.gravitee_community.mcp.plugins.module_utils.gravitee import GraviteeModule  # noqa: E402

ARGUMENT_SPEC = {
    "name": {"type": "str", "required": True},
    "api_id": {"type": "str"},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent", "stopped"]},
    "type": {"type": "str", "default": "mcp_proxy", "choices": list(API_TYPES)},
    "context_path": {"type": "str"},
    "upstream_url": {"type": "str"},
    "description": {"type": "str"},
    "api_version": {"type": "str", "default": "1.0"},
    "labels": {"type": "list", "elements": "str"},
    "resources": {"type": "list", "elements": "dict", "options": {
        "name": {"type": "str", "required": True},
        "type": {"type": "str", "required": True},
        "configuration": {"type": "dict", "required": True},
        "enabled": {"type": "bool"},
    }},
    "purge_resources": {"type": "bool", "default": False},
    "deployed": {"type": "bool", "default": True},
    "gateway_url": {"type": "str"},
    "plans": {"type": "list", "elements": "dict", "options": PLAN_ARGUMENT_SPEC},
    "known_api": {"type": "dict"},
}


def main():
    GraviteeModule(ARGUMENT_SPEC, products=("apim",),
                   required_if=[("state", "present", ("context_path", "upstream_url")),
                                ("purge_resources", True, ("resources",))]).run(ensure_api)


if __name__ == "__main__":
    main()
