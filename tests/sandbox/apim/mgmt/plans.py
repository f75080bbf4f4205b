"""mAPI v2 ``/apis/{apiId}/plans``: list, create, read, update, publish, deprecate, close, delete.

Facts modelled (gravitee-api-management 4.12.17, ``ApiPlansResource``, core ``CreatePlanUseCase``/
``UpdatePlanDomainService``/``PlanValidatorDomainService``, v4 ``PlanServiceImpl``):

- list: ``statuses`` defaults to PUBLISHED, ``securities``/``statuses`` are comma lists of upper-case enum names,
  sorted by ``order``, in-memory pagination (a page past the end is 400 ``pagination.invalid``), unknown API 404;
- create: always STAGING, mode STANDARD and validation MANUAL by default, STANDARD needs a security, the
  security configuration is *validated* against the policy schema (missing ``oauthResource`` is 400
  ``data.invalid``) but stored as sent: the sanitised copy is discarded (PlanValidatorDomainService ignores the
  return value of validateAndSanitizeConfiguration), so defaults are not added and unknown keys stay;
- update: ``security.type`` is not part of UpdatePlanV4 and is ignored (the type never changes), the new
  configuration is validated against the existing type's schema; name/crossId/tags/validation kept when omitted,
  the rest overwritten; ``needRedeployAt`` moves only when security, selection rule, tags or flows change;
- ``_publish``/``_deprecate``/``_close`` follow APIM's plan states (STAGING -> PUBLISHED -> DEPRECATED, any
  -> CLOSED; otherwise 400 plan.published / plan.notPublished / plan.deprecated / plan.closed); one KEY_LESS plan
  PUBLISHED/DEPRECATED per API; publish and close move ``needRedeployAt`` (so the API becomes NEED_REDEPLOY),
  deprecate does not; closing the last published plan of a started API is allowed (the gateway keeps the last
  deployment until a redeploy, which is then refused with ``api.NotDeployable``);
- delete: any status (no subscriptions in the sandbox); a deleted plan leaves no trace for ``deploymentState``.
"""

from tests.sandbox.apim.store import INTERNAL, internal, iso, public

from . import schemas, shapes, validation
from .errors import (
    ApimError,
    api_not_found,
    api_not_found_domain,
    domain_validation,
    keyless_exists,
    plan_closed,
    plan_deprecated,
    plan_invalid,
    plan_not_found,
    plan_not_published,
    plan_published,
    query_param_invalid,
    validation_error,
)
from .http import cache_headers, empty_response, enum_query, json_response, paged, pagination

REDEPLOY_FIELDS = ("security", "selectionRule", "tags", "flows")


def security_type(plan):
    """KEY_LESS, OAUTH2... or None for a PUSH plan (no security)."""
    return (plan.get("security") or {}).get("type")


def render(plan, with_flows=True):
    body = public(plan)
    if not with_flows:
        body.pop("flows", None)
    return body


def stamp(store, plan, *fields):
    """Set ``updatedAt`` and the given date fields to now; returns the epoch ms."""
    now = store.now_ms()
    internal(plan)["updated_ms"] = now
    for name in ("updatedAt", *fields):
        plan[name] = iso(now)
    return now


def find_plan(call):
    plan_id = call.params["planId"]
    plan = call.store.plans.get(plan_id)
    if plan is None or plan["apiId"] != call.params["apiId"]:
        raise plan_not_found(plan_id)
    return plan


def _reorder_after_removal(store, removed):
    for plan in store.plans_of(removed["apiId"]):
        if plan["status"] == "PUBLISHED" and plan["order"] > removed["order"]:
            plan["order"] -= 1


# -- state changes (also used by API deletion) ------------------------------------------------------
def close(store, plan):
    if plan["status"] == "CLOSED":
        raise plan_closed(plan["id"])
    plan["status"] = "CLOSED"
    internal(plan)["need_redeploy_ms"] = stamp(store, plan, "closedAt")
    _reorder_after_removal(store, plan)
    return plan


