# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""Decide which plan requests bring a named plan to the wanted state (pure: no HTTP).

APIM's plan state machine (``PlanServiceImpl`` of the v4 API definition) decides what is possible:

* a plan is created in STAGING; ``_publish`` STAGING -> PUBLISHED; ``_deprecate`` PUBLISHED -> DEPRECATED;
  ``_close`` from any open status; DELETE from any status. A CLOSED plan never reopens, a DEPRECATED
  plan is never published again, a PUBLISHED one never goes back to STAGING;
* one KEY_LESS plan per API may be PUBLISHED or DEPRECATED;
* the security type never changes in place.

Every refusal APIM would answer is detected here first, so the task fails before its first write
with a message that says what to do. The order of the steps is chosen so that an API never has a
moment without a published plan and is never more open than before: the new plan is published
before the old one is closed, and the gateway only sees the end result (one deployment at the end).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from ..core.errors import KIND_LOOKUP, KIND_USAGE, GraviteeError
from .api import AM_RESOURCE_TYPE, api_resources, find_resource
from .client import SERVED_STATUSES
from .plan_model import (
    NEW,
    changed_configuration_keys,
    create_body,
    plan_by_id,
    security_configuration,
    security_label,
    security_type,
    update_body,
)

OPEN_STATUSES = ("STAGING", "PUBLISHED", "DEPRECATED")
# The status each wanted state ends in.
TARGET_STATUS = {"published": "PUBLISHED", "staging": "STAGING", "deprecated": "DEPRECATED"}


@dataclass
class Step:
    action: str                         # create | update | publish | deprecate | close | delete
    plan_id: str                        # NEW for the plan created by this task
    body: dict | None = None            # create / update payload

    def describe(self) -> str:
        return self.action if self.plan_id == NEW else "%s %s" % (self.action, self.plan_id)


@dataclass
class Decision:
    steps: list
    before: dict | None                 # the plan the task is about, as found (None: none)
    target_id: str | None               # id of the plan the result shows (NEW when created)
    replaced: list = field(default_factory=list)   # ids of plans closed because their security changed
    warnings: list = field(default_factory=list)


def fail(message, kind=KIND_USAGE):
    raise GraviteeError(message, product="APIM", kind=kind)


def api_label(api) -> str:
    if not api:
        return "the API"
    return "API '%s' (%s)" % (api.get("name"), api.get("id"))


def _ids(plans) -> str:
    return ", ".join("%s [%s, %s]" % (p.get("id"), p.get("status"), security_label(security_type(p)))
                     for p in plans)


def _newest(plans):
    return sorted(plans, key=lambda p: str(p.get("closedAt") or p.get("updatedAt") or ""))[-1] if plans else None


# -- checks done before any write ------------------------------------------------------------------------
def check_oauth2_resource(api, resource_name, check_mode=False) -> list:
    """Fail unless ``resource_name`` is an enabled oauth2-am-resource of the API; returns warnings.

    In check mode a missing resource only warns: an earlier task of the play (apim_api) may create it.
    Expression Language (``{#...}``) is resolved by the gateway, so it cannot be checked here.
    """
    if "{" in resource_name:
        return ["oauth2.resource '%s' is an expression; the module cannot check that it names an "
                "%s resource." % (resource_name, AM_RESOURCE_TYPE)]
    resource = find_resource(api, resource_name)
    if resource is None:
        names = ", ".join("'%s' (%s)" % (r.get("name"), r.get("type")) for r in api_resources(api))
        message = ("%s has no resource named '%s', which oauth2.resource names. Add an %s resource with that name "
                   "to the API first (gravitee_community.mcp.apim_api, option resources), or fix oauth2.resource. "
                   "Resources of the API: %s." % (api_label(api), resource_name, AM_RESOURCE_TYPE, names or "none"))
        if check_mode:
            return [message + " (check mode: assuming an earlier task creates it)"]
        fail(message, KIND_LOOKUP)
    if resource.get("type") != AM_RESOURCE_TYPE:
        fail("Resource '%s' of %s is of type '%s'; an OAuth2 plan of this collection needs an %s resource "
             "(Gravitee.io AM Authorization Server)." % (resource_name, api_label(api), resource.get("type"),
                                                         AM_RESOURCE_TYPE), KIND_LOOKUP)
    if resource.get("enabled") is False:
        fail("Resource '%s' of %s is disabled; the gateway would not load it and the OAuth2 plan would refuse "
             "every call. Enable it (apim_api resources: enabled: true)." % (resource_name, api_label(api)),
             KIND_LOOKUP)
    return []


