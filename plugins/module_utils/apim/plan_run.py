# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""Bring one named plan of an APIM API to the wanted state, then redeploy the API (apim_plan's engine).

Reads: the API (by name through ``_search``, or by id), then every plan of it in all four statuses
(the list endpoint returns only PUBLISHED ones by default). :func:`decide` turns that into steps and
fails before any write when APIM would refuse one; the steps run in order (or are only predicted in
check mode, with the same result shape), and a started API is redeployed so the gateway sees them.
"""

from __future__ import annotations

from ..core.compare import build_diff
from ..core.scrub import is_secret_key
from .api import find_api, sync_deployment
from .client import list_plans
from .plan_steps import (
    NEW,
    SERVED_STATUSES,
    apply_step,
    decide,
    touches_gateway,
)
from .plans import PlanClient, plan_view

DEPLOYED, NEED_REDEPLOY = "DEPLOYED", "NEED_REDEPLOY"


def register_resource_secrets(gm, api) -> None:
    """The API definition carries its resources' secrets in clear text (admins read them): mask them
    wherever they could surface (error bodies, messages), though the module never returns the API."""
    for resource in (api or {}).get("resources") or []:
        configuration = resource.get("configuration") if isinstance(resource, dict) else None
        if isinstance(configuration, dict):
            gm.register_secret(*(value for key, value in configuration.items()
                                 if is_secret_key(key) and isinstance(value, str)))


def _replace(plans, plan):
    return [plan if p.get("id") == plan.get("id") else p for p in plans] + (
        [] if any(p.get("id") == plan.get("id") for p in plans) else [plan])


def _name_of(plans, plan_id, default):
    for plan in plans:
        if plan.get("id") == plan_id:
            return plan.get("name") or default
    return default


def run_steps(plan_client, plans, steps, plan_name):
    """Send every step; returns (plans as APIM now holds them, id of the plan created or None)."""
    created_id = None
    for step in steps:
        plan_id = created_id if step.plan_id == NEW else step.plan_id
        name = _name_of(plans, plan_id, plan_name)
        if step.action == "create":
            created = plan_client.create(step.body)
            created_id = created["id"]
            plans = _replace(plans, created)
        elif step.action == "update":
            plans = _replace(plans, plan_client.update(plan_id, step.body))
        elif step.action == "delete":
            plan_client.delete(plan_id, name)
            plans = [p for p in plans if p.get("id") != plan_id]
        else:
            plans = _replace(plans, plan_client.transition(step.action, plan_id, name))
    return plans, created_id


def _find(plans, plan_id):
    for plan in plans:
        if plan.get("id") == plan_id:
            return plan
    return None


def _deploy(gm, api, plans_after, relevant, deploy, warnings):
    """(deployed, deployment_state): redeploy a started API after a change or when APIM says NEED_REDEPLOY.

    A stopped API is not deployed: the gateway does not serve it, and apim_api (deployed: true)
    deploys pending changes before it starts it.
    """
    if api is None:
        return False, None
    state = api.get("deploymentState")
    if deploy and api.get("state") == "STARTED":
        served = [p for p in plans_after if p.get("status") in SERVED_STATUSES]
        rollout = sync_deployment(gm.apim, api, start=False, force=relevant, check_mode=gm.check_mode, plans=served)
        if rollout.blocked:
            warnings.append("The API was not redeployed: %s." % rollout.blocked)
        return rollout.deployed, rollout.deployment_state
    if relevant:
        return False, NEED_REDEPLOY
    return False, state


def ensure_plan(gm, desired, *, api_name=None, api_id=None, deploy=True) -> dict:
    """Do (or predict, in check mode) what ``desired`` asks; return the module result."""
    client = gm.apim
    warnings = []
    api = find_api(client, name=api_name, api_id=api_id, missing_ok=gm.check_mode and not api_id)
    if api is None:
        warnings.append("API '%s' does not exist (yet). Check mode assumes an earlier task creates it; a real run "
                        "fails unless it does." % api_name)
        plans = []
    else:
        register_resource_secrets(gm, api)
        plans = list_plans(client, api["id"])
    decision = decide(desired, plans, api, check_mode=gm.check_mode)
    warnings += decision.warnings
    relevant = touches_gateway(plans, decision.steps)

    if gm.check_mode or not decision.steps:
        after_plans = plans
        for step in decision.steps:
            after_plans = apply_step(after_plans, step)
        target_id = decision.target_id
    else:
        plan_client = PlanClient(client, api["id"], api.get("name"))
        after_plans, created_id = run_steps(plan_client, plans, decision.steps, desired.name)
        target_id = created_id if decision.target_id == NEW else decision.target_id

    deployed, deployment_state = _deploy(gm, api, after_plans, relevant, deploy, warnings)
    if decision.steps and not gm.check_mode and api is not None:
        # What APIM says now (deploymentState moves with plan changes and deployments).
        deployment_state = find_api(client, api_id=api["id"]).get("deploymentState")

    api_id_out = api["id"] if api else None
    before = plan_view(decision.before, api_id_out)
    after = plan_view(_find(after_plans, target_id), api_id_out) if desired.state != "absent" else None
    if after is not None and after["id"] == NEW:
        after["id"] = None  # check mode: APIM has not given it an id yet
    for message in warnings:
        gm.module.warn(message)
    actions = [step.describe() for step in decision.steps] + (["deploy"] if deployed else [])
    return {
        "changed": bool(decision.steps) or deployed,
        "plan": gm.scrubber.scrub(after),
        "api_id": api_id_out,
        "api_deployment_state": deployment_state,
        "actions": actions,
        "replaced_plan_ids": decision.replaced,
        "diff": build_diff(before, after, gm.scrubber),
    }
