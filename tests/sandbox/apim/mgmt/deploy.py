"""mAPI v2 runtime endpoints of an API: ``_start``, ``_stop``, ``deployments``, ``deployments/current``.

Facts modelled (gravitee-api-management 4.12.17, ``ApiResource``, v4 ``ApiStateServiceImpl``):

- a deployment and a start need a PUBLISHED or DEPRECATED plan (``ApiValidationServiceImpl.canDeploy``), else
  400 ``api.NotDeployable`` "The api {<id>} can not be deployed without at least one published plan" / "The API
  {<id>} can not be started without at least one published plan";
- ``_start``/``_stop``: ``If-Match`` (412), then 400 "API is already started" / "API is already stopped"
  (BadRequestException: message only), then the state change; 204 with ETag. The first start deploys (a
  PUBLISH_API event, ``deployedAt`` set); later starts and every stop re-emit the last deployed definition;
- ``POST deployments``: optional ``deploymentLabel`` (<= 32 characters), 202 without body, ETag; deploying a
  stopped API records the deployment without serving it;
- ``GET deployments/current``: the *current* definition (not the last deployed one: GetApiDefinitionUseCase reads
  the API and its PUBLISHED/DEPRECATED plans), in the gateway definition format (``definitionVersion`` "4.0.0",
  lower-case type and plan labels).
"""

from tests.sandbox.apim.store import SERVED_PLAN_STATUSES, internal, iso, public

from .apis import find_api, touch
from .errors import api_not_deployable, bad_request, validation_error
from .http import cache_headers, check_if_match, empty_response, json_response

TYPE_LABELS = {"PROXY": "proxy", "MESSAGE": "message", "MCP_PROXY": "mcp-proxy", "LLM_PROXY": "llm-proxy",
               "A2A_PROXY": "a2a-proxy", "AUTHZ": "authz", "EDGE": "edge", "NATIVE": "native"}
SECURITY_LABELS = {"KEY_LESS": "key-less", "API_KEY": "api-key", "OAUTH2": "oauth2", "JWT": "jwt", "MTLS": "mtls"}
DEFINITION_FIELDS = ("id", "name", "apiVersion", "tags", "listeners", "endpointGroups", "analytics", "failover",
                     "properties", "resources", "flowExecution", "flows", "responseTemplates", "services")


def can_deploy(store, api_id):
    return any(p["status"] in SERVED_PLAN_STATUSES for p in store.plans_of(api_id))


def deploy(store, api):
    """A PUBLISH_API event with the current definition; ``deployedAt`` and ``updatedAt`` move."""
    now = store.now_ms()
    api["updatedAt"] = api["deployedAt"] = iso(now)
    internal(api)["updated_ms"] = internal(api)["deployed_ms"] = now
    store.record_deploy_event(api["id"], api["state"] == "STARTED")


def _check_lifecycle(api, starting):
    if api["lifecycleState"] == "ARCHIVED":
        raise bad_request("Deleted API cannot be " + ("started" if starting else "stopped"))
    if starting and api["state"] == "STARTED":
        raise bad_request("API is already started")
    if not starting and api["state"] == "STOPPED":
        raise bad_request("API is already stopped")


async def start_api(call):
    api = find_api(call)
    store = call.store
    check_if_match(call, internal(api)["updated_ms"])
    _check_lifecycle(api, starting=True)
    if not can_deploy(store, api["id"]):
        raise api_not_deployable(f"The API {{{api['id']}}} can not be started without at least one published plan")
    api["state"] = "STARTED"
    touch(call, api)
    last = store.last_published(api["id"])
    if last is None:
        deploy(store, api)
    else:
        store.record_deploy_event(api["id"], True, kind="START_API", definition=last)
    return empty_response(204, cache_headers(internal(api)["updated_ms"]))


async def stop_api(call):
    api = find_api(call)
    store = call.store
    check_if_match(call, internal(api)["updated_ms"])
    _check_lifecycle(api, starting=False)
    api["state"] = "STOPPED"
    touch(call, api)
    store.record_deploy_event(api["id"], False, kind="STOP_API", definition=store.last_published(api["id"]))
    return empty_response(204, cache_headers(internal(api)["updated_ms"]))


async def deploy_api(call):
    body = call.body()
    label = body.get("deploymentLabel") if isinstance(body, dict) else None
    if isinstance(label, str) and len(label) > 32:
        raise validation_error([("deploymentLabel", "size must be between 0 and 32", label)])
    api = find_api(call)
    if not can_deploy(call.store, api["id"]):
        raise api_not_deployable(f"The api {{{api['id']}}} can not be deployed without at least one published plan")
    deploy(call.store, api)
    return empty_response(202, cache_headers(internal(api)["updated_ms"]))


def _plan_definition(plan):
    definition = {"id": plan["id"], "name": plan.get("name"), "mode": plan["mode"].lower(),
                  "status": plan["status"].lower(), "tags": plan.get("tags", []), "flows": plan.get("flows", [])}
    if plan.get("security"):
        definition["security"] = {"type": SECURITY_LABELS[plan["security"]["type"]]}
        if plan["security"].get("configuration") is not None:
            definition["security"]["configuration"] = plan["security"]["configuration"]
    if plan.get("selectionRule"):
        definition["selectionRule"] = plan["selectionRule"]
    return definition


async def current_deployment(call):
    api = public(find_api(call))
    definition = {name: api[name] for name in DEFINITION_FIELDS if name in api}
    definition.update({"type": TYPE_LABELS[api["type"]], "definitionVersion": "4.0.0"})
    definition["plans"] = [_plan_definition(p) for p in call.store.plans_of(api["id"])
                           if p["status"] in SERVED_PLAN_STATUSES]
    return json_response(definition)
