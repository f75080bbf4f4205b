#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: apim_plan
short_description: Manage a plan (Keyless or OAuth2) of a Gravitee APIM V4 API
version_added: 0.1.0
description:
  - Creates, updates, publishes, deprecates, closes or deletes a plan of a V4 API in Gravitee APIM (management
    API v2), then redeploys the API so that the gateway applies the change.
  - The plan is found by its exact O(name) among the API's plans in every status; its security type cannot
    change in APIM (see O(replace_on_security_change)).
  - Everything APIM would refuse (a second published keyless plan, closing the last published plan of a started
    API, publishing a deprecated plan, moving a published plan back to staging, an OAuth2 resource the API does
    not have) is detected before the first write, and the task fails with a message that says what to do.
  - The OAuth2 configuration is compared as a subset of what APIM holds, with the policy's defaults counted as
    set, so a second run changes nothing and sends no write request.
author:
  - gravitee_community.mcp contributors (@gravitee-community)
extends_documentation_fragment:
  - gravitee_community.mcp.apim
  - gravitee_community.mcp.am
  - gravitee_community.mcp.connection_common
  - gravitee_community.mcp.attributes
  - gravitee_community.mcp.attributes.apim_group
  - gravitee_community.mcp.apim_plan_options
options:
  api:
    description:
      - Exact name of the API the plan belongs to.
      - When several APIs share that name the task fails listing their ids; use O(api_id) then.
      - In check mode a missing API is assumed to be created by an earlier task (a warning says so), so that a
        whole play can be checked on a fresh system. Exactly one of O(api) and O(api_id) is required.
    type: str
  api_id:
    description: Id of the API the plan belongs to, instead of O(api).
    type: str
  deploy:
    description:
      - Redeploy the API (C(POST deployments)) after this task changed a plan the gateway serves, or when APIM reports
        C(NEED_REDEPLOY), so that the gateway applies it.
      - Only a started API is deployed, or started - a stopped API whose start M(gravitee_community.mcp.apim_api)
        recorded as pending (O(gravitee_community.mcp.apim_api#module:deployed)) once it has a published plan.
      - V(false) leaves deployment to a later task (for example one redeploy after several plan changes).
    type: bool
    default: true
notes:
  - A new plan gets C(validation=AUTO) and C(mode=STANDARD); subscriptions are not managed (an C(MCP_PROXY) API
    needs none for an OAuth2 plan). An update changes only the managed security configuration keys of the plan.
seealso:
  - module: gravitee_community.mcp.apim_api
"""

EXAMPLES = r"""
- name: Open the API with a Keyless plan first
  gravitee_community.mcp.apim_plan:
    apim_url: https://apim.example.com
    apim_username: admin
    apim_password: "{{ apim_admin_password }}"
    api: API MCP Proxy
    name: Keyless
    security: keyless

- name: Add the OAuth2 plan that validates tokens with AM (the API has the "AM OAuth2 Resource" resource)
  gravitee_community.mcp.apim_plan:
    api: API MCP Proxy
    name: OAuth2
    security: oauth2
    oauth2:
      resource: AM OAuth2 Resource
      required_scopes: [openid]
      check_required_scopes: false

- name: Retire the Keyless plan; the API is redeployed and calls without a token now get 401
  gravitee_community.mcp.apim_plan:
    api: API MCP Proxy
    name: Keyless
    state: closed

- name: Or turn one plan from keyless to oauth2 in place (new plan published before the old one is closed)
  gravitee_community.mcp.apim_plan:
    api: API MCP Proxy
    name: Default
    security: oauth2
    oauth2:
      resource: AM OAuth2 Resource
    replace_on_security_change: true
"""

RETURN = r"""
plan:
  description: The plan after the task (predicted in check mode, where a new plan has no id yet); V(null) when
    there is none (O(state=absent), or O(state=closed) and no plan of that name).
  returned: always
  type: dict
  contains:
    id: {description: "Id of the plan.", type: str, sample: 3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f}
    name: {description: "Name of the plan.", type: str, sample: OAuth2}
    api_id: {description: "Id of the API.", type: str}
    security:
      description: Security of the plan, V(keyless) or V(oauth2) (else APIM's type in lower case).
      type: str
      sample: oauth2
    security_type: {description: "Security type as APIM spells it.", type: str, sample: OAUTH2}
    status: {description: "C(STAGING), C(PUBLISHED), C(DEPRECATED) or C(CLOSED).", type: str, sample: PUBLISHED}
    configuration:
      description: Security configuration as APIM holds it.
      type: dict
      sample: {"oauthResource": "AM OAuth2 Resource", "modeStrict": true, "propagateAuthHeader": true}
api_id:
  description: Id of the API (V(null) in check mode when the API does not exist yet).
  returned: always
  type: str
api_deployment_state:
  description: C(DEPLOYED) when the gateway has the API's current definition and plans, else C(NEED_REDEPLOY) (for
    example a stopped API, or O(deploy=false)). Predicted in check mode.
  returned: always
  type: str
  sample: DEPLOYED
actions:
  description: The requests the task sent (or would send in check mode), in order - C(create), C(update),
    C(publish), C(deprecate), C(close) or C(delete) followed by the plan id (none for the plan it creates),
    then C(deploy) and C(start).
  returned: always
  type: list
  elements: str
  sample: ["create", "publish", "close 5b0e7a52-0c8e-4c1a-9f7b-2d3e4f5a6b7c", "deploy"]
replaced_plan_ids:
  description: Ids of the plans closed because their security changed (O(replace_on_security_change=true)).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.plan_flow import ensure_plan  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.plan_model import (  # noqa: E402
    PLAN_ARGUMENT_SPEC,
    desired_plan,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.gravitee import GraviteeModule  # noqa: E402

# name, security, oauth2, state and replace_on_security_change: shared with apim_api's plans option.
ARGUMENT_SPEC = dict(PLAN_ARGUMENT_SPEC, **{
    "api": {"type": "str"},
    "api_id": {"type": "str"},
    "deploy": {"type": "bool", "default": True},
})


def run(gm):
    return ensure_plan(gm, desired_plan(gm.params), api_name=gm.params["api"], api_id=gm.params["api_id"],
                       deploy=gm.params["deploy"])


def main():
    GraviteeModule(ARGUMENT_SPEC, products=("apim",), required_one_of=[("api", "api_id")],
                   mutually_exclusive=[("api", "api_id")]).run(run)


if __name__ == "__main__":
    main()