def publish(store, plan):
    if plan["status"] == "CLOSED":
        raise plan_closed(plan["id"])
    if plan["status"] == "PUBLISHED":
        raise plan_published(plan["id"])
    if plan["status"] == "DEPRECATED":
        raise plan_deprecated(plan["id"])
    others = store.plans_of(plan["apiId"])
    if security_type(plan) == "KEY_LESS" and any(
            security_type(p) == "KEY_LESS" and p["status"] in ("PUBLISHED", "DEPRECATED") for p in others):
        raise keyless_exists(plan["id"])
    published = [p["order"] for p in others if p["status"] == "PUBLISHED"]
    plan["status"] = "PUBLISHED"
    plan["order"] = max(published) + 1 if published else 1
    internal(plan)["need_redeploy_ms"] = stamp(store, plan, "publishedAt")
    return plan


def deprecate(store, plan):
    if plan["status"] == "DEPRECATED":
        raise plan_deprecated(plan["id"])
    if plan["status"] == "CLOSED":
        raise plan_closed(plan["id"])
    if plan["status"] == "STAGING":
        raise plan_not_published(plan["id"])
    plan["status"] = "DEPRECATED"
    stamp(store, plan)
    return plan


# -- validation shared by create and update ------------------------------------------------------------
def _check_security(sandbox, mode, security):
    if mode == "STANDARD":
        if security is None:
            raise domain_validation("Security type is required for plan with 'STANDARD' mode")
        if security.get("configuration") is not None:
            policy = schemas.find(sandbox, "policies", schemas.SECURITY_POLICIES[security["type"]])
            security["configuration"] = schemas.validate_only(policy.schema(sandbox),
                                                                   schemas.as_object(security["configuration"]))
    elif security is not None:
        raise domain_validation("Security type is forbidden for plan with 'Push' mode")


def _check_tags(plan_tags, api):
    api_tags = api.get("tags") or []
    if plan_tags and not set(plan_tags) & set(api_tags):
        raise domain_validation("Plan tags mismatch the tags defined by the API",
                                {"planTags": ",".join(plan_tags), "apiTags": ",".join(api_tags)})


def _api_for_create(call):
    api = call.store.api_in(call.env["id"], call.params["apiId"])
    if api is None:
        raise api_not_found_domain(call.params["apiId"])
    if api["lifecycleState"] == "DEPRECATED":
        raise domain_validation("The API is deprecated and cannot be modified.", {"apiId": api["id"]})
    return api


# -- handlers ------------------------------------------------------------------------------------------
async def list_plans(call):
    statuses = enum_query(call, "statuses", shapes.PLAN_STATUSES, "PlanStatus", default=["PUBLISHED"])
    securities = enum_query(call, "securities", shapes.PLAN_SECURITY_TYPES, "PlanSecurityType")
    mode = call.query("mode")
    if mode is not None and mode not in shapes.PLAN_MODES:
        raise query_param_invalid("mode", f"No enum constant {shapes.MODEL}PlanMode.{mode}")
    page, per_page = pagination(call)
    if call.store.api_in(call.env["id"], call.params["apiId"]) is None:
        raise api_not_found(call.params["apiId"])
    plans = [p for p in call.store.plans_of(call.params["apiId"])
             if p["status"] in statuses and (not securities or security_type(p) in securities)
             and (mode is None or p["mode"] == mode)]
    plans.sort(key=lambda p: p["order"])
    with_flows = "-flow" not in call.query_list("fields")
    return json_response(paged(call, [render(p, with_flows) for p in plans], page, per_page, in_memory=True))


