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
  - Creates, updates or deletes a V4 API in Gravitee APIM (management API v2) that proxies an MCP server, and
    makes the gateway serve it (start and deploy).
  - The API is found by its exact O(name) and O(type); API names are not unique in APIM, so when several APIs
    share the name the task fails listing their ids and O(api_id) must pin the one to manage. An API made in the
    APIM Console is adopted the same way.
  - An update reads the API, changes only the fields this module manages (name, version, description, labels,
    context path, upstream URL, the listed resources) and writes the whole definition back, so flows, properties,
    other resources, response templates and anything else set in the Console are kept.
  - The desired state is compared as a subset of what APIM holds, because APIM adds defaults to plugin
    configurations and normalises the context path to end with C(/). A second run changes nothing and sends no
    write request.
  - Plans are managed with M(gravitee_community.mcp.apim_plan).
author:
  - gravitee_community.mcp contributors (@gravitee-community)
extends_documentation_fragment:
  - gravitee_community.mcp.apim
  - gravitee_community.mcp.am
  - gravitee_community.mcp.connection_common
  - gravitee_community.mcp.attributes
  - gravitee_community.mcp.attributes.apim_group
options:
  name:
    description:
      - Name of the API; with O(type), its identity when O(api_id) is not set.
      - With O(api_id), the API is renamed to O(name) if its name differs.
    type: str
    required: true
  api_id:
    description:
      - Id of an existing API to manage, when several APIs share O(name) or to rename an API.
      - With O(state=present) an unknown id is an error; with O(state=absent) it means there is nothing to do.
    type: str
  state:
    description:
      - V(present) creates or updates the API; V(absent) stops it if it runs, closes its plans and deletes it.
      - V(stopped) stops the API if it runs and changes nothing else, so that the gateway serves it no more (for
        example to close an API that is open to anyone); a missing API is left missing. O(state=present) with
        O(deployed=true) starts it again.
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
      - Path of the API on the gateway, for example V(/mcp-proxy). APIM stores it with a leading and a trailing
        C(/) (V(/mcp-proxy/)); both spellings mean the same.
      - Must not be a prefix of the path of another API, nor start with one; the task fails naming that API.
      - Sets the first path of the API's HTTP listener; other paths added in the Console are kept.
      - Lower case only, the task fails otherwise. The gateway matches paths case-sensitively and AM stores an
        MCP server's resource identifier in lower case.
      - Required with O(state=present).
    type: str
  upstream_url:
    description:
      - URL of the MCP server the gateway forwards to (the endpoint's C(target)), for example
        V(http://mcp-server:3001/mcp).
      - Sets the target of the first endpoint of the API's first C(mcp-proxy) (or C(http-proxy)) endpoint group.
      - Required with O(state=present).
    type: str
  description:
    description:
      - Description of the API. Not changed when not set.
    type: str
  api_version:
    description:
      - Version label of the API (C(apiVersion)).
    type: str
    default: "1.0"
  labels:
    description:
      - Labels of the API (order does not matter). Not changed when not set; V([]) removes them all.
    type: list
    elements: str
  resources:
    description:
      - Resources of the API, merged by O(resources[].name) with those it has, for example the
        C(oauth2-am-resource) ("Gravitee.io AM Authorization Server") that an OAuth2 plan uses.
      - Listed resources are added or updated; the others are kept unless O(purge_resources=true).
      - Within a resource's O(resources[].configuration) only the keys given are managed; keys APIM adds as
        defaults or a user set in the Console are kept.
      - Values of secret keys (C(clientSecret), C(password), any key ending in C(secret), C(password) or
        C(token)) are hidden in the task output, the diff and the logs. APIM returns them in clear text to
        administrators, so they are compared like any other value.
      - Not changed when not set.
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
            C(securityDomain) (the domain's path segment), C(clientId), C(clientSecret), C(version) (V(V3_X) for
            AM 3 and later) and optionally C(userClaim).
        type: dict
        required: true
      enabled:
        description: Whether the resource is enabled. APIM enables new resources when not set.
        type: bool
  purge_resources:
    description:
      - Remove the API's resources that are not listed in O(resources).
      - Needs O(resources); O(resources=[]) with O(purge_resources=true) removes every resource.
    type: bool
    default: false
  deployed:
    description:
      - V(true) makes the gateway serve the API as defined - a stopped API is started, and the API is deployed when
        APIM reports C(NEED_REDEPLOY) or this task changed its definition.
      - APIM starts or deploys an API only when it has a published plan. Without one (a new API has no plan) the
        task does not start or deploy it, does not fail, and returns a warning and RV(deployment.blocked). Publish a
        plan with M(gravitee_community.mcp.apim_plan), then run this task again to start the API.
      - V(false) leaves the runtime state alone - the API is neither started, stopped nor deployed, and changes wait
        for the next deployment.
    type: bool
    default: true
  gateway_url:
    description:
      - Public base URL of the APIM gateway, for example V(https://gateway.example.com).
      - When set, RV(api.entrypoint_url) gives the URL MCP clients use (this URL plus the context path).
    type: str
notes:
  - With O(state=absent) the API is found like with O(state=present); when it does not exist nothing is done.
seealso:
  - module: gravitee_community.mcp.apim_plan
"""

EXAMPLES = r"""
- name: Put the MCP server behind APIM
  gravitee_community.mcp.apim_api:
    apim_url: https://apim.example.com
    apim_username: admin
    apim_password: "{{ apim_admin_password }}"
    name: API MCP Proxy
    context_path: /mcp-proxy
    upstream_url: http://mcp-server:3001/mcp
    gateway_url: https://gateway.example.com
  register: mcp_api

- name: Add the AM authorization server resource (the OAuth2 plan refers to it by name)
  gravitee_community.mcp.apim_api:
    name: API MCP Proxy
    context_path: /mcp-proxy
    upstream_url: http://mcp-server:3001/mcp
    resources:
      - name: AM OAuth2 Resource
        type: oauth2-am-resource
        configuration:
          serverURL: https://am-gateway.example.com
          securityDomain: my-domain
          clientId: "{{ mcp_server.client_id }}"
          clientSecret: "{{ mcp_server.client_secret }}"
          version: V3_X
  module_defaults:
    group/gravitee_community.mcp.gravitee:
      apim_url: https://apim.example.com
      apim_token: "{{ apim_pat }}"

- name: APIM before 4.10 or Community Edition - a plain HTTP proxy API
  gravitee_community.mcp.apim_api:
    name: API MCP Proxy
    type: proxy
    context_path: /mcp-proxy
    upstream_url: http://mcp-server:3001/mcp

- name: One of two APIs with the same name
  gravitee_community.mcp.apim_api:
    name: API MCP Proxy
    api_id: 6d0e9b7c-2f3a-4b8e-8e9b-7c2f3a4b8e8e
    context_path: /mcp-proxy
    upstream_url: http://mcp-server:3001/mcp

- name: Remove it (stops it and closes its plans first)
  gravitee_community.mcp.apim_api:
    name: API MCP Proxy
    state: absent
"""

RETURN = r"""
api:
  description:
    - The API as APIM holds it after the task (predicted in check mode); secrets masked.
    - V(null) when O(state=absent).
  returned: always
  type: dict
  contains:
    id:
      description: Id of the API; V(null) in check mode when the API would be created.
      type: str
      sample: 6d0e9b7c-2f3a-4b8e-8e9b-7c2f3a4b8e8e
    name:
      description: Name of the API.
      type: str
      sample: API MCP Proxy
    type:
      description: Type of the API, as in O(type).
      type: str
      sample: mcp_proxy
    context_path:
      description: Context path, as APIM stores it (with a trailing C(/)).
      type: str
      sample: /mcp-proxy/
    upstream_url:
      description: Target of the MCP server.
      type: str
      sample: http://mcp-server:3001/mcp
    description:
      description: Description of the API.
      type: str
    api_version:
      description: Version label of the API.
      type: str
      sample: "1.0"
    labels:
      description: Labels of the API.
      type: list
      elements: str
    resources:
      description: Every resource of the API (also those the task does not manage), secret values masked.
      type: list
      elements: dict
      sample:
        - name: AM OAuth2 Resource
          type: oauth2-am-resource
          enabled: true
          configuration: {serverURL: "https://am-gateway.example.com", securityDomain: my-domain,
                          clientId: my-client, clientSecret: "********", version: V3_X, userClaim: sub}
    state:
      description: Runtime state, C(STARTED) or C(STOPPED).
      type: str
      sample: STARTED
    deployment_state:
      description: C(DEPLOYED) when the gateway serves the current definition, else C(NEED_REDEPLOY).
      type: str
      sample: DEPLOYED
    entrypoint_url:
      description: O(gateway_url) plus the context path; returned only when O(gateway_url) is set.
      type: str
      sample: https://gateway.example.com/mcp-proxy/
    plans:
      description:
        - Every plan of the API, in every status (closed ones included), as APIM lists them after the task.
        - V([]) for an API this task would create in check mode.
        - Tells, for example, whether the API already has a published OAuth2 plan.
      type: list
      elements: dict
      version_added: 0.1.0
      contains:
        id:
          description: Id of the plan.
          type: str
        name:
          description: Name of the plan.
          type: str
        security:
          description: Security of the plan, V(keyless) or V(oauth2) (else APIM's type in lower case).
          type: str
          sample: oauth2
        status:
          description: C(STAGING), C(PUBLISHED), C(DEPRECATED) or C(CLOSED).
          type: str
          sample: PUBLISHED
deployment:
  description: What the task did to make the gateway serve the API (predicted in check mode).
  returned: when O(state=present)
  type: dict
  contains:
    started:
      description: Whether the API was started.
      type: bool
    deployed:
      description: Whether a deployment was requested. The first start of an API deploys it too, without one.
      type: bool
    blocked:
      description: Why the API could not be started or deployed although O(deployed=true), else V(null).
      type: str
diff:
  description: The managed view of the API before and after the task (secrets masked); shown with C(--diff).
  returned: always
  type: dict
"""

from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.api import API_TYPES  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.api_flow import ensure_api  # noqa: E402
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
}


def main():
    GraviteeModule(ARGUMENT_SPEC, products=("apim",),
                   required_if=[("state", "present", ("context_path", "upstream_url")),
                                ("purge_resources", True, ("resources",))]).run(ensure_api)


if __name__ == "__main__":
    main()
