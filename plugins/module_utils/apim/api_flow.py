# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""apim_api's flow: find the API, bring it to ``state`` through the engine (``core/engine.py``),
then make the gateway serve it (the engine's ``settle`` hook: start and deploy).

The result is the engine's (``changed``, ``api``, ``diff``) plus ``deployment`` and, inside
``api``, the API's plans (reported, not managed: they stay out of the diff).
"""

from __future__ import annotations

from ..core.errors import GraviteeError, usage_error
from .api import (
    delete_api,
    find_api,
    find_resource,
    get_api,
    keys_apim_drops,
    put_api,
    secret_values,
    stop_api,
)
from .api_model import (
    OPTION_TYPES,
    apply_desired,
    create_body,
    desired_state,
    in_sync,
    managed_view,
    plan_summaries,
    predicted_creation,
    summary,
    validate_params,
)
from .api_paths import explain_path_conflict, path_conflict_error
from .api_plans import InlinePlans, plans_view
from .api_rollout import NEED_REDEPLOY, Rollout, served, start_pending, sync_deployment, with_start_pending
from .client import api_path, list_plans
from .known_api import known_result, parse_known_api


def _unsupported_type(err, desired):
    """APIM before 4.10 does not know MCP_PROXY (400); without the EE plugin it is 404 plugin.notFound."""
    message = err.gravitee_message or ""
    if desired["type"] == "MCP_PROXY" and (
            (err.status == 400 and "MCP_PROXY" in message)
            or (err.status == 404 and (err.technical_code == "plugin.notFound" or "mcp-proxy" in message))):
        return err.replace(message="This APIM cannot create a type mcp_proxy API (%s). MCP_PROXY needs APIM 4.10 or "
                           "later with the Enterprise mcp-proxy plugin; use type: proxy on older versions or the "
                           "Community Edition." % (message or err.status), product="APIM", hint=None)
    return err


def without_dropped_keys(gm, desired, current):
    """Desired resource configurations without the keys APIM drops silently (schema with
    ``additionalProperties: false``): comparing them would report a change on every run."""
    resources = []
    for resource in desired["resources"] or []:
        existing = find_resource(current, resource["name"], resource["type"])
        stored_config = (existing or {}).get("configuration")
        missing = [key for key in resource["configuration"] if key not in (stored_config or {})]
        dropped = keys_apim_drops(gm.apim_org, resource["type"], missing) if existing and missing else []
        if dropped:
            gm.module.warn("APIM does not keep the key(s) %s in the configuration of resource '%s' (type %s); they "
                           "are ignored." % (", ".join(sorted(dropped)), resource["name"], resource["type"]))
            resource = dict(resource, configuration={k: v for k, v in resource["configuration"].items()
                                                     if k not in dropped})
        resources.append(resource)
    return dict(desired, resources=resources if desired["resources"] is not None else None)


class ApiTask:
    """The engine's writers, prediction and settle hook for one apim_api task."""

    def __init__(self, gm):
        self.gm = gm
        self.client = gm.apim
        self.purge = gm.params["purge_resources"]
        self.gateway_url = gm.params["gateway_url"]
        self.plans = []
        self.current = None
        self.inline = InlinePlans(gm, gm.params["plans"])
        self.known_plans = None  # (API id, plans) of known_api
        self.adopted = None      # the API of known_api, when the task started from it

    def view(self, api):
        """The summary; with inline plans also every plan of the API, as found (before) or as left (after)."""
        view = summary(api, self.gateway_url)
        if self.inline.managed:
            view["plans"] = plans_view(self.inline.before if api is self.current else self.plans)
        return view

    def in_sync(self, desired, current):
        return in_sync(desired, current, self.purge)

    def create(self, desired):
        try:
            api = self.client.post(api_path(), json=create_body(desired)).body
        except GraviteeError as err:
            raise _unsupported_type(explain_path_conflict(self.client, err, desired["context_path"]),
                                    desired) from None
        if desired["resources"] or desired["labels"] or desired["start_pending"]:
            # CreateApiV4 has no resources, labels nor properties: a PUT of the whole definition adds them.
            try:
                api = put_api(self.client, apply_desired(api, desired, self.purge))
            except GraviteeError as err:
                raise err.replace(message="The API was created (id %s) but adding its resources/labels failed: %s "
                                  "Fix the input and run the task again." % (api["id"], err)) from None
        return api

    def update(self, current, desired):
        if current is self.adopted:
            # Only the pending-start mark differs from known_api, which is not a whole definition: the PUT of one
            # starts from APIM's own copy (see known_api.py).
            current = get_api(self.client, current["id"])
            desired = without_dropped_keys(self.gm, desired, current)
            if self.in_sync(desired, current):
                return current
        try:
            return put_api(self.client, apply_desired(current, desired, self.purge))
        except GraviteeError as err:
            raise explain_path_conflict(self.client, err, desired["context_path"], current["id"]) from None

    def predict(self, current, desired):
        """Check mode: what APIM would hold, after the context path check APIM would do."""
        exclude = None if current is None else current["id"]
        if current is None or managed_view(current)["context_path"] != desired["context_path"]:
            conflict = path_conflict_error(self.client, desired["context_path"], exclude)
            if conflict is not None:
                raise conflict
        if current is None:
            return predicted_creation(desired, self.purge)
        return dict(apply_desired(current, desired, self.purge), deploymentState="NEED_REDEPLOY")

    def read_plans(self, current, desired):
        """Read the plans (one request serves the inline plans, ``start_pending``, the rollout and ``api.plans``),
        decide the inline plans (before any write), and whether the start waits for a published plan: then the
        API records it and apim_plan starts it."""
        self.current = current
        known = self.known_plans is not None and current is not None and current.get("id") == self.known_plans[0]
        self.plans = self.known_plans[1] if known else self.read_plan_list(current)
        if self.inline.managed:
            leaves = predicted_creation(desired, self.purge) if current is None else \
                apply_desired(current, desired, self.purge)
            if not known or not self.decide_inline(self.plans, leaves, from_known=True):
                if known:
                    self.plans = self.read_plan_list(current)
                self.decide_inline(self.plans, leaves)
            self.plans = self.inline.after
        return dict(desired, start_pending=self.start_pending(current, self.plans))

    def decide_inline(self, plans, leaves, from_known=False) -> bool:
        """Decide the inline plans against ``plans``. From known_api's plans, False when they cannot decide: a plan
        to create or replace, or a rule they break (both are decided again from APIM's own plans, see known_api.py).
        """
        self.inline = InlinePlans(self.gm, self.gm.params["plans"])
        if not from_known:
            self.inline.decide(plans, leaves)
            return True
        try:
            self.inline.decide(plans, leaves, announce=False)
        except GraviteeError:
            return False
        if self.inline.needs_fresh_plans:
            return False
        self.inline.announce()  # only the decision kept gives its warnings
        return True

    def read_plan_list(self, current):
        return list_plans(self.client, current["id"]) if current is not None else []

    def start_pending(self, current, plans) -> bool:
        """Whether the start must wait for a published plan (then the API records it and apim_plan starts it)."""
        waiting = current is None or current.get("state") != "STARTED"
        return bool(self.gm.params["deployed"] and waiting and not served(plans))

    def adopt(self, known, desired, find):
        """The API of ``known_api`` when the task's options are in sync with it; else the API read afresh (found by
        ``find()`` when known_api says it did not exist, or it is gone). The known plans serve read_plans either way.
        known_api holds no secret, so a task that sets one always reads the API."""
        if known.plans is None or (known.api is None and self.gm.params["api_id"]):
            return find()
        if known.api is None:
            return None  # read as absent: created without another search (APIM refuses a second one on its path)
        self.known_plans = (known.api["id"], known.plans)
        if self.in_sync(dict(desired, start_pending=None), known.api):
            self.adopted = known.api
            return known.api
        fresh = get_api(self.client, known.api["id"], missing_ok=True)
        return fresh if fresh is not None else find()

    def settle(self, action, api):
        """Bring the inline plans to their state, then start/deploy as ``deployed`` asks."""
        plans_changed = self.inline.steps > 0
        if plans_changed and not self.gm.check_mode:
            self.inline.write(api)
            self.plans = self.inline.after
        rollout, api = self.roll_out(dict(api), action != "none" or self.inline.touches)
        if self.inline.touches and not rollout.changed:
            api["deploymentState"] = NEED_REDEPLOY  # plan changes the gateway has not got yet
        if rollout.blocked and api.get("state") != "STARTED":
            self.gm.module.warn("API '%s' was not started yet: APIM refuses to start an API without a published plan. "
                                "Its start is pending (api.start_pending): apim_plan starts it when it publishes its "
                                "first plan." % self.gm.params["name"])
        elif rollout.blocked:
            self.gm.module.warn("API '%s' was not deployed: %s." % (self.gm.params["name"], rollout.blocked))
        return api, rollout.changed or plans_changed, {"deployment": {
            "started": rollout.started, "deployed": rollout.deployed, "blocked": rollout.blocked}}

    def roll_out(self, api, changed):
        """(Rollout, api as it is now); ``api`` is this task's copy (the engine's ``before`` stays as found)."""
        gm = self.gm
        if not gm.params["deployed"]:
            return Rollout(False, False, None, api.get("state"), api.get("deploymentState")), api
        rollout = sync_deployment(self.client, api, force=changed, check_mode=gm.check_mode, plans=served(self.plans))
        # _start (204) and deployments (202) return no API; what they change (state, deploymentState) is known.
        return rollout, dict(api, state=rollout.state, deploymentState=rollout.deployment_state)

    def adopt_to_stop(self, known):
        """The API of ``known_api`` when it is known to run (and to have no pending start): it is stopped without a
        read. Else None (it is read first)."""
        api = known.api if known is not None else None
        if api is not None and api.get("state") == "STARTED" and not start_pending(api):
            self.adopted = api
            return api
        return None

    def stop(self, current, desired):
        """Stop a running API and withdraw a pending start: after a stop nothing starts it but apim_api."""
        api = current
        if current.get("state") == "STARTED":
            try:
                stop_api(self.client, current["id"])  # 204: only the state changes
            except GraviteeError:
                if current is not self.adopted:
                    raise
                # Refused: maybe no longer running (known_api is older than APIM); decided again from a read.
                fresh = get_api(self.client, current["id"], missing_ok=True)
                if fresh is None or fresh.get("state") == "STARTED":
                    raise
                return self.stop(fresh, desired)
            api = dict(current, state="STOPPED")
        return put_api(self.client, with_start_pending(api, False)) if start_pending(api) else api


def ensure_api(gm) -> dict:
    """The apim_api task: the module result."""
    params = gm.params
    gm.register_no_log(*secret_values(params["resources"]))
    validate_params(params)
    desired = desired_state(params)
    known = parse_known_api(params["known_api"], params) if params["state"] != "absent" else None

    def find():
        # A pinned api_id must exist to be managed; when removing, its absence means "already done".
        return find_api(gm.apim, name=params["name"], api_id=params["api_id"], api_type=desired["type"],
                        missing_ok=params["state"] != "present" or not params["api_id"])

    task = ApiTask(gm)
    if params["state"] == "stopped":
        current = task.adopt_to_stop(known) or find()
    else:
        current = find() if known is None else task.adopt(known, desired, find)
    if params["state"] == "absent":
        return gm.ensure(key="api", current=current, desired=desired, state="absent", view=summary,
                         delete=lambda api: delete_api(gm.apim, api)).result
    if params["state"] == "stopped":
        # Only the runtime state changes; a missing API is left missing.
        return gm.ensure(key="api", current=current, desired={"state": "STOPPED"}, view=summary,
                         state="absent" if current is None else "present", update=task.stop,
                         compare=lambda wanted, api: api.get("state") != "STARTED" and not start_pending(api),
                         predict=lambda api, wanted: dict(with_start_pending(api, False), state="STOPPED")).result
    if current is not None and current.get("type") != desired["type"]:
        found = OPTION_TYPES.get(current.get("type"), current.get("type"))
        raise usage_error("API %s ('%s') has type %s, but type is %s; the type of an API cannot be changed. Set "
                          "type: %s, or delete that API to create a new one."
                          % (current["id"], current.get("name"), found, params["type"],
                             OPTION_TYPES.get(current.get("type"), "?")))
    if current is not None and current is not task.adopted:  # known_api holds no secret: not a dropped key
        desired = without_dropped_keys(gm, desired, current)
    desired = task.read_plans(current, desired)
    outcome = gm.ensure(key="api", current=current, desired=desired, create=task.create, update=task.update,
                        compare=task.in_sync, predict=task.predict, view=task.view, settle=task.settle)
    result = outcome.result
    result["api"] = dict(result["api"], plans=plans_view(task.plans) if task.inline.managed
                         else plan_summaries(task.plans))
    if known is not None and not gm.check_mode:  # state present
        result["known_api"] = known_result(outcome.after, task.plans)
    return result
