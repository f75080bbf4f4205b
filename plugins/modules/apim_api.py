#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: apim_api
short_description: Manage the Gravitee APIM V4 API that proxies an MCP server
version_added: 0.1.0
description:
  - Creates, updates or deletes a V4 API in Gravitee APIM (management API v2) that proxies an MCP server, and
    makes the gateway serve it (start and deploy).
  - The API is found by its exact O(name) and O(type); API names are not unique in APIM, so when several APIs
    share the name the task fails listing their ids and O(api_id) must pin the one to manage. An API made in the
    APIM Console is adopted the same way.
  - An update reads the API, changes only the fields this module manages (name, version, description, labels,
    context path, upstream URL, the listed resources) and writes the whole definition back, so flows, properties,
    other resources, response templates and anything else set in the Console are kept.
  - The desired state is compared as a subset of what APIM holds, because APIM adds defaults to plugin
    configurations and normalises the context path to end with C(/). A second run changes nothing and sends no
    write request.
  - Plans are managed with M(gravitee_community.mcp.apim_plan).
author:
  - gravitee_community.mcp contributors (@gravitee-community)
extends_documentation_fragment:
  - gravitee_community.mcp.apim
  - gravitee_community.mcp.am
  - gravitee_community.mcp.connection_common
  - gravitee_community.mcp.attributes
  - gravitee_community.mcp.attributes.apim_group
