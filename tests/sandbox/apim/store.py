"""In-memory state of the sandbox APIM (management API and gateway share it).

Written by the management API (apim_*.py); the gateway only reads :meth:`ApimStore.gateway_apis`.

APIs and plans are kept in their mAPI v2 shape (ApiV4 / PlanV4, plans with ``apiId``) so they can be served
with little mapping; what only the sandbox needs (environment, millisecond clocks) lives under the
``"_sandbox"`` key of each record and never leaves the store (:func:`public`).

Deployment facts modelled (gravitee-api-management 4.12.17, ``ApiStateServiceImpl``):

- a deployment writes a PUBLISH_API event with the current definition and its published/deprecated plans;
- ``_start``/``_stop`` write START_API/STOP_API events that re-emit the *last published* payload (pending edits
  are not deployed), except the very first start, which deploys;
- deleting an API writes UNPUBLISH_API;
- ``deploymentState`` (``isSynchronized``) is DEPLOYED only when the last of those events is not UNPUBLISH_API,
  the @DeploymentRequired fields of the current definition (plans excluded) equal the deployed ones, and no
  non-STAGING plan has ``needRedeployAt`` after the API's ``deployedAt``. No event at all (a brand-new API) means
  NEED_REDEPLOY.
"""

import copy
import time
import uuid

INTERNAL = "_sandbox"
# Fields of the v4 ApiEntity annotated @DeploymentRequired (plans are compared separately).
DEPLOYMENT_FIELDS = ("tags", "listeners", "endpointGroups", "analytics", "failover", "properties", "resources",
                     "flowExecution", "flows", "responseTemplates", "services")
SERVED_PLAN_STATUSES = ("PUBLISHED", "DEPRECATED")


def public(record):
    """A deep copy of a stored API or plan without the sandbox's own bookkeeping."""
    return {k: copy.deepcopy(v) for k, v in record.items() if k != INTERNAL}


def internal(record):
    return record[INTERNAL]


def iso(ms):
    """Epoch milliseconds as the ISO-8601 date-time the mAPI v2 writes."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms / 1000)) + ".%03dZ" % (ms % 1000)


class ApimStore:
    def __init__(self, sandbox):
        self.sandbox = sandbox
        seed = sandbox.seed
        self.organization = {"id": seed["apim_org"], "hrid": seed["apim_org"]}
        self.environments = {
            "DEFAULT": {"id": "DEFAULT", "hrid": seed["apim_env"], "name": "Default environment",
                        "description": "Default environment", "organizationId": seed["apim_org"]},
        }
        self.users = {seed["apim_username"]: seed["apim_password"]}
        self.tokens = {seed["apim_token"]: seed["apim_username"]}
        self.primary_owner = {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, "sandbox-apim-admin")),
                              "displayName": seed["apim_username"], "type": "USER"}
        self.apis = {}       # id -> stored API definition (ApiV4 shape)
        self.plans = {}      # id -> stored plan (PlanV4 shape, with "apiId")
        # api id -> list of {"visible_at": monotonic seconds, "definition": ApiV4 copy with "plans",
        #                    "started": bool, "kind": PUBLISH_API|START_API|STOP_API|UNPUBLISH_API}, oldest first.
        # Appended on every deployment, start, stop and delete.
        self.deploy_events = {}
        # Every request the gateway proxied upstream, oldest first (appended by apim/gateway/proxy.py): lets a test
        # prove that nothing reached the MCP server without passing a plan. Keys: ts, api_id, api_type, method, path,
        # plan_id, security_type, token_present, client_id, authorization_forwarded, upstream_url.
        self.gateway_forwarded = []
        self._last_ms = 0

    # -- identities and clock ---------------------------------------------------------------
    @staticmethod
    def new_id():
        return str(uuid.uuid4())

    def now_ms(self):
        """Wall-clock epoch milliseconds, strictly increasing (ETags and redeploy checks compare them)."""
        ms = max(int(time.time() * 1000), self._last_ms + 1)
        self._last_ms = ms
        return ms

    def environment(self, id_or_hrid):
        for env in self.environments.values():
            if id_or_hrid in (env["id"], env["hrid"]):
                return env
        return None

    # -- lookups --------------------------------------------------------------------------------
    def api_in(self, env_id, api_id):
        api = self.apis.get(api_id)
        return api if api is not None and internal(api)["env"] == env_id else None

    def apis_in(self, env_id):
        return [a for a in self.apis.values() if internal(a)["env"] == env_id]

    def plans_of(self, api_id):
        return [p for p in self.plans.values() if p["apiId"] == api_id]

    # -- deployments ------------------------------------------------------------------------------
    def record_deploy_event(self, api_id, started, kind="PUBLISH_API", definition=None):
        """Snapshot the API and its published/deprecated plans for the gateway.

        ``definition`` (START_API/STOP_API) re-emits an earlier snapshot instead of the current state.
        """
        if definition is None:
            definition = public(self.apis[api_id])
            definition["plans"] = [public(p) for p in self.plans_of(api_id) if p["status"] in SERVED_PLAN_STATUSES]
        else:
            definition = copy.deepcopy(definition)
        definition["state"] = "STARTED" if started else "STOPPED"
        event = {"visible_at": time.monotonic() + float(self.sandbox.config.sync_delay),
                 "definition": definition, "started": started, "kind": kind}
        self.deploy_events.setdefault(api_id, []).append(event)
        return event

    def last_published(self, api_id):
        """The definition of the last PUBLISH_API event, or None."""
        for event in reversed(self.deploy_events.get(api_id, [])):
            if event["kind"] == "PUBLISH_API":
                return event["definition"]
        return None

    def deployment_state(self, api_id):
        events = self.deploy_events.get(api_id) or []
        if not events or events[-1]["kind"] == "UNPUBLISH_API":
            return "NEED_REDEPLOY"
        deployed = events[-1]["definition"]
        api = self.apis[api_id]
        if any(api.get(name) != deployed.get(name) for name in DEPLOYMENT_FIELDS):
            return "NEED_REDEPLOY"
        deployed_ms = internal(api)["deployed_ms"] or 0
        for plan in self.plans_of(api_id):
            if plan["status"] != "STAGING" and internal(plan)["need_redeploy_ms"] > deployed_ms:
                return "NEED_REDEPLOY"
        return "DEPLOYED"

    def gateway_apis(self, now=None):
        """What the gateway serves now: the last visible deployment of each started API.

        Returns a list of ApiV4 definitions (deep copies), each with a ``plans`` list holding
        the plans that were PUBLISHED or DEPRECATED when it was deployed.
        """
        now = time.monotonic() if now is None else now
        served = []
        for events in self.deploy_events.values():
            visible = [e for e in events if e["visible_at"] <= now]
            if visible and visible[-1]["started"]:
                served.append(copy.deepcopy(visible[-1]["definition"]))
        return served