async def create_plan(call):
    raw = call.body()
    if raw is None:
        raise validation_error([("createApiPlan.createPlan", "must not be null")])
    body = shapes.plan_body(raw, update=False)
    if body["definitionVersion"] != "V4":
        raise plan_invalid()
    api = _api_for_create(call)
    mode = body.get("mode", "STANDARD")
    security = body.get("security")
    _check_security(call.sandbox, mode, security)
    _check_tags(body.get("tags"), api)
    flows = validation.validate_flows(api["type"], body.get("flows"))
    store = call.store
    now = store.now_ms()
    plan = {"id": store.new_id(), "name": body.get("name"), "apiId": api["id"], "mode": mode,
            "characteristics": body.get("characteristics", []), "commentRequired": body.get("commentRequired", False),
            "createdAt": iso(now), "updatedAt": iso(now), "definitionVersion": "V4",
            "excludedGroups": body.get("excludedGroups", []), "order": body.get("order", 0), "status": "STAGING",
            "tags": body.get("tags", []), "type": "API", "validation": body.get("validation", "MANUAL"),
            "flows": flows, INTERNAL: {"updated_ms": now, "need_redeploy_ms": now}}
    if security is not None:
        plan["security"] = security
    for optional in ("crossId", "description", "commentMessage", "generalConditions", "selectionRule"):
        if optional in body:
            plan[optional] = body[optional]
    plan = {k: v for k, v in plan.items() if v is not None}
    store.plans[plan["id"]] = plan
    location = str(call.request.url.replace(query="")).rstrip("/") + "/" + plan["id"]
    return json_response(render(plan), 201, {"Location": location})


async def get_plan(call):
    plan = find_plan(call)
    return json_response(render(plan), headers=cache_headers(internal(plan)["updated_ms"]))


def _check_excluded_groups(groups):
    """ApiPlansResource.validateExcludedGroups; the sandbox environment has no user groups at all."""
    if groups:
        raise ApimError(404, f"Group [{groups[0]}] cannot be found.", "group.notFound", {"group": groups[0]})


async def update_plan(call):
    raw = call.body()
    if raw is None:
        raise validation_error([("updateApiPlan.updatePlan", "must not be null")])
    body = shapes.plan_body(raw, update=True)
    plan = find_plan(call)
    if body["definitionVersion"] != "V4":
        raise plan_invalid(plan["id"])
    _check_excluded_groups(body.get("excludedGroups"))
    api = call.store.apis[plan["apiId"]]
    updated = dict(plan)
    updated["name"] = body.get("name", plan.get("name"))
    updated["crossId"] = body.get("crossId", plan.get("crossId"))
    updated["validation"] = body.get("validation", plan["validation"])
    updated["tags"] = body.get("tags", plan["tags"])
    updated["order"] = body.get("order", 0)
    updated["commentRequired"] = body.get("commentRequired", False)
    for name, empty in (("characteristics", []), ("excludedGroups", [])):
        updated[name] = body.get(name, empty)
    for name in ("description", "commentMessage", "generalConditions", "selectionRule"):
        updated[name] = body.get(name)
    if plan.get("security") is not None:
        updated["security"] = {"type": plan["security"]["type"]}
        configuration = (body.get("security") or {}).get("configuration")
        if configuration is not None:
            updated["security"]["configuration"] = configuration
    _check_security(call.sandbox, updated["mode"], updated.get("security"))
    _check_tags(updated["tags"], api)
    updated["flows"] = validation.validate_flows(api["type"], body.get("flows"))
    changed = any(updated.get(name) != plan.get(name) for name in REDEPLOY_FIELDS)
    plan.clear()
    plan.update({k: v for k, v in updated.items() if v is not None})
    now = stamp(call.store, plan)
    if changed:
        internal(plan)["need_redeploy_ms"] = now
    return json_response(render(plan))


async def publish_plan(call):
    return json_response(render(publish(call.store, find_plan(call))))


async def deprecate_plan(call):
    return json_response(render(deprecate(call.store, find_plan(call))))


async def close_plan(call):
    return json_response(render(close(call.store, find_plan(call))))


async def delete_plan(call):
    plan = find_plan(call)
    del call.store.plans[plan["id"]]
    _reorder_after_removal(call.store, plan)
    return empty_response(204)
