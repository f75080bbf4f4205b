# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""apim_api's inline plans (option ``plans``): one task holds the API and its plans, the way GKO's API
definition does.

Every plan is decided (``plan_rules.decide``, the rules of apim_plan) before the API's first write,
against the API as this task leaves it (so an OAuth2 plan may use a resource the same task adds), and
each plan against the plans as the earlier ones leave them: whatever APIM would refuse fails the task
before any write. The steps are sent after the API is written and before it is started or deployed,
because APIM starts an API only when it has a published plan. Plans that are not listed are left alone.
"""

from __future__ import annotations

from ..core.errors import GraviteeError, usage_error
from .plan_flow import PlanClient, send_steps
from .plan_model import NEW, desired_plan, security_configuration, security_label, security_type
from .plan_rules import decide, simulate, touches_gateway

REMOVAL_STATES = ("closed", "absent")


def desired_plans(items) -> list:
    """``[(index, Desired)]`` for the ``plans`` option (None when not set); errors name ``plans[i].<option>``."""
    if items is None:
        return None
    wanted, seen = [], {}
    for index, item in enumerate(items):
        name = item["name"]
        if not name.strip():
            raise usage_error("plans[%d].name must not be empty: give the plan's name, for example Keyless." % index)
        if name in seen:
            raise usage_error("plans[%d].name '%s' is already the name of plans[%d]: a plan's name is its identity "
                              "within the API, so list each plan once (remove or rename one of them)."
                              % (index, name, seen[name]))
        seen[name] = index
        wanted.append((index, desired_plan(item, "plans[%d]." % index)))
    return wanted


def is_new(plan_id) -> bool:
    """A plan this task creates, before APIM gives it an id (check mode)."""
    return str(plan_id).startswith(NEW)


def plans_view(plans) -> list:
    """What the result and the diff show of each plan: id, name, security, status, security configuration."""
    return [{"id": None if is_new(plan.get("id")) else plan.get("id"), "name": plan.get("name"),
             "security": security_label(security_type(plan)), "status": plan.get("status"),
             "configuration": security_configuration(plan)} for plan in plans]


class InlinePlans:
    """The listed plans of one apim_api task: decided before any write, sent by :meth:`write`.

    ``after`` is every plan of the API after the steps (predicted until they are sent); ``touches``
    whether a step changes what the gateway serves (the API then needs a deployment).
    """

    def __init__(self, gm, items):
        self.gm = gm
        self.wanted = desired_plans(items)
        self.decisions, self.before, self.after, self.touches = [], [], [], False
        self.warnings = []

    @property
    def managed(self) -> bool:
        return self.wanted is not None

    @property
    def needs_fresh_plans(self) -> bool:
        """Whether a step creates a plan (APIM would take a duplicate) or PUTs a whole plan (built as found)."""
        return any(step.action in ("create", "update") for entry in self.decisions for step in entry[2].steps)

    @property
    def steps(self) -> int:
        return sum(len(entry[2].steps) for entry in self.decisions)

    def decide(self, plans, api, announce=True):
        """Decide every listed plan against ``plans`` (every plan of the API) and ``api`` (the definition as this
        task leaves it). Plans to close or delete come last, so the API is never left without a published plan.
        ``announce=False`` keeps the warnings for :meth:`announce` (a decision that may be made again)."""
        self.before = self.after = list(plans)
        ordered = [item for item in self.wanted if item[1].state not in REMOVAL_STATES] + \
                  [item for item in self.wanted if item[1].state in REMOVAL_STATES]
        for index, desired in ordered:
            try:
                decision = decide(desired, self.after, api, check_mode=self.gm.check_mode)
            except GraviteeError as err:
                raise err.replace(message="plans[%d] (plan '%s'): %s" % (index, desired.name, err)) from None
            self.warnings += ["plans[%d]: %s" % (index, message) for message in decision.warnings]
            self.touches = self.touches or touches_gateway(self.after, decision.steps)
            # The plan created here gets an id of its own, so that the next plans' checks tell it apart.
            after = simulate(self.after, decision.steps)
            self.after = [dict(p, id="%s %d" % (NEW, index)) if p.get("id") == NEW else p for p in after]
            self.decisions.append((index, desired, decision))
        if announce:
            self.announce()

    def announce(self):
        """Give the decisions' warnings."""
        for message in self.warnings:
            self.gm.module.warn(message)

    def write(self, api):
        """Send the steps, plan by plan, in the decided order (never in check mode)."""
        plan_client = PlanClient(self.gm.apim, api["id"], api.get("name"))
        plans = self.before
        for entry in self.decisions:
            plans = send_steps(plan_client, plans, entry[2].steps, entry[1].name)[0]
        self.after = plans
