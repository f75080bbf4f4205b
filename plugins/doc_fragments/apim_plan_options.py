# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import textwrap

# The options of one plan, written once for both modules: apim_plan has them at the top level
# (DOCUMENTATION), apim_api as the sub-options of each item of its plans option (PLANS). They must
# match PLAN_ARGUMENT_SPEC in module_utils/apim/plan_model.py. %(p)s is the path of the options
# in the module (O() references), %(deploy)s the module's deployment option.
_PLAN_OPTIONS = r"""
name:
  description: Name of the plan, its identity within the API.
  type: str
  required: true
security:
  description:
    - Security of the plan. V(keyless) lets every call through; V(oauth2) needs a token that the OAuth2
      resource named in O(%(p)soauth2.resource) validates.
    - Required with O(%(p)sstate=published), O(%(p)sstate=staging) and O(%(p)sstate=deprecated); ignored otherwise.
  type: str
  choices: [keyless, oauth2]
oauth2:
  description:
    - Configuration of an V(oauth2) plan (the C(oauth2) security policy).
    - Options left out are not managed - a new plan gets APIM's default, an existing plan keeps its value.
    - Only with O(%(p)ssecurity=oauth2).
  type: dict
  suboptions:
    resource:
      description:
        - Name of the API's C(oauth2-am-resource) resource ("Gravitee.io AM Authorization Server") that validates
          tokens, as set with M(gravitee_community.mcp.apim_api) O(gravitee_community.mcp.apim_api#module:resources).
        - The task fails before any write when the API has no enabled resource of that name and type (only
          M(gravitee_community.mcp.apim_plan) in check mode just warns, as an earlier task may add it). An
          Expression Language value (containing C({)) is not checked.
      type: str
      required: true
    required_scopes:
      description:
        - Scopes the token must carry, enforced when O(%(p)soauth2.check_required_scopes=true). Order does not matter.
      type: list
      elements: str
    check_required_scopes:
      description:
        - Enforce O(%(p)soauth2.required_scopes). APIM's default is V(false).
      type: bool
    mode_strict:
      description:
        - V(true) needs every required scope, V(false) any one of them. APIM's default is V(true).
      type: bool
    propagate_auth_header:
      description:
        - Forward the C(Authorization) header to the MCP server. APIM's default is V(true).
      type: bool
    extract_payload:
      description:
        - Put the token introspection payload in the C(oauth.payload) context attribute. APIM's default is
          V(false).
      type: bool
state:
  description:
    - V(published) - the plan exists and is published (created and published if needed).
    - V(staging) - the plan exists and is not published yet. A published or deprecated plan cannot go back to
      staging; the task fails.
    - V(deprecated) - the plan is deprecated - still served to existing consumers, not offered to new ones
      (created and published first if needed). A deprecated plan cannot be published again.
    - V(closed) - no open plan with this name - open ones are closed (kept in APIM's history, never reopened, so
      a later O(%(p)sstate=published) creates a new plan).
    - V(absent) - no plan with this name at all - every plan of that name, closed ones included, is deleted.
    - Closing or deleting the last published plan of a started API fails, because APIM would then refuse every
      deployment of the API - publish the plan that replaces it first, or stop the API.
  type: str
  choices: [published, staging, deprecated, closed, absent]
  default: published
replace_on_security_change:
  description:
    - When the plan exists with another security than O(%(p)ssecurity) - V(true) creates a new plan with the same
      name and security O(%(p)ssecurity), brings it to O(%(p)sstate), and only then closes the old plan. With
      O(%(deploy)s=true) the gateway switches plans in one deployment, so it is never more open than before nor left
      without a plan.
    - V(false) fails and says so.
  type: bool
  default: false
"""

_PLANS_OPTION = r"""
plans:
  description:
    - Plans of the API, each with the options M(gravitee_community.mcp.apim_plan) has for one plan. They are
      brought to their state after the API is written and before it is started or deployed, so that one task
      creates the API with its plans, publishes them and leaves the API started and deployed (APIM starts an
      API only when it has a published plan).
    - Every plan is checked before the first write (what APIM would refuse fails the task with no change made);
      plans are handled in list order, except that those to close or delete come last, so that the API is never
      left without a published plan. One deployment at the end serves every change.
    - Plans that are not listed are left alone (for example made in the Console or by
      M(gravitee_community.mcp.apim_plan)); close or delete one by listing it with O(plans[].state=closed) or
      O(plans[].state=absent). Not set - the task does not manage plans.
    - Ignored with O(state=absent) (APIM closes the plans of the API it deletes) and O(state=stopped).
  type: list
  elements: dict
  suboptions:
"""


class ModuleDocFragment:
    # Both variants are built below from one text; ansible-doc imports this class, and ansible-test's
    # yamllint (which reads only string literals written in the class) has nothing to read here.
    pass


def _options(path, deploy, indent):
    return textwrap.indent(_PLAN_OPTIONS.lstrip("\n") % {"p": path, "deploy": deploy}, " " * indent)


ModuleDocFragment.DOCUMENTATION = "options:\n" + _options("", "deploy", 2)
ModuleDocFragment.PLANS = "options:\n" + textwrap.indent(_PLANS_OPTION.lstrip("\n"), "  ") + \
    _options("plans[].", "deployed", 6)
