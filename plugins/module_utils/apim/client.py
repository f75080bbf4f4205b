# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""APIM management API v2: base URLs, endpoint paths and the shared lookups.

The environment client's base is ``{apim_url}/management/v2/organizations/{org}/environments/{env}``
(APIM accepts the organisation prefix on every environment route), the organisation
client's base is ``{apim_url}/management/v2/organizations/{org}`` (plugin catalogue).
Paths below are relative to one of those bases; ids are URL-quoted.
"""

from __future__ import annotations

from urllib.parse import quote

from ..core.pagination import iter_apim_items

# A plan in any of these states still exists; the list endpoint defaults to PUBLISHED only.
PLAN_STATUSES = ("STAGING", "PUBLISHED", "DEPRECATED", "CLOSED")
# Plans in these states are served by the gateway, and let APIM start or deploy an API
# (ApiValidationServiceImpl.canDeploy).
SERVED_STATUSES = ("PUBLISHED", "DEPRECATED")
PLUGIN_KINDS = ("entrypoints", "endpoints", "resources", "policies")


def _q(value) -> str:
    return quote(str(value), safe="")


def apim_management_root(apim_url) -> str:
    return "%s/management/v2" % apim_url.rstrip("/")


def apim_org_base(apim_url, org) -> str:
    return "%s/organizations/%s" % (apim_management_root(apim_url), _q(org))


def apim_env_base(apim_url, org, env) -> str:
    return "%s/environments/%s" % (apim_org_base(apim_url, org), _q(env))


# --- paths relative to the environment base ---------------------------------------------

def api_path(api_id=None) -> str:
    return "apis" if api_id is None else "apis/%s" % _q(api_id)


def api_action_path(api_id, action) -> str:
    """``_start`` / ``_stop`` (204), or ``deployments`` (202)."""
    return "%s/%s" % (api_path(api_id), action)


def plans_path(api_id, plan_id=None) -> str:
    base = "%s/plans" % api_path(api_id)
    return base if plan_id is None else "%s/%s" % (base, _q(plan_id))


def plan_action_path(api_id, plan_id, action) -> str:
    """``_publish`` / ``_deprecate`` / ``_close`` (POST, 200 with the plan)."""
    return "%s/%s" % (plans_path(api_id, plan_id), action)


# --- paths relative to the organisation base ---------------------------------------------

def plugin_path(kind, plugin_id=None) -> str:
    if kind not in PLUGIN_KINDS:
        raise ValueError("plugin kind must be one of %s" % ", ".join(PLUGIN_KINDS))
    return "plugins/%s" % kind if plugin_id is None else "plugins/%s/%s" % (kind, _q(plugin_id))


# --- lookups -----------------------------------------------------------------------------

def search_apis(client, query=None, api_types=None, expands=("deploymentState",), **criteria) -> list:
    """Every API matching an ``apis/_search`` body (a read-only POST, all pages).

    ``query`` is APIM's full-text (Lucene) query; ``criteria`` adds other body filters
    such as ``definitionVersions=["V4"]``.
    """
    body = dict(criteria)
    if query is not None:
        body["query"] = query
    if api_types:
        body["apiTypes"] = list(api_types)
    params = {"expands": ",".join(expands)} if expands else None
    return list(iter_apim_items(client, "apis/_search", method="POST", json=body, params=params))


def find_apis_by_name(client, name, api_types=None) -> list:
    """APIs whose ``name`` equals ``name`` exactly (names are not unique in APIM)."""
    return [api for api in search_apis(client, query=name, api_types=api_types) if api.get("name") == name]


def list_plans(client, api_id, statuses=PLAN_STATUSES, securities=None) -> list:
    """Every plan of an API in the given statuses (all four by default)."""
    params = {"statuses": ",".join(statuses)}
    if securities:
        params["securities"] = ",".join(securities)
    return list(iter_apim_items(client, plans_path(api_id), params=params))