options:
  name:
    description:
      - Name of the API; with O(type), its identity when O(api_id) is not set.
      - With O(api_id), the API is renamed to O(name) if its name differs.
    type: str
    required: true
  api_id:
    description:
      - Id of an existing API to manage, when several APIs share O(name) or to rename an API.
      - With O(state=present) an unknown id is an error; with O(state=absent) it means there is nothing to do.
    type: str
  state:
    description:
      - V(present) creates or updates the API; V(absent) stops it if it runs, closes its plans and deletes it.
      - V(stopped) stops the API if it runs and changes nothing else, so that the gateway serves it no more (for
        example to close an API that is open to anyone); a missing API is left missing. O(state=present) with
        O(deployed=true) starts it again.
    type: str
    choices: [present, absent, stopped]
    default: present
  type:
    description:
      - V(mcp_proxy) creates an C(MCP_PROXY) API (APIM 4.10 or later, Enterprise C(mcp-proxy) plugin), which gets
        the MCP-specific OAuth2 behaviour (C(resource_metadata) in C(WWW-Authenticate), no subscription needed).
      - V(proxy) creates a plain HTTP proxy (C(PROXY)) API, for APIM before 4.10 or the Community Edition.
      - The type of an existing API cannot be changed.
    type: str
    choices: [mcp_proxy, proxy]
    default: mcp_proxy
  context_path:
    description:
      - Path of the API on the gateway, for example V(/mcp-proxy). APIM stores it with a leading and a trailing
        C(/) (V(/mcp-proxy/)); both spellings mean the same.
      - Must not be a prefix of the path of another API, nor start with one; the task fails naming that API.
      - Sets the first path of the API's HTTP listener; other paths added in the Console are kept.
      - Lower case only, the task fails otherwise. The gateway matches paths case-sensitively and AM stores an
        MCP server's resource identifier in lower case.
      - Required with O(state=present).
    type: str
  upstream_url:
    description:
      - URL of the MCP server the gateway forwards to (the endpoint's C(target)), for example
        V(http://mcp-server:3001/mcp).
      - Sets the target of the first endpoint of the API's first C(mcp-proxy) (or C(http-proxy)) endpoint group.
      - Required with O(state=present).
    type: str
  description:
    description:
      - Description of the API. Not changed when not set.
    type: str
  api_version:
    description:
      - Version label of the API (C(apiVersion)).
    type: str
    default: "1.0"
  labels:
    description:
      - Labels of the API (order does not matter). Not changed when not set; V([]) removes them all.
    type: list
    elements: str
  resources:
    description:
      - Resources of the API, merged by O(resources[].name) with those it has, for example the
        C(oauth2-am-resource) ("Gravitee.io AM Authorization Server") that an OAuth2 plan uses.
      - Listed resources are added or updated; the others are kept unless O(purge_resources=true).
      - Within a resource's O(resources[].configuration) only the keys given are managed; keys APIM adds as
        defaults or a user set in the Console are kept.
      - Values of secret keys (C(clientSecret), C(password), any key ending in C(secret), C(password) or
        C(token)) are hidden in the task output, the diff and the logs. APIM returns them in clear text to
        administrators, so they are compared like any other value.
      - Not changed when not set.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the resource; plans refer to it by this name.
        type: str
        required: true
      type:
        description: Plugin id of the resource, for example V(oauth2-am-resource).
        type: str
        required: true
      configuration:
        description:
          - Configuration of the resource plugin. For V(oauth2-am-resource) - C(serverURL) (the AM gateway),
            C(securityDomain) (the domain's path segment), C(clientId), C(clientSecret), C(version) (V(V3_X) for
            AM 3 and later) and optionally C(userClaim).
        type: dict
        required: true
      enabled:
        description: Whether the resource is enabled. APIM enables new resources when not set.
        type: bool
  purge_resources:
    description:
      - Remove the API's resources that are not listed in O(resources).
      - Needs O(resources); O(resources=[]) with O(purge_resources=true) removes every resource.
    type: bool
    default: false
  deployed:
    description:
      - V(true) makes the gateway serve the API as defined - a stopped API is started, and the API is deployed when
        APIM reports C(NEED_REDEPLOY) or this task changed its definition.
      - APIM starts or deploys an API only when it has a published plan. Without one (a new API has no plan) the
        task does not start or deploy it, does not fail, and returns a warning and RV(deployment.blocked). Publish a
        plan with M(gravitee_community.mcp.apim_plan), then run this task again to start the API.
      - V(false) leaves the runtime state alone - the API is neither started, stopped nor deployed, and changes wait
        for the next deployment.
    type: bool
    default: true
  gateway_url:
    description:
      - Public base URL of the APIM gateway, for example V(https://gateway.example.com).
      - When set, RV(api.entrypoint_url) gives the URL MCP clients use (this URL plus the context path).
    type: str
notes:
  - With O(state=absent) the API is found like with O(state=present); when it does not exist nothing is done.
seealso:
  - module: gravitee_community.mcp.apim_plan
"""

EXAMPLES = r"""
- name: Put the MCP server behind APIM
  gravitee_community.mcp.apim_api:
    apim_url: https://apim.example.com
    apim_username: admin
    apim_password: "{{ apim_admin_password }}"
    name: API MCP Proxy
    context_path: /mcp-proxy
    upstream_url: http://mcp-server:3001/mcp
    gateway_url: https://gateway.example.com
  register: mcp_api

- name: Add the AM authorization server resource (the OAuth2 plan refers to it by name)
  gravitee_community.mcp.apim_api:
    name: API MCP Proxy
    context_path: /mcp-proxy
    upstream_url: http://mcp-server:3001/mcp
    resources:
      - name: AM OAuth2 Resource
        type: oauth2-am-resource
        configuration:
          serverURL: https://am-gateway.example.com
          securityDomain: my-domain
          clientId: "{{ mcp_server.client_id }}"
          clientSecret: "{{ mcp_server.client_secret }}"
          version: V3_X
  module_defaults:
    group/gravitee_community.mcp.gravitee:
      apim_url: https://apim.example.com
      apim_token: "{{ apim_pat }}"

- name: APIM before 4.10 or Community Edition - a plain HTTP proxy API
  gravitee_community.mcp.apim_api:
    name: API MCP Proxy
    type: proxy
    context_path: /mcp-proxy
    upstream_url: http://mcp-server:3001/mcp

- name: One of two APIs with the same name
  gravitee_community.mcp.apim_api:
    name: API MCP Proxy
    api_id: 6d0e9b7c-2f3a-4b8e-8e9b-7c2f3a4b8e8e
    context_path: /mcp-proxy
    upstream_url: http://mcp-server:3001/mcp

- name: Remove it (stops it and closes its plans first)
  gravitee_community.mcp.apim_api:
    name: API MCP Proxy
    state: absent
"""

RETURN = r"""
api:
  description:
    - The API as APIM holds it after the task (predicted in check mode); secrets masked.
    - V(null) when O(state=absent).
  returned: always
  type: dict
  contains:
    id:
      description: Id of the API; V(null) in check mode when the API would be created.
      type: str
      sample: 6d0e9b7c-2f3a-4b8e-8e9b-7c2f3a4b8e8e
    name:
      description: Name of the API.
      type: str
      sample: API MCP Proxy
    type:
      description: Type of the API, as in O(type).
      type: str
      sample: mcp_proxy
    context_path:
      description: Context path, as APIM stores it (with a trailing C(/)).
      type: str
      sample: /mcp-proxy/
    upstream_url:
      description: Target of the MCP server.
      type: str
      sample: http://mcp-server:3001/mcp
    description:
      description: Description of the API.
      type: str
    api_version:
      description: Version label of the API.
      type: str
      sample: "1.0"
    labels:
      description: Labels of the API.
      type: list
      elements: str
    resources:
      description: Every resource of the API (also those the task does not manage), secret values masked.
      type: list
      elements: dict
      sample:
        - name: AM OAuth2 Resource
          type: oauth2-am-resource
          enabled: true
          configuration: {serverURL: "https://am-gateway.example.com", securityDomain: my-domain,
                          clientId: my-client, clientSecret: "********", version: V3_X, userClaim: sub}
    state:
      description: Runtime state, C(STARTED) or C(STOPPED).
      type: str
      sample: STARTED
    deployment_state:
      description: C(DEPLOYED) when the gateway serves the current definition, else C(NEED_REDEPLOY).
      type: str
      sample: DEPLOYED
    entrypoint_url:
      description: O(gateway_url) plus the context path; returned only when O(gateway_url) is set.
      type: str
      sample: https://gateway.example.com/mcp-proxy/
    plans:
      description:
        - Every plan of the API, in every status (closed ones included), as APIM lists them after the task.
        - V([]) for an API this task would create in check mode.
        - Tells, for example, whether the API already has a published OAuth2 plan.
      type: list
      elements: dict
      version_added: 0.1.0
      contains:
        id:
          description: Id of the plan.
          type: str
        name:
          description: Name of the plan.
          type: str
        security:
          description: Security of the plan, V(keyless) or V(oauth2) (else APIM's type in lower case).
          type: str
          sample: oauth2
        status:
          description: C(STAGING), C(PUBLISHED), C(DEPRECATED) or C(CLOSED).
          type: str
          sample: PUBLISHED
deployment:
  description: What the task did to make the gateway serve the API (predicted in check mode).
  returned: when O(state=present)
  type: dict
  contains:
    started:
      description: Whether the API was started.
      type: bool
    deployed:
      description: Whether a deployment was requested. The first start of an API deploys it too, without one.
      type: bool
    blocked:
      description: Why the API could not be started or deployed although O(deployed=true), else V(null).
      type: str
diff:
  description: The managed view of the API before and after the task (secrets masked); shown with C(--diff).
  returned: always
  type: dict
"""

import copy  # noqa: E402  (Ansible modules keep the documentation first)
import re  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.api import (  # noqa: E402
    API_TYPES,
    SERVING_PLAN_STATUSES,
    Rollout,
    delete_api,
    find_api,
    find_resource,
    get_api,
    keys_apim_drops,
    merge_resources,
    put_api,
    resources_in_sync,
    stop_api,
    sync_deployment,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.api_paths import (  # noqa: E402
    explain_path_conflict,
    http_paths,
    path_conflict_error,
    sanitise_context_path,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.client import api_path, list_plans  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.plan_config import (  # noqa: E402
    security_label,
    security_type,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.compare import build_diff  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import (  # noqa: E402
    KIND_USAGE,
    GraviteeError,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.scrub import is_secret_key  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.gravitee import GraviteeModule  # noqa: E402

OPTION_TYPES = {value: key for key, value in API_TYPES.items()}
CONNECTORS = {"MCP_PROXY": "mcp-proxy", "PROXY": "http-proxy"}
GROUP_NAMES = {"MCP_PROXY": ("Default MCP Proxy group", "Default MCP Proxy"),
               "PROXY": ("Default HTTP proxy group", "Default HTTP proxy")}
_FORBIDDEN_PATH_CHARACTERS = re.compile(r'[\s"<>\\^`{|}?#]')

ARGUMENT_SPEC = {
    "name": {"type": "str", "required": True},
    "api_id": {"type": "str"},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent", "stopped"]},
    "type": {"type": "str", "default": "mcp_proxy", "choices": list(API_TYPES)},
    "context_path": {"type": "str"},
    "upstream_url": {"type": "str"},
    "description": {"type": "str"},
    "api_version": {"type": "str", "default": "1.0"},
    "labels": {"type": "list", "elements": "str"},
    "resources": {"type": "list", "elements": "dict", "options": {
        "name": {"type": "str", "required": True},
        "type": {"type": "str", "required": True},
        "configuration": {"type": "dict", "required": True},
        "enabled": {"type": "bool"},
    }},
    "purge_resources": {"type": "bool", "default": False},
    "deployed": {"type": "bool", "default": True},
    "gateway_url": {"type": "str"},
}


# --- input --------------------------------------------------------------------------------

def _usage(message):
    return GraviteeError(message, kind=KIND_USAGE)


def _check_url(option, value):
    parts = urlsplit(value or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _usage("%s must be an http:// or https:// URL with a host, got %r." % (option, value))


def validate_params(params):
    """Clear errors for input Ansible's argument spec cannot check, before any request."""
    if params["state"] != "present":
        return
    path = params["context_path"]
    if not path.strip("/") or _FORBIDDEN_PATH_CHARACTERS.search(path):
        raise _usage("context_path must be a URL path such as /mcp-proxy (not '/', no spaces, '?' or '#'), got %r."
                     % path)
    if path != path.lower():
        # The gateway matches paths case-sensitively, and AM keeps an MCP server's resource identifier in
        # lower case: the public URL of an upper-case path would never match its AM resource.
        raise _usage("context_path must be lower case, got %r: APIM matches paths case-sensitively and AM stores "
                     "the MCP resource identifier in lower case, so OAuth2 discovery would never match. Use "
                     "context_path: %s." % (path, path.lower()))
    _check_url("upstream_url", params["upstream_url"])
    if params["gateway_url"] is not None:
        _check_url("gateway_url", params["gateway_url"])
    names = [resource["name"] for resource in params["resources"] or []]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise _usage("resources lists the name(s) %s more than once; resource names must be unique."
                     % ", ".join(duplicated))
    if not params["api_version"]:
        raise _usage("api_version must not be empty: give the version of the API, for example 1.0, or leave it out "
                     "(default 1.0).")


def secret_values(resources):
    """Values of secret-looking keys anywhere inside the resources' configurations."""
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
        walk(resource.get("configuration"))
    return found


def desired_state(params) -> dict:
    """What the task manages, in the module's words (None: not managed)."""
    return {
        "name": params["name"],
        "type": API_TYPES[params["type"]],
        "context_path": sanitise_context_path(params["context_path"]),
        "upstream_url": params["upstream_url"],
        "description": params["description"],
        "api_version": params["api_version"],
        "labels": params["labels"],
        "resources": params["resources"],
    }


# --- mapping between the definition and the managed fields --------------------------------

def create_body(desired) -> dict:
    """The CreateApiV4 body (apim-mapi.md §4a/§4b); resources and labels need a PUT afterwards."""
    connector = CONNECTORS[desired["type"]]
    group_name, endpoint_name = GROUP_NAMES[desired["type"]]
    body = {
        "definitionVersion": "V4",
        "type": desired["type"],
        "name": desired["name"],
        "apiVersion": desired["api_version"],
        "listeners": [{"type": "HTTP", "paths": [{"path": desired["context_path"]}],
                       "entrypoints": [{"type": connector, "qos": "NONE", "configuration": {}}]}],
        "endpointGroups": [_endpoint_group(desired["type"], desired["upstream_url"], group_name, endpoint_name)],
        "flowExecution": {"mode": "DEFAULT", "matchRequired": False},
        "flows": [],
    }
    if desired["description"] is not None:
        body["description"] = desired["description"]
    return body


def _endpoint_group(api_type, upstream_url, group_name, endpoint_name):
    connector = CONNECTORS[api_type]
    return {"name": group_name, "type": connector, "loadBalancer": {"type": "ROUND_ROBIN"},
            "sharedConfiguration": {"http": {"version": "HTTP_1_1", "connectTimeout": 3000, "readTimeout": 10000}},
            "endpoints": [{"name": endpoint_name, "type": connector, "weight": 1, "inheritConfiguration": True,
                           "configuration": {"target": upstream_url}}]}


def _http_listener(api):
    return next((item for item in api.get("listeners") or [] if item.get("type") == "HTTP"), None)


def _main_endpoint(api):
    connector = CONNECTORS.get(api.get("type"))
    for group in api.get("endpointGroups") or []:
        if group.get("type") == connector and group.get("endpoints"):
            return group["endpoints"][0]
    return None


def _has_entrypoint(api):
    listener = _http_listener(api) or {}
    return any(e.get("type") == CONNECTORS.get(api.get("type")) for e in listener.get("entrypoints") or [])


def managed_view(api) -> dict:
    """The fields this module manages, read from a full definition."""
    paths = http_paths(api)
    endpoint = _main_endpoint(api) or {}
    configuration = endpoint.get("configuration") if isinstance(endpoint.get("configuration"), dict) else {}
    return {
        "name": api.get("name"),
        "type": api.get("type"),
        "context_path": paths[0].get("path") if paths else None,
        "upstream_url": configuration.get("target"),
        "description": api.get("description"),
        "api_version": api.get("apiVersion"),
        "labels": list(api.get("labels") or []),
        "resources": list(api.get("resources") or []),
    }


def in_sync(desired, api, purge=False) -> bool:
    current = managed_view(api)
    for key in ("name", "context_path", "upstream_url", "api_version"):
        if current[key] != desired[key]:
            return False
    if desired["description"] is not None and (current["description"] or "") != desired["description"]:
        return False
    if desired["labels"] is not None and sorted(set(current["labels"])) != sorted(set(desired["labels"])):
        return False
    return _has_entrypoint(api) and resources_in_sync(current["resources"], desired["resources"], purge)


def apply_desired(api, desired, purge=False) -> dict:
    """A copy of the full definition with the managed fields set; everything else untouched."""
    definition = copy.deepcopy(api)
    definition["name"] = desired["name"]
    definition["apiVersion"] = desired["api_version"]
    if desired["description"] is not None:
        definition["description"] = desired["description"]
    if desired["labels"] is not None:
        definition["labels"] = list(desired["labels"])
    _apply_listener(definition, desired)
    _apply_endpoint(definition, desired)
    if desired["resources"] is not None or purge:
        definition["resources"] = merge_resources(definition.get("resources"), desired["resources"] or [], purge)
    return definition


def _apply_listener(definition, desired):
    connector = CONNECTORS[definition["type"]]
    listener = _http_listener(definition)
    if listener is None:
        listener = {"type": "HTTP", "paths": [], "entrypoints": []}
        definition.setdefault("listeners", []).append(listener)
    paths = listener.setdefault("paths", [])
    if paths:
        paths[0] = dict(paths[0], path=desired["context_path"])
    else:
        paths.append({"path": desired["context_path"]})
    entrypoints = listener.setdefault("entrypoints", [])
    if not any(e.get("type") == connector for e in entrypoints):
        entrypoints.append({"type": connector, "qos": "NONE", "configuration": {}})


def _apply_endpoint(definition, desired):
    endpoint = _main_endpoint(definition)
    if endpoint is None:
        group_name, endpoint_name = GROUP_NAMES[definition["type"]]
        group = _endpoint_group(definition["type"], desired["upstream_url"], group_name + " (Ansible)",
                                endpoint_name + " (Ansible)")
        definition.setdefault("endpointGroups", []).append(group)
        return
    configuration = endpoint.get("configuration")
    endpoint["configuration"] = dict(configuration if isinstance(configuration, dict) else {},
                                     target=desired["upstream_url"])


def predicted_creation(desired, purge=False) -> dict:
    """What APIM would hold after the creation (check mode): a stopped API without plans."""
    api = create_body(desired)
    api.update({"id": None, "state": "STOPPED", "deploymentState": "NEED_REDEPLOY", "lifecycleState": "CREATED",
                "visibility": "PRIVATE", "labels": list(desired["labels"] or []), "resources": []})
    return apply_desired(api, desired, purge)


def summary(api, gateway_url=None) -> dict:
    """The ``api`` result: the managed view plus identity and runtime state."""
    view = managed_view(api)
    view.update({"id": api.get("id"), "type": OPTION_TYPES.get(api.get("type"), api.get("type")),
                 "state": api.get("state"), "deployment_state": api.get("deploymentState")})
    if gateway_url and view["context_path"]:
        view["entrypoint_url"] = gateway_url.rstrip("/") + view["context_path"]
    return view


# --- the task -----------------------------------------------------------------------------

def _unsupported_type(err, desired):
    """APIM before 4.10 does not know MCP_PROXY (400); without the EE plugin it is 404 plugin.notFound."""
    message = err.gravitee_message or ""
    if desired["type"] == "MCP_PROXY" and (
            (err.status == 400 and "MCP_PROXY" in message)
            or (err.status == 404 and (err.technical_code == "plugin.notFound" or "mcp-proxy" in message))):
        return GraviteeError(
            "This APIM cannot create a type mcp_proxy API (%s). MCP_PROXY needs APIM 4.10 or later with the "
            "Enterprise mcp-proxy plugin; use type: proxy on older versions or the Community Edition."
            % (message or err.status), product="APIM", kind=err.kind, status=err.status, method=err.method,
            url=err.url, technical_code=err.technical_code, gravitee_message=err.gravitee_message)
    return err


def create(gm, desired, purge):
    client = gm.apim
    try:
        api = client.post(api_path(), json=create_body(desired)).body
    except GraviteeError as err:
        raise _unsupported_type(explain_path_conflict(client, err, desired["context_path"]), desired) from None
    if desired["resources"] or desired["labels"]:
        # Resources and labels are not part of CreateApiV4 (apim-mapi.md §4): a PUT adds them.
        try:
            api = put_api(client, apply_desired(api, desired, purge))
        except GraviteeError as err:
            raise GraviteeError("The API was created (id %s) but adding its resources/labels failed: %s Fix the "
                                "input and run the task again." % (api["id"], err), product="APIM", kind=err.kind,
                                status=err.status, method=err.method, url=err.url,
                                technical_code=err.technical_code, gravitee_message=err.gravitee_message) from None
    return api


def update(gm, current, desired, purge):
    client = gm.apim
    try:
        return put_api(client, apply_desired(current, desired, purge))
    except GraviteeError as err:
        raise explain_path_conflict(client, err, desired["context_path"], current["id"]) from None


def plan_summaries(plans) -> list:
    """The ``api.plans`` result: id, name, security (the module words) and status of each plan."""
    return [{"id": plan.get("id"), "name": plan.get("name"), "security": security_label(security_type(plan)),
             "status": plan.get("status")} for plan in plans]


def roll_out(gm, api, changed, created, plans):
    """Start/deploy as O(deployed) asks; returns (Rollout, api as it is now). ``plans``: all the API's plans."""
    if not gm.params["deployed"]:
        return Rollout(False, False, None, api.get("state"), api.get("deploymentState")), api
    if created and gm.check_mode:
        # A new API has no plan yet: APIM would refuse to start or deploy it.
        return sync_deployment(gm.apim, api, force=True, check_mode=True, plans=[]), api
    serving = [plan for plan in plans if plan.get("status") in SERVING_PLAN_STATUSES]
    rollout = sync_deployment(gm.apim, api, force=changed, check_mode=gm.check_mode, plans=serving)
    if gm.check_mode:
        api = dict(api, state=rollout.state, deploymentState=rollout.deployment_state)
    elif rollout.changed:
        api = get_api(gm.apim, api["id"])
    return rollout, api


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


def run_absent(gm, current):
    if current is not None:
        delete_api(gm.apim, current, check_mode=gm.check_mode)
    before = summary(current) if current is not None else None
    return {"changed": current is not None, "api": None, "diff": build_diff(before, None, gm.scrubber)}


def run_stopped(gm, current):
    running = current is not None and current.get("state") == "STARTED"
    after = dict(current, state="STOPPED") if running else current
    if running and not gm.check_mode:
        stop_api(gm.apim, current["id"])
        after = get_api(gm.apim, current["id"])
    before = summary(current) if current is not None else None
    result_api = summary(after) if after is not None else None
    return {"changed": running, "api": gm.scrubber.scrub(result_api) if result_api else None,
            "diff": build_diff(before, result_api, gm.scrubber)}


def run(gm):
    params = gm.params
    gm.register_no_log(*secret_values(params["resources"]))
    validate_params(params)
    desired = desired_state(params)
    # A pinned api_id must exist to be managed; when removing, its absence means "already done".
    current = find_api(gm.apim, name=params["name"], api_id=params["api_id"], api_type=desired["type"],
                       missing_ok=params["state"] != "present" or not params["api_id"])
    if params["state"] == "absent":
        return run_absent(gm, current)
    if params["state"] == "stopped":
        return run_stopped(gm, current)
    if current is not None and current.get("type") != desired["type"]:
        raise _usage("API %s ('%s') has type %s, but type is %s; the type of an API cannot be changed. Set type: %s, "
                     "or delete that API to create a new one." % (current["id"], current.get("name"),
                                                                  OPTION_TYPES.get(current.get("type"),
                                                                                   current.get("type")),
                                                                  params["type"],
                                                                  OPTION_TYPES.get(current.get("type"), "?")))
    purge = params["purge_resources"]
    if current is not None:
        desired = without_dropped_keys(gm, desired, current)
    created = current is None
    if created:
        if gm.check_mode:
            conflict = path_conflict_error(gm.apim, desired["context_path"])
            if conflict is not None:
                raise conflict
            after = predicted_creation(desired, purge)
        else:
            after = create(gm, desired, purge)
        changed = True
    elif in_sync(desired, current, purge):
        after, changed = current, False
    else:
        if gm.check_mode:
            if managed_view(current)["context_path"] != desired["context_path"]:
                conflict = path_conflict_error(gm.apim, desired["context_path"], current["id"])
                if conflict is not None:
                    raise conflict
            after = dict(apply_desired(current, desired, purge), deploymentState="NEED_REDEPLOY")
        else:
            after = update(gm, current, desired, purge)
        changed = True
    # One read serves both the start/deploy decision and the ``api.plans`` result.
    plans = list_plans(gm.apim, after["id"]) if after.get("id") is not None else []
    rollout, after = roll_out(gm, after, changed, created, plans)
    if rollout.blocked:
        gm.module.warn("API '%s' was not %s: %s." % (params["name"], "started" if after.get("state") != "STARTED"
                                                     else "deployed", rollout.blocked))
    gateway_url = params["gateway_url"]
    before = summary(current, gateway_url) if current is not None else None
    result_api = summary(after, gateway_url)
    # Plans are reported, not managed: they stay out of the diff.
    return {
        "changed": changed or rollout.changed,
        "api": dict(gm.scrubber.scrub(result_api), plans=plan_summaries(plans)),
        "deployment": {"started": rollout.started, "deployed": rollout.deployed, "blocked": rollout.blocked},
        "diff": build_diff(before, result_api, gm.scrubber),
    }


def main():
    GraviteeModule(ARGUMENT_SPEC, products=("apim",),
                   required_if=[("state", "present", ("context_path", "upstream_url")),
                                ("purge_resources", True, ("resources",))]).run(run)


if __name__ == "__main__":
    main()
