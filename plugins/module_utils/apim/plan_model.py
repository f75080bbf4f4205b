# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""apim_plan's model: the wanted plan from the module options, plan bodies, security configurations.

Facts (``PlanServiceImpl`` of APIM; gravitee-policy-oauth2 ``schema-form.json``, 5.1.4 and 5.3.1):

* the security type of a plan is fixed at creation (``KEY_LESS``, ``OAUTH2`` ...);
* ``PUT plans/{id}`` replaces the whole plan, so an update writes the plan back with only the
  managed security configuration keys changed;
* the oauth2 configuration has defaults (extractPayload false, checkRequiredScopes false, modeStrict
  true, propagateAuthHeader true). Depending on the APIM version and code path the stored
  configuration may or may not have them filled in, and keys the schema does not know
  (``addWwwAuthenticateHeader`` outside 4.10.0-4.10.11) may be dropped. So the current configuration
  is read *with the defaults filled in* and the desired one must be a subset of it: a task never
  reports a change APIM would not make;
* ``requiredScopes`` is a set for the policy (order does not matter), so it is compared as one.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field

from ..core.compare import strip_none
from ..core.errors import usage_error

NEW = "<new plan>"            # the id of the plan this task creates, until APIM gives it one
PRESENT_STATES = ("published", "staging", "deprecated")
SECURITY_TYPES = {"keyless": "KEY_LESS", "oauth2": "OAUTH2"}
SECURITY_LABELS = {value: key for key, value in SECURITY_TYPES.items()}

# Defaults the oauth2 policy applies to a missing key (schema defaults; requiredScopes: none).
OAUTH2_DEFAULTS = {
    "extractPayload": False,
    "checkRequiredScopes": False,
    "modeStrict": True,
    "propagateAuthHeader": True,
    "requiredScopes": [],
}
DEFAULTS_BY_TYPE = {"OAUTH2": OAUTH2_DEFAULTS}
UNORDERED_KEYS = frozenset(("requiredScopes",))


def security_type(plan) -> str:
    """``KEY_LESS``, ``OAUTH2`` ... of a plan (upper case, as mAPI v2 spells it)."""
    return str(((plan or {}).get("security") or {}).get("type") or "").upper().replace("-", "_")


def security_label(type_name) -> str:
    """The module's word for a security type (``keyless``, ``oauth2``), else the type in lower case."""
    return SECURITY_LABELS.get(type_name, str(type_name or "").lower())


def security_configuration(plan) -> dict:
    """The plan's security configuration as a dict (APIM may hand it back as a JSON string)."""
    config = ((plan or {}).get("security") or {}).get("configuration")
    if isinstance(config, str):
        try:
            config = json.loads(config) if config.strip() else {}
        except ValueError:
            config = {}
    return dict(config) if isinstance(config, dict) else {}


def effective_configuration(type_name, config) -> dict:
    """The configuration the policy runs with: stored keys over the policy defaults."""
    merged = copy.deepcopy(DEFAULTS_BY_TYPE.get(type_name, {}))
    merged.update({k: v for k, v in (config or {}).items() if v is not None})
    return merged


def _same(key, desired, current) -> bool:
    if key in UNORDERED_KEYS and isinstance(desired, list) and isinstance(current, list):
        return sorted(set(map(str, desired))) == sorted(set(map(str, current)))
    if isinstance(desired, bool) or isinstance(current, bool):
        return type(desired) is type(current) and desired == current
    return desired == current


def changed_configuration_keys(type_name, desired, current) -> list:
    """Keys of ``desired`` whose value the plan does not already have (defaults counted as set)."""
    effective = effective_configuration(type_name, current)
    return [key for key, value in (desired or {}).items()
            if value is not None and not (key in effective and _same(key, value, effective[key]))]


def merged_configuration(desired, current) -> dict:
    """What to PUT: the stored configuration with the managed keys replaced (unmanaged keys survive)."""
    merged = copy.deepcopy(current or {})
    merged.update({k: copy.deepcopy(v) for k, v in (desired or {}).items() if v is not None})
    return merged


