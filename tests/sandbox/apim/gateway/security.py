"""Plan selection: the gateway's security chain (``AbstractSecurityChain`` / ``AbstractSecurityPlan``).

Plans run in security-policy order (JWT 0, OAuth2 100, API key 500, keyless 1000); the first plan that can
handle the request is executed, and its outcome is the request's outcome.

- Keyless: handles any request, *unless* a plan before it extracted a security token (valid or not): a
  request that tried to authenticate must not fall back to keyless (``KeylessPolicy.extractSecurityToken``).
- OAuth2: extracts the token and introspects it while selecting (see ``oauth2``); an inactive
  token or one without a client id does not select the plan. An introspection error makes selection fail
  with 503 ``Temporarily Unavailable`` when no plan handles the request.
- Subscriptions: the OAuth2 policy needs none for ``MCP_PROXY`` APIs (``requireSubscription(ctx)``). For
  any other API type Gravitee looks up an APIM subscription of an application whose client id is the token's.
  The sandbox has no applications or subscriptions, so on a PROXY API a valid token never selects the plan
  (401), exactly what real APIM does for a token whose client has no subscription.
- JWT, API key and mTLS plans are not modelled: they never handle a request and extract no token.
- Nothing handles the request: 401 ``Unauthorized`` (key ``GATEWAY_PLAN_UNRESOLVABLE``), with the
  ``WWW-Authenticate`` each OAuth2 plan contributes (the last one wins, as each sets the header).
- The selected OAuth2 plan then runs: insufficient scopes give 401 with ``WWW-Authenticate: Bearer
  realm="gravitee.io"``; ``propagateAuthHeader: false`` removes ``Authorization`` before proxying.
"""

from dataclasses import dataclass, field

from . import oauth2
from .routing import MCP_PROXY

POLICY_ORDER = {"JWT": 0, "OAUTH2": 100, "API_KEY": 500, "KEY_LESS": 1000}
UNMODELLED_ORDER = 200
UNAUTHORIZED = "Unauthorized"
TEMPORARILY_UNAVAILABLE = "Temporarily Unavailable"
REALM_CHALLENGE = 'Bearer realm="gravitee.io"'


@dataclass
class Decision:
    """The chain's verdict. ``status`` is None when the request may be proxied."""

    status: int | None = None
    message: str | None = None
    headers: list = field(default_factory=list)
    plan: dict | None = None
    security_type: str | None = None
    token_present: bool = False
    client_id: str | None = None
    strip_authorization: bool = False


def ordered_plans(api):
    plans = list(api.get("plans") or [])
    return sorted(plans, key=lambda plan: POLICY_ORDER.get(oauth2.security_type(plan), UNMODELLED_ORDER))


class SecurityChain:
    def __init__(self, http, flavour, route, headers, query_string, url):
        self.http = http
        self.flavour = flavour
        self.route = route
        self.headers = headers
        self.query_string = query_string
        self.url = url
        self._introspections = {}  # (token, resource name) -> Introspection, like the per-request cache

    async def decide(self):
        api = self.route.api
        plans = ordered_plans(api)
        token_seen = False
        resolution_error = None
        for plan in plans:
            kind = oauth2.security_type(plan)
            if kind == "KEY_LESS":
                if token_seen:
                    continue
                return Decision(plan=plan, security_type=kind, token_present=self._token() is not None)
            if kind != "OAUTH2":
                continue
            try:
                selected = await self._oauth2_selects(plan)
            except _IntrospectionUnavailable as exc:
                resolution_error = exc
                continue
            if selected is None:
                continue
            token_seen = True
            if selected:
                return await self._execute_oauth2(plan)
        if resolution_error is not None:
            return Decision(status=503, message=TEMPORARILY_UNAVAILABLE)
        return Decision(status=401, message=UNAUTHORIZED, headers=self._challenge(plans))

    def _token(self):
        return oauth2.extract_token(self.headers, self.query_string)

    async def _introspect(self, plan):
        config = oauth2.policy_config(plan)
        resource = oauth2.find_am_resource(self.route.api, config.get("oauthResource"))
        token = self._token()
        if resource is None or token is None:
            return None, token
        key = (token, config.get("oauthResource"))
        if key not in self._introspections:
            self._introspections[key] = await oauth2.introspect(self.http, resource, token)
        return self._introspections[key], token

    async def _oauth2_selects(self, plan):
        """None: no token extracted; False: a token that does not select the plan; True: selected."""
        result, _token = await self._introspect(plan)
        if result is None:
            return None
        if result.client_id is None:
            if result.error is not None:
                raise _IntrospectionUnavailable(result.error)
            return False
        return self.route.api_type == MCP_PROXY  # other types need an APIM subscription (none exist here)

    async def _execute_oauth2(self, plan):
        config = oauth2.policy_config(plan)
        result, token = await self._introspect(plan)
        refused = Decision(status=401, message=UNAUTHORIZED, headers=[("www-authenticate", REALM_CHALLENGE)])
        if not token.strip():
            return refused
        if config.get("checkRequiredScopes") and not oauth2.has_required_scopes(
                result.scopes(), config.get("requiredScopes"), config.get("modeStrict", True)):
            return refused
        return Decision(plan=plan, security_type="OAUTH2", token_present=True, client_id=result.client_id,
                        strip_authorization=not config.get("propagateAuthHeader", True))

    def _challenge(self, plans):
        value = None
        for plan in plans:
            if oauth2.security_type(plan) == "OAUTH2":
                value = oauth2.challenge(self.flavour, self.route.api_type, self.url,
                                         oauth2.policy_config(plan)) or value
        return [("www-authenticate", value)] if value else []


class _IntrospectionUnavailable(Exception):
    pass
