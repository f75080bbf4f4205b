# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""One APIM V4 API through the management API v2: find it, read, replace and delete its
definition, and merge its resources. Starting and deploying it is in ``api_rollout.py``.

Shared by ``apim_api``, ``apim_plan`` and ``preflight``. Every function takes the environment
client (``GraviteeModule.apim``) and raises :class:`GraviteeError` with a readable message.

Facts (management API v2, ``openapi-apis.yaml``): API names are not unique, so lookups are by
exact name over ``apis/_search``; ``PUT apis/{id}`` replaces the whole definition, so an update
is GET -> change some fields -> PUT everything back.
"""

from __future__ import annotations

import copy

from ..core.compare import is_subset
from ..core.errors import KIND_LOOKUP, GraviteeError, usage_error
from ..core.pagination import iter_apim_items
from ..core.scrub import is_secret_key
from .client import api_action_path, api_path, find_apis_by_name, plugin_path

AM_RESOURCE_TYPE = "oauth2-am-resource"
# The API types in the modules' words, and APIM's.
API_TYPES = {"mcp_proxy": "MCP_PROXY", "proxy": "PROXY"}


# --- finding the API ----------------------------------------------------------------------

def get_api(client, api_id, missing_ok=False):
    """The full API definition (``deploymentState`` included), or None if absent and ``missing_ok``.

    An unknown id raises a lookup error naming ``api_id`` unless ``missing_ok``.
    """
    response = client.get(api_path(api_id), allow_status=(404,))
    if response.status == 404:
        if missing_ok:
            return None
        raise GraviteeError("No API with api_id '%s' in this APIM environment. Check api_id (and apim_env), or "
                            "leave api_id out to find the API by name." % api_id,
                            product="APIM", kind=KIND_LOOKUP, status=404, url=client.url_for(api_path(api_id)))
    return response.body


def every_api_once(client):
    """A function listing every API of the environment on its first call only, for a task that may need the full
    list twice (the name fallback below, then the context path check)."""
    listed = []

    def every_api():
        if not listed:
            listed.append(list(iter_apim_items(client, api_path())))
        return listed[0]
    return every_api


def find_api_ids_by_name(client, name, api_type=None, every_api=None) -> list:
    """Ids of the APIs named exactly ``name`` (and of ``api_type`` such as ``"MCP_PROXY"``, if given).

    ``_search`` is a full-text (Lucene) query: cheap, but its tokenising may miss a name with
    punctuation, and a query it cannot parse fails. A missed API would be created twice, so when
    the search finds no exact match (or fails on the query) every API is listed and compared.
    The type is filtered here rather than in the ``_search`` body, because the search index
    stores types under other names (``V4_MCP_PROXY``, ``V4_HTTP_PROXY``) than the API model.
    """
    try:
        found = find_apis_by_name(client, name)
    except GraviteeError as err:
        if err.status not in (400, 500):
            raise
        found = []
    if not found:
        listed = every_api() if every_api else iter_apim_items(client, api_path())
        found = [api for api in listed if api.get("name") == name]
    return [api["id"] for api in found if api_type is None or api.get("type") == api_type]


def find_api(client, *, name=None, api_id=None, api_type=None, missing_ok=True, every_api=None):
    """The full definition of the API pinned by ``api_id`` or named ``name`` (exact match).

    * ``api_id`` wins over ``name`` (an API can be renamed through it);
    * several APIs with that name (and type): error listing their ids, asking for ``api_id``;
    * none: ``None`` if ``missing_ok`` else a lookup error.
    """
    if api_id:
        return get_api(client, api_id, missing_ok=missing_ok)
    if not name:
        raise usage_error("Give the API's name or api_id.")
    ids = find_api_ids_by_name(client, name, api_type, every_api)
    if len(ids) > 1:
        raise GraviteeError("%d APIs are named '%s'%s (ids: %s). API names are not unique in APIM: set api_id to the "
                            "one to manage." % (len(ids), name, " with type %s" % api_type if api_type else "",
                                                ", ".join(sorted(ids))),
                            product="APIM", kind=KIND_LOOKUP)
    if not ids:
        if missing_ok:
            return None
        raise GraviteeError("No API named '%s'%s in this APIM environment. Create it first (apim_api) or check the "
                            "name and apim_env." % (name, " with type %s" % api_type if api_type else ""),
                            product="APIM", kind=KIND_LOOKUP)
    return get_api(client, ids[0])


# --- resources ----------------------------------------------------------------------------

def api_resources(api) -> list:
    """The ``resources`` list of an API definition (``[]`` when there is none)."""
    return list((api or {}).get("resources") or [])


def find_resource(api, name, resource_type=None):
    """The resource named ``name`` (and of ``resource_type``, if given) on the API, or None.

    ``apim_plan`` uses ``find_resource(api, "AM", AM_RESOURCE_TYPE)`` to check that an OAuth2
    plan's resource exists before any write.
    """
    for resource in api_resources(api):
        if resource.get("name") == name and (resource_type is None or resource.get("type") == resource_type):
            return resource
    return None


def _merge_one(current, desired):
    """A current resource with the desired fields on top; configurations merge key by key, so keys
    the server added (defaults) or a user set in the Console and the task does not name survive."""
    merged = copy.deepcopy(current) if current else {}
    for key in ("name", "type"):
        merged[key] = desired[key]
    same_type = current is not None and current.get("type") == desired["type"]
    configuration = copy.deepcopy(current.get("configuration")) if same_type else None
    if not isinstance(configuration, dict):
        configuration = {}
    configuration.update(copy.deepcopy(desired.get("configuration") or {}))
    merged["configuration"] = configuration
    if desired.get("enabled") is not None:
        merged["enabled"] = desired["enabled"]
    merged.setdefault("enabled", True)
    return merged


def merge_resources(current, desired, purge=False) -> list:
    """The resources list after applying ``desired`` (list of {name, type, configuration, enabled}).

    Merged by name: listed resources are added (at the end) or updated in place, unlisted
    ones are kept unless ``purge``. ``desired=None`` leaves the list as it is.
    """
    current = list(current or [])
    if desired is None:
        return copy.deepcopy(current)
    wanted = {item["name"]: item for item in desired}
    result, seen = [], set()
    for resource in current:
        name = resource.get("name")
        if name in wanted:
            result.append(_merge_one(resource, wanted[name]))
            seen.add(name)
        elif not purge:
            result.append(copy.deepcopy(resource))
    result.extend(_merge_one(None, item) for item in desired if item["name"] not in seen)
    return result


def resource_in_sync(desired, current) -> bool:
    """A desired resource is in sync when type matches, every desired configuration key has the
    same value on the server (extra server keys are defaults) and ``enabled`` matches if given."""
    if current is None or current.get("type") != desired["type"]:
        return False
    if desired.get("enabled") is not None and bool(current.get("enabled", True)) != desired["enabled"]:
        return False
    configuration = current.get("configuration")
    if not isinstance(configuration, dict):
        return False
    return is_subset(desired.get("configuration") or {}, configuration)


def resources_in_sync(current, desired, purge=False) -> bool:
    """True when :func:`merge_resources` would change nothing the server would keep."""
    if desired is None:
        return True
    by_name = {resource.get("name"): resource for resource in current or []}
    if not all(resource_in_sync(item, by_name.get(item["name"])) for item in desired):
        return False
    return not purge or set(by_name) <= {item["name"] for item in desired}


def keys_apim_drops(org_client, resource_type, configuration) -> list:
    """Keys of ``configuration`` that APIM silently removes when it sanitises a resource of
    ``resource_type``: those outside the plugin schema's ``properties`` when the schema has
    ``additionalProperties: false`` (APIM validates resource configurations against the plugin's JSON
    schema and drops what it does not know). ``org_client`` is ``GraviteeModule.apim_org``."""
    response = org_client.get(plugin_path("resources", resource_type) + "/schema", allow_status=(404,))
    schema = response.body if response.status == 200 else None
    if not isinstance(schema, dict) or schema.get("additionalProperties") is not False:
        return []
    known = schema.get("properties") or {}
    return [key for key in configuration or {} if key not in known]


def secret_values(resources) -> list:
    """Values of secret-looking keys anywhere inside the resources' configurations (APIM returns them
    in clear text to administrators)."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if is_secret_key(key) and isinstance(item, (str, int, float)) and not isinstance(item, bool):
                    found.append(str(item))
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for resource in resources or []:
        if isinstance(resource, dict):
            walk(resource.get("configuration"))
    return found


# --- writing the definition ---------------------------------------------------------------

def put_api(client, definition) -> dict:
    """PUT the whole definition (read-only fields such as ``id``, ``state`` are ignored by APIM)."""
    return client.put(api_path(definition["id"]), json=definition).body


def stop_api(client, api_id) -> None:
    client.post(api_action_path(api_id, "_stop"))


def delete_api(client, api) -> None:
    """Stop the API if it runs, then DELETE it closing its plans (``closePlans=true``)."""
    if api.get("state") == "STARTED":
        stop_api(client, api["id"])
    client.delete(api_path(api["id"]), params={"closePlans": "true"})
