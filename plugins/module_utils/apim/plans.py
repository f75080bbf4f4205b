# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""The plan requests of mAPI v2 (``/apis/{id}/plans``) with APIM's state errors made readable.

Paths and statuses (apim-mapi.md §6): POST ``plans`` (201, STAGING), PUT ``plans/{id}`` (200, full
replacement), POST ``plans/{id}/_publish|_deprecate|_close`` (200, the plan), DELETE ``plans/{id}``
(204). State conflicts are 400 with a ``technicalCode`` (``plan.closed``, ``plan.keyless.exists`` ...);
:func:`explain_plan_error` puts what the user should do in front of APIM's own message.
"""

from __future__ import annotations

from ..core.errors import GraviteeError
from .client import plan_action_path, plans_path
from .plan_config import security_configuration, security_label, security_type

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
    return GraviteeError("Cannot %s: %s APIM said: %s" % (doing, advice, err.message), product=err.product,
                         kind=err.kind, method=err.method, url=err.url, status=err.status,
                         gravitee_message=err.gravitee_message, technical_code=err.technical_code, body=err.body,
                         hint=err.hint, attempts=err.attempts)


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


def plan_view(plan, api_id=None):
    """What the module returns about a plan: id, name, security, status and the security configuration."""
    if plan is None:
        return None
    type_name = security_type(plan)
    view = {
        "id": plan.get("id"),
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