# Module option -> key of the oauth2 policy configuration (gravitee-policy-oauth2 schema-form.json).
OAUTH2_KEYS = {
    "resource": "oauthResource",
    "required_scopes": "requiredScopes",
    "check_required_scopes": "checkRequiredScopes",
    "mode_strict": "modeStrict",
    "propagate_auth_header": "propagateAuthHeader",
    "extract_payload": "extractPayload",
}


@dataclass
class Desired:
    name: str
    state: str                          # published | staging | deprecated | closed | absent
    security: str | None = None         # KEY_LESS | OAUTH2 (None: not given)
    configuration: dict = field(default_factory=dict)   # managed keys of security.configuration
    replace_on_security_change: bool = False


# The options of one plan, shared by apim_plan (top level) and apim_api (each item of ``plans``).
PLAN_ARGUMENT_SPEC = {
    "name": {"type": "str", "required": True},
    "security": {"type": "str", "choices": sorted(SECURITY_TYPES)},
    "oauth2": {"type": "dict", "options": {
        "resource": {"type": "str", "required": True},
        "required_scopes": {"type": "list", "elements": "str"},
        "check_required_scopes": {"type": "bool"},
        "mode_strict": {"type": "bool"},
        "propagate_auth_header": {"type": "bool"},
        "extract_payload": {"type": "bool"},
    }},
    "state": {"type": "str", "default": "published", "choices": ["published", "staging", "deprecated", "closed",
                                                                 "absent"]},
    "replace_on_security_change": {"type": "bool", "default": False},
}


def desired_plan(params, where="") -> Desired:
    """The wanted plan from one plan's options; input errors name the option (after ``where``, e.g.
    ``plans[0].``) and the fix."""
    state = params["state"]
    present = state in PRESENT_STATES
    if present:
        if not params["security"]:
            raise usage_error("%ssecurity is required with state: %s (keyless or oauth2)." % (where, state))
        if params["security"] == "oauth2" and not params["oauth2"]:
            raise usage_error("%ssecurity: oauth2 needs %soauth2.resource: the name of the API's oauth2-am-resource "
                              "resource that validates tokens (set it on the API with apim_api resources)."
                              % (where, where))
        if params["security"] == "keyless" and params["oauth2"]:
            raise usage_error("%soauth2 options apply only to security: oauth2; remove %soauth2 or set %ssecurity: "
                              "oauth2." % (where, where, where))
    configuration = {}
    if present and params["security"] == "oauth2":
        configuration = strip_none({key: params["oauth2"].get(option) for option, key in OAUTH2_KEYS.items()})
    security = SECURITY_TYPES.get(params["security"]) if present else None
    return Desired(name=params["name"], state=state, security=security, configuration=configuration,
                   replace_on_security_change=params["replace_on_security_change"])


def plan_by_id(plans, plan_id):
    """The plan with that id in ``plans``, or None."""
    return next((plan for plan in plans if plan.get("id") == plan_id), None)


def create_body(desired) -> dict:
    return {"definitionVersion": "V4", "name": desired.name, "mode": "STANDARD", "validation": "AUTO",
            "security": {"type": desired.security, "configuration": copy.deepcopy(desired.configuration)},
            "flows": []}


def update_body(plan, desired) -> dict:
    """The whole plan with the managed configuration keys changed (PUT replaces everything else)."""
    body = copy.deepcopy(plan)
    body["definitionVersion"] = "V4"
    body["security"] = {"type": security_type(plan),
                        "configuration": merged_configuration(desired.configuration, security_configuration(plan))}
    return body


def plan_view(plan, api_id=None):
    """What the module returns about a plan: id, name, security, status and the security configuration.

    A plan this task would create in check mode has no id yet (``None``)."""
    if plan is None:
        return None
    type_name = security_type(plan)
    view = {
        "id": None if plan.get("id") == NEW else plan.get("id"),
        "name": plan.get("name"),
        "api_id": plan.get("apiId") or api_id,
        "security": security_label(type_name),
        "security_type": type_name,
        "status": plan.get("status"),
        "configuration": security_configuration(plan),
    }
    for key in ("order", "publishedAt", "closedAt"):
        if plan.get(key) is not None:
            view[key] = plan[key]
    return view