def _check_keyless_unique(desired, plans, target_id, api):
    if desired.security != "KEY_LESS" or desired.state not in ("published", "deprecated"):
        return
    others = [p for p in plans if p.get("id") != target_id and security_type(p) == "KEY_LESS"
              and p.get("status") in SERVED_STATUSES]
    if others:
        fail("Cannot publish keyless plan '%s': APIM allows one published or deprecated keyless plan per API, and "
             "%s already has %s. Close that plan first (apim_plan name: '%s', state: closed), or give this plan "
             "another security." % (desired.name, api_label(api), _ids(others), others[0].get("name")))


def _check_still_deployable(desired, plans_before, plans_after, api, verb):
    """Refuse to take the last served plan from a started API (APIM would refuse every later deployment)."""
    if not api or api.get("state") != "STARTED":
        return
    if deployable(plans_after) or not deployable(plans_before):
        return
    fail("Cannot %s plan '%s': it is the last published plan of started %s. The gateway would keep serving the "
         "last deployment while APIM refuses every new one (api.NotDeployable: no published plan). Publish "
         "another plan first (for example the OAuth2 plan that replaces it), or stop the API."
         % (verb, desired.name, api_label(api)))


# -- status moves ----------------------------------------------------------------------------------------
def status_moves(plan_name, current, wanted, api) -> list:
    """The actions taking a plan from status ``current`` to ``wanted`` (both upper case)."""
    if current == wanted:
        return []
    if current == "STAGING":
        return {"PUBLISHED": ["publish"], "DEPRECATED": ["publish", "deprecate"]}[wanted]
    if current == "PUBLISHED" and wanted == "DEPRECATED":
        return ["deprecate"]
    if wanted == "STAGING":
        fail("Plan '%s' of %s is %s; APIM cannot move a plan back to staging once it was published. Keep "
             "state: %s, or close it (state: closed) and create a new staging plan."
             % (plan_name, api_label(api), current, current.lower()))
    # DEPRECATED -> PUBLISHED
    fail("Plan '%s' of %s is DEPRECATED; APIM cannot publish a deprecated plan again (plan.deprecated). Use "
         "state: deprecated, or close it (state: closed) and run the task again to create a new published plan."
         % (plan_name, api_label(api)))
    return []  # not reached


# -- the decision ------------------------------------------------------------------------------------------
def _decide_removal(desired, named, plans, api) -> Decision:
    if desired.state == "closed":
        targets = [p for p in named if p.get("status") in OPEN_STATUSES]
        action, verb = "close", "close"
    else:
        targets = list(named)
        action, verb = "delete", "delete"
    ids = {p.get("id") for p in targets}
    if targets:
        _check_still_deployable(desired, plans, [p for p in plans if p.get("id") not in ids], api, verb)
    before = targets[0] if targets else (_newest(named) if desired.state == "closed" else None)
    return Decision([Step(action, p["id"]) for p in targets], before, before.get("id") if before else None)


