# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""apim_api's ``known_api``: the API and its plans as an earlier task of the same run left them, so that a
task with nothing to change reads nothing.

What is handed on is what deciding needs and no more: the managed fields, identity and runtime state of the
API (never a whole definition: it would carry every endpoint and policy configuration into the task output),
and its plans, without any value under a secret-looking key. It is therefore never written back:

* the API is taken as found only when the task's options are already in sync with it (nothing to write);
  otherwise the task reads the API afresh and decides from that read, so a ``PUT`` of the whole definition
  always starts from APIM's own copy, secrets included. An API known to be absent is created without being
  searched for again: APIM refuses a second API on the same context path;
* the plans are taken as found for steps on a plan they name (publish, deprecate, close, delete). A plan to
  create or update makes the task read the plans afresh and decide again: APIM does not refuse a second plan
  of the same name (two runs at once would both create one), and an update is a ``PUT`` of the whole plan;
  known plans that break a rule of the plan decisions are decided again from APIM's plans too;
* to stop the API (``state: stopped``, the role's fail-closed rescue) a known ``STARTED`` API is stopped
  without a read, so that a failing read cannot keep an open API open.
"""

from __future__ import annotations

from typing import NamedTuple

from ..core.errors import usage_error
from ..core.scrub import without_secrets
from .api_rollout import START_PENDING

# The top-level fields of a V4 API that apim_api compares, and its identity and runtime state.
API_FIELDS = ("id", "name", "type", "apiVersion", "description", "labels", "state", "deploymentState",
              "deployedAt")


class KnownApi(NamedTuple):
    api: dict | None     # compact (see compact_api); None: the API did not exist (or nothing is known)
    plans: list | None   # None: nothing is known (known_api: {})


def _listeners(api) -> list:
    return [{"type": listener.get("type"),
             "paths": [{key: entry.get(key) for key in ("path", "host") if key in entry}
                       for entry in listener.get("paths") or [] if isinstance(entry, dict)],
             "entrypoints": [{"type": entry.get("type")} for entry in listener.get("entrypoints") or []]}
            for listener in api.get("listeners") or [] if isinstance(listener, dict)]


def _endpoint_groups(api) -> list:
    groups = []
    for group in api.get("endpointGroups") or []:
        endpoints = []
        for endpoint in group.get("endpoints") or []:
            configuration = endpoint.get("configuration") if isinstance(endpoint.get("configuration"), dict) else {}
            endpoints.append({"name": endpoint.get("name"), "type": endpoint.get("type"),
                              "configuration": {"target": configuration.get("target")}})
        groups.append({"name": group.get("name"), "type": group.get("type"), "endpoints": endpoints})
    return groups


def compact_api(api) -> dict:
    """What apim_api decides from (see ``api_model.in_sync`` and ``api_rollout.sync_deployment``), without
    secret values: the fields above, listener paths and entrypoint types, endpoint targets, the resources,
    and the pending-start mark."""
    compact = {key: api.get(key) for key in API_FIELDS if key in api}
    compact.update(listeners=_listeners(api), endpointGroups=_endpoint_groups(api),
                   resources=without_secrets(list(api.get("resources") or [])),
                   properties=[prop for prop in api.get("properties") or [] if prop.get("key") == START_PENDING])
    return compact


def known_result(api, plans) -> dict:
    """The ``known_api`` result: the API (compact) and every plan, as this task leaves them."""
    return {"api": compact_api(api) if api is not None else None, "plans": without_secrets(list(plans or []))}


def parse_known_api(value, params) -> KnownApi | None:
    """The ``known_api`` option checked against the task's API; None when not given. Bad input names the option."""
    if value is None:
        return None
    fix = "Pass the known_api result of an earlier task of this run (preflight or apim_api) unchanged, or leave it out."
    if not isinstance(value, dict) or not value:
        return KnownApi(None, None) if value == {} else _bad("known_api must be a dict. " + fix)
    api, plans = value.get("api"), value.get("plans")
    if set(value) - {"api", "plans"} or not isinstance(plans, list) or not (api is None or isinstance(api, dict)):
        _bad("known_api must hold exactly 'api' (a dict, or null when the API did not exist) and 'plans' (a list). "
             + fix)
    if api is not None:
        if not api.get("id"):
            _bad("known_api.api has no id. " + fix)
        pinned = params.get("api_id")
        if (pinned and api["id"] != pinned) or (not pinned and api.get("name") != params["name"]):
            _bad("known_api is API '%s' (id %s), not the API of this task (%s). %s"
                 % (api.get("name"), api["id"], "api_id %s" % pinned if pinned else "name '%s'" % params["name"],
                    fix))
    return KnownApi(api, plans)


def _bad(message):
    raise usage_error(message)
