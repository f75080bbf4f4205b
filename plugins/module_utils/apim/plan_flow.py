# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""apim_plan's flow: bring one named plan of an APIM API to the wanted state, then redeploy the API.

Reads: the API (by name through ``_search``, or by id), then every plan of it in all four statuses
(the list endpoint returns only PUBLISHED ones by default). :func:`.plan_rules.decide` turns that
into steps and fails before any write when APIM would refuse one. The engine (``core/engine.py``)
sends the steps (never in check mode, where they are only predicted, with the same result shape),
and its ``settle`` hook redeploys a started API so that the gateway sees them.

Plan requests (management API v2, ``openapi-apis.yaml``): POST ``plans`` (201, STAGING), PUT
``plans/{id}`` (200, full replacement), POST ``plans/{id}/_publish|_deprecate|_close`` (200, the
plan), DELETE ``plans/{id}`` (204). State conflicts are 400 with a ``technicalCode``
(``plan.closed``, ``plan.keyless.exists`` ...): :func:`explain_plan_error` puts what the user should
do in front of APIM's own message.
"""

from __future__ import annotations

from ..core.errors import GraviteeError
from .api import find_api, put_api, secret_values
from .api_rollout import NEED_REDEPLOY, served, start_pending, sync_deployment, with_start_pending
from .client import list_plans, plan_action_path, plans_path
from .plan_model import NEW, plan_by_id, plan_view
from .plan_rules import decide, simulate, touches_gateway

ACTION_PATHS = {"publish": "_publish", "deprecate": "_deprecate", "close": "_close"}

# technicalCode -> what it means for the user and what to do.
PLAN_ERROR_ADVICE = {
    "plan.keyless.exists": "APIM allows one published or deprecated keyless plan per API and this API already has "
                           "one. Close it first (state: closed).",
    "plan.closed": "The plan is closed and APIM never reopens a closed plan. Run the task again: a new plan with "
                   "this name is created.",
    "plan.deprecated": "The plan is deprecated and APIM cannot publish it again. Close it (state: closed), then a "
                       "new plan can be published.",
    "plan.published": "The plan is already published (it changed while the task ran). Run the task again.",
    "plan.notPublished": "Only a published plan can be deprecated. Publish it first (state: published).",
    "plan.notDeletable": "The plan still has subscriptions. Close it instead (state: closed), which closes them.",
    "api.NotDeployable": "APIM deploys an API only while it has a published plan. Publish a plan first.",
    "data.invalid": "APIM refused the security configuration (plugin schema). Check the oauth2 options.",
    "plan.notFound": "The plan disappeared while the task ran (deleted in the Console?). Run the task again.",
}
SECURITY_NOT_ALLOWED = "Security type not allowed"


def explain_plan_error(err, doing) -> GraviteeError:
    """``err`` with ``doing`` (e.g. "publish plan 'OAuth2' of API 'X'") and advice in front; others pass."""
    if not isinstance(err, GraviteeError) or err.status not in (400, 404):
        return err
    advice = PLAN_ERROR_ADVICE.get(err.technical_code or "")
    if advice is None and SECURITY_NOT_ALLOWED.lower() in (err.gravitee_message or "").lower():
        advice = ("The security type is disabled in this APIM environment (Settings > Plans). Enable it, or "
                  "choose another security.")
    if advice is None:
        return err
    return err.replace(message="Cannot %s: %s APIM said: %s" % (doing, advice, err.message))


class PlanClient:
    """The plan calls of one API; every failure goes through :func:`explain_plan_error`."""

    def __init__(self, client, api_id, api_name=None):
        self.client = client
        self.api_id = api_id
        self.api_label = "API '%s'" % (api_name or api_id)

    def _call(self, doing, method, path, **kwargs):
        try:
            return self.client.request(method, path, **kwargs).body
        except GraviteeError as err:
            raise explain_plan_error(err, "%s of %s" % (doing, self.api_label)) from None

    def create(self, body) -> dict:
        return self._call("create plan '%s'" % body.get("name"), "POST", plans_path(self.api_id), json=body)

    def update(self, plan_id, body) -> dict:
        return self._call("update plan '%s'" % body.get("name"), "PUT", plans_path(self.api_id, plan_id), json=body)

    def transition(self, action, plan_id, plan_name) -> dict:
        return self._call("%s plan '%s'" % (action, plan_name), "POST",
                          plan_action_path(self.api_id, plan_id, ACTION_PATHS[action]))

    def delete(self, plan_id, plan_name) -> None:
        self._call("delete plan '%s'" % plan_name, "DELETE", plans_path(self.api_id, plan_id))


def _replace(plans, plan):
    """``plans`` with ``plan`` in place of the one with its id (added when new)."""
    if plan_by_id(plans, plan.get("id")) is None:
        return plans + [plan]
    return [plan if p.get("id") == plan.get("id") else p for p in plans]


def send_steps(plan_client, plans, steps, plan_name):
    """Send one decision's steps in order; returns (the plans after them, the id of the plan created or None)."""
    created_id = None
    for step in steps:
        plan_id = created_id if step.plan_id == NEW else step.plan_id
        name = (plan_by_id(plans, plan_id) or {}).get("name") or plan_name
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


