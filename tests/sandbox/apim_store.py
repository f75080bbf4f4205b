"""In-memory state of the sandbox APIM (management API and gateway share it).

Owned by apim_mgmt.py, which writes it. The gateway only reads
:meth:`ApimStore.gateway_apis`.
"""

import copy
import time


class ApimStore:
    def __init__(self, sandbox):
        self.sandbox = sandbox
        seed = sandbox.seed
        self.organization = {"id": seed["apim_org"], "hrid": seed["apim_org"]}
        self.environments = {
            "DEFAULT": {"id": "DEFAULT", "hrid": seed["apim_env"], "name": "Default environment",
                        "organizationId": seed["apim_org"]},
        }
        self.users = {seed["apim_username"]: seed["apim_password"]}
        self.tokens = {seed["apim_token"]: seed["apim_username"]}
        self.apis = {}       # id -> stored API definition (ApiV4 shape)
        self.plans = {}      # id -> stored plan (PlanV4 shape, with "apiId")
        # api id -> list of {"visible_at": monotonic seconds, "definition": ApiV4 copy with "plans",
        #                    "started": bool}, oldest first. Appended on every deployment, start and stop.
        self.deploy_events = {}

    def record_deploy_event(self, api_id, started):
        """Snapshot the API and its published/deprecated plans for the gateway."""
        definition = copy.deepcopy(self.apis[api_id])
        definition["plans"] = [
            copy.deepcopy(p) for p in self.plans.values()
            if p["apiId"] == api_id and p["status"] in ("PUBLISHED", "DEPRECATED")
        ]
        event = {"visible_at": time.monotonic() + float(self.sandbox.config.sync_delay),
                 "definition": definition, "started": started}
        self.deploy_events.setdefault(api_id, []).append(event)
        return event

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