def decide(desired, plans, api, check_mode=False) -> Decision:
    """The steps for ``desired`` given every plan of the API (all statuses) and the API itself."""
    named = [p for p in plans if p.get("name") == desired.name]
    if desired.state in ("closed", "absent"):
        return _decide_removal(desired, named, plans, api)

    warnings = []
    if desired.security == "OAUTH2" and api is not None:
        warnings += check_oauth2_resource(api, desired.configuration.get("oauthResource", ""), check_mode)
    open_named = [p for p in named if p.get("status") in OPEN_STATUSES]
    same = [p for p in open_named if security_type(p) == desired.security]
    other = [p for p in open_named if security_type(p) != desired.security]
    if len(same) > 1:
        fail("%s has several open plans named '%s' with security %s: %s. The module cannot tell which one to "
             "manage: close or rename the extra ones in the Console."
             % (api_label(api), desired.name, security_label(desired.security), _ids(same)))
    if other and not desired.replace_on_security_change:
        wanted, found = security_label(desired.security), security_label(security_type(other[0]))
        fail("Plan '%s' of %s has security %s, the task asks for %s, and APIM cannot change the security type of a "
             "plan in place. Set replace_on_security_change: true to create a new %s plan, publish it and then "
             "close the old one, or close the old plan first (state: closed). Plans: %s."
             % (desired.name, api_label(api), found, wanted, wanted, _ids(other)))

    target = same[0] if same else None
    target_id = target["id"] if target else NEW
    steps = []
    if target is None:
        steps.append(Step("create", NEW, create_body(desired)))
        current_status = "STAGING"
    else:
        if changed_configuration_keys(desired.security, desired.configuration, security_configuration(target)):
            steps.append(Step("update", target_id, update_body(target, desired)))
        current_status = target["status"]
    moves = status_moves(desired.name, current_status, TARGET_STATUS[desired.state], api)
    if "publish" in moves:
        _check_keyless_unique(desired, plans, target_id, api)
    steps += [Step(action, target_id) for action in moves]
    # Only now retire the plans of the other security type: the new plan already serves.
    steps += [Step("close", p["id"]) for p in other]
    if other:
        after = simulate(plans, steps)
        _check_still_deployable(desired, plans, after, api, "replace")
    before = target if target is not None else (other[0] if other else None)
    return Decision(steps, before, target_id, [p["id"] for p in other], warnings)


# -- predicting the outcome --------------------------------------------------------------------------------
NEXT_STATUS = {"publish": "PUBLISHED", "deprecate": "DEPRECATED", "close": "CLOSED"}


def apply_step(plans, step) -> list:
    """The plan list after ``step``, as predicted (a created plan has the id NEW)."""
    plans = [copy.deepcopy(p) for p in plans]
    if step.action == "create":
        new = copy.deepcopy(step.body)
        new.setdefault("id", NEW)
        new.setdefault("status", "STAGING")
        return plans + [new]
    if step.action == "delete":
        return [p for p in plans if p.get("id") != step.plan_id]
    for plan in plans:
        if plan.get("id") != step.plan_id:
            continue
        if step.action == "update":
            plan["security"] = copy.deepcopy(step.body["security"])
        else:
            plan["status"] = NEXT_STATUS[step.action]
    return plans


def simulate(plans, steps) -> list:
    for step in steps:
        plans = apply_step(plans, step)
    return plans


def deployable(plans) -> bool:
    return any(p.get("status") in SERVED_STATUSES for p in plans)


def touches_gateway(plans, steps) -> bool:
    """True when a step changes what a deployment carries, or makes APIM report NEED_REDEPLOY: a status
    change (publish, deprecate, close: APIM counts closed plans too), an update of a plan that is not in
    staging, or the deletion of a served plan. Creating or editing a staging plan deploys nothing."""
    for step in steps:
        before = (plan_by_id(plans, step.plan_id) or {}).get("status")
        plans = apply_step(plans, step)
        if step.action in NEXT_STATUS:
            return True
        if step.action == "update" and before != "STAGING":
            return True
        if step.action == "delete" and before in SERVED_STATUSES:
            return True
    return False