class PlanTask:
    """The engine's writer, prediction and settle hook for one apim_plan task.

    ``after_plans`` is every plan of the API after the steps (predicted in check mode);
    ``target_id`` the id of the plan the result shows (``NEW`` until APIM gives one).
    """

    def __init__(self, gm, api, plans, decision, desired, deploy, warnings):
        self.gm, self.api, self.plans, self.decision = gm, api, plans, decision
        self.desired, self.deploy, self.warnings = desired, deploy, warnings
        self.api_id = api["id"] if api else None
        self.target_id = decision.target_id
        self.after_plans = simulate(plans, decision.steps) if gm.check_mode else plans

    def shown(self, *_):
        return plan_by_id(self.after_plans, self.target_id)

    def write(self, *_):
        """Send every step in order (the engine's create, update and delete); returns the plan shown."""
        plan_client = PlanClient(self.gm.apim, self.api_id, self.api.get("name"))
        self.after_plans, created_id = send_steps(plan_client, self.plans, self.decision.steps, self.desired.name)
        if self.target_id == NEW:
            self.target_id = created_id
        return self.shown()

    def settle(self, action, after):
        """Redeploy a started API after a change the gateway serves, or when APIM says NEED_REDEPLOY.

        A stopped API is not deployed: the gateway does not serve it, and apim_api (deployed: true)
        deploys pending changes before it starts it. A stopped API whose start is pending (apim_api
        could not start it for want of a published plan) is started once it has one.
        """
        api, steps = self.api, self.decision.steps
        deployed, started, deployment_state = False, False, None
        if api is not None:
            relevant = touches_gateway(self.plans, steps)
            # What APIM reports after the steps, known without reading the API again: a plan change the gateway
            # serves makes it NEED_REDEPLOY (ApiStateServiceImpl.isSynchronized), a deployment or start DEPLOYED.
            deployment_state = NEED_REDEPLOY if relevant else api.get("deploymentState")
            # A stopped API starts only when apim_api recorded that its start waits for a published plan.
            starting = api.get("state") != "STARTED" and start_pending(api) and bool(served(self.after_plans))
            if self.deploy and (api.get("state") == "STARTED" or starting):
                if starting and not self.gm.check_mode:
                    api = put_api(self.gm.apim, with_start_pending(api, False))
                rollout = sync_deployment(self.gm.apim, api, start=starting, force=relevant,
                                          check_mode=self.gm.check_mode, plans=served(self.after_plans))
                if rollout.blocked:
                    self.warnings.append("The API was not redeployed: %s." % rollout.blocked)
                deployed, started, deployment_state = rollout.deployed, rollout.started, rollout.deployment_state
        for message in self.warnings:
            self.gm.module.warn(message)
        actions = [step.describe() for step in steps] + ["deploy"] * deployed + ["start"] * started
        extra = {"api_id": self.api_id, "api_deployment_state": deployment_state, "actions": actions,
                 "replaced_plan_ids": self.decision.replaced}
        return after, deployed or started, extra


def ensure_plan(gm, desired, *, api_name=None, api_id=None, deploy=True) -> dict:
    """Do (or predict, in check mode) what ``desired`` asks; return the module result."""
    warnings = []
    api = find_api(gm.apim, name=api_name, api_id=api_id, missing_ok=gm.check_mode and not api_id)
    if api is None:
        warnings.append("API '%s' does not exist (yet). Check mode assumes an earlier task creates it; a real run "
                        "fails unless it does." % api_name)
        plans = []
    else:
        # The definition carries its resources' secrets in clear text (admins read them): mask them
        # wherever they could surface (error bodies, messages), though the module never returns the API.
        gm.register_secret(*secret_values(api.get("resources")))
        plans = list_plans(gm.apim, api["id"])
    decision = decide(desired, plans, api, check_mode=gm.check_mode)
    task = PlanTask(gm, api, plans, decision, desired, deploy, warnings + decision.warnings)
    # The engine's actions: "delete" for state absent, "create" when there is no plan to show yet,
    # "update" for any other step list; nothing when there is no step (a closed state with no plan of
    # that name leaves nothing to show, like absent).
    engine_state = "absent" if desired.state == "absent" or (decision.before is None and not decision.steps) \
        else "present"
    return gm.ensure(key="plan", current=decision.before, desired=desired, state=engine_state,
                     create=task.write, update=task.write, delete=task.write, predict=task.shown,
                     compare=lambda *_: not decision.steps, view=lambda plan: plan_view(plan, task.api_id),
                     settle=task.settle).result
