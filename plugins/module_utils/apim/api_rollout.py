# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""Bring the gateway in line with an APIM V4 API: start it and deploy its current definition.

Facts (management API v2, ``openapi-apis.yaml``; ``ApiValidationServiceImpl.canDeploy``):
``POST apis/{id}/_start`` and ``POST apis/{id}/deployments`` both need a PUBLISHED (or
DEPRECATED) plan, else 400; ``_start`` of an API deployed before re-activates the *last
deployed* definition, not pending edits; a deployment of a STOPPED API is recorded but the
gateway serves nothing until ``_start``.
"""

from __future__ import annotations

import copy
from typing import NamedTuple

from .client import SERVED_STATUSES, api_action_path, list_plans

DEPLOYMENT_LABEL = "ansible"
NEED_REDEPLOY = "NEED_REDEPLOY"
DEPLOYED = "DEPLOYED"
# An API property (a plain key/value of the definition, ``properties`` in ApiV4) that apim_api sets when it was
# asked to start an API that has no published plan yet; apim_plan starts the API once it publishes one, and
# whoever starts or stops the API removes it. Without it apim_plan never starts an API (fail closed).
START_PENDING = "gravitee_community.mcp.start-pending"
NO_PLAN_REASON = ("APIM refuses to start or deploy an API without a published plan; publish one "
                  "(gravitee_community.mcp.apim_plan), then run apim_api with deployed=true again to start the API")


class Rollout(NamedTuple):
    """What :func:`sync_deployment` did (or would do in check mode)."""

    deployed: bool           # POST deployments sent (or would be)
    started: bool            # _start sent (or would be)
    blocked: str | None      # why nothing could be done although it was needed, else None
    state: str | None        # runtime state after the call (predicted in check mode)
    deployment_state: str | None

    @property
    def changed(self) -> bool:
        return self.deployed or self.started


def deploy_api(client, api_id, label=DEPLOYMENT_LABEL) -> None:
    """POST ``deployments`` (202): the gateway picks up the current definition and plans."""
    client.post(api_action_path(api_id, "deployments"), json={"deploymentLabel": label})


def start_api(client, api_id) -> None:
    client.post(api_action_path(api_id, "_start"))


def start_pending(api) -> bool:
    """Whether apim_api recorded that the API should start as soon as it has a published plan."""
    return any(prop.get("key") == START_PENDING for prop in (api or {}).get("properties") or [])


def with_start_pending(api, pending) -> dict:
    """A copy of the definition with the pending-start property set (``pending``) or removed."""
    definition = copy.deepcopy(api)
    properties = [prop for prop in definition.get("properties") or [] if prop.get("key") != START_PENDING]
    if pending:
        properties.append({"key": START_PENDING, "value": "true", "encrypted": False, "dynamic": False})
    definition["properties"] = properties
    return definition


def served(plans) -> list:
    """The plans the gateway serves (and that let APIM start or deploy the API)."""
    return [plan for plan in plans if plan.get("status") in SERVED_STATUSES]


def sync_deployment(client, api, *, start=True, force=False, check_mode=False, plans=None) -> Rollout:
    """Make the gateway serve the API's current definition.

    * deploys when ``deploymentState`` is NEED_REDEPLOY or ``force`` (this task changed the
      definition);
    * with ``start``, starts a STOPPED API. Deployment comes first: a later ``_start`` re-emits
      the last *deployed* definition, so this order serves pending edits too. An API never
      deployed (no ``deployedAt``) is only started: its first start deploys it;
    * both need a PUBLISHED/DEPRECATED plan: without one nothing is sent and ``blocked`` says why
      (callers turn it into a warning or an error);
    * ``check_mode``: nothing is sent, the result predicts the real run.

    ``api`` is the definition as last read or written (its ``state``, ``deploymentState`` and
    ``deployedAt`` are used); ``plans`` may pass the already-known served plans to save a request.
    """
    api_id = api["id"]
    state = api.get("state")
    need_deploy = force or api.get("deploymentState") == NEED_REDEPLOY
    need_start = start and state != "STARTED"
    if not (need_deploy or need_start):
        return Rollout(False, False, None, state, api.get("deploymentState"))
    if plans is None:
        plans = list_plans(client, api_id, statuses=SERVED_STATUSES)
    if not plans:
        deployment_state = NEED_REDEPLOY if need_deploy else api.get("deploymentState")
        return Rollout(False, False, NO_PLAN_REASON, state, deployment_state)
    if need_start and not api.get("deployedAt"):
        need_deploy = False  # the first start of a never-deployed API deploys it
    if not check_mode:
        if need_deploy:
            deploy_api(client, api_id)
        if need_start:
            start_api(client, api_id)
    new_state = "STARTED" if need_start else state
    return Rollout(need_deploy, need_start, None, new_state, DEPLOYED)
