"""The sandbox APIM Management API v2 (``/management/v2``): a strict test double of Gravitee APIM 4.x.

Every route exists twice, as ``/management/v2/...`` and ``/management/v2/organizations/{orgId}/...``
(the plugin catalogue only in the organisation form). Order of checks, as in the real server: authentication
(Spring Security, before any routing), route and method (Jersey), organisation and environment (id or hrid),
then the handler. Handlers live in apis.py, deploy.py, plans.py and plugins.py, after Gravitee's
ApisResource.java, ApiResource.java and ApiPlansResource.java (gravitee-api-management 4.12.17).
"""

import logging
import re

from starlette.requests import Request

from . import apis, catalogue_extra, deploy, plans, plugins
from .errors import ApimError, environment_not_found, method_not_allowed, organization_not_found, route_not_found
from .http import Call, authenticate, error_response

log = logging.getLogger(__name__)

PREFIX = re.compile(r"^/management/v2(?:/organizations/(?P<orgId>[^/]+))?(?P<rest>/.*)$")
API = "/environments/{envId}/apis/{apiId}"
PLAN = API + "/plans/{planId}"
PLUGIN_KINDS = "(?P<kind>entrypoints|endpoints|resources|policies)"

# (method, path template, handler, scope); scope "env": needs the environment, "org": organisation prefix only.
ROUTES = (
    ("GET", "/environments", plugins.list_environments, "any"),
    ("GET", "/environments/{envId}", plugins.get_environment, "env"),
    ("GET", "/environments/{envId}/apis", apis.list_apis, "env"),
    ("POST", "/environments/{envId}/apis", apis.create_api, "env"),
    ("POST", "/environments/{envId}/apis/_search", apis.search_apis, "env"),
    ("GET", API, apis.get_api, "env"),
    ("PUT", API, apis.update_api, "env"),
    ("DELETE", API, apis.delete_api, "env"),
    ("POST", API + "/_start", deploy.start_api, "env"),
    ("POST", API + "/_stop", deploy.stop_api, "env"),
    ("POST", API + "/deployments", deploy.deploy_api, "env"),
    ("GET", API + "/deployments/current", deploy.current_deployment, "env"),
    ("GET", API + "/plans", plans.list_plans, "env"),
    ("POST", API + "/plans", plans.create_plan, "env"),
    ("GET", PLAN, plans.get_plan, "env"),
    ("PUT", PLAN, plans.update_plan, "env"),
    ("DELETE", PLAN, plans.delete_plan, "env"),
    ("POST", PLAN + "/_publish", plans.publish_plan, "env"),
    ("POST", PLAN + "/_deprecate", plans.deprecate_plan, "env"),
    ("POST", PLAN + "/_close", plans.close_plan, "env"),
    ("GET", "/plugins/" + PLUGIN_KINDS, plugins.list_plugins, "org"),
    ("GET", "/plugins/" + PLUGIN_KINDS + "/{pluginId}", plugins.get_plugin, "org"),
    ("GET", "/plugins/" + PLUGIN_KINDS + "/{pluginId}/schema", plugins.plugin_schema, "org"),
    ("GET", "/plugins/endpoints/{pluginId}/shared-configuration-schema", plugins.shared_configuration_schema,
     "org"),
)


def _compile(template):
    return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "/?$")


COMPILED = tuple((method, _compile(template), handler, scope) for method, template, handler, scope in ROUTES)


def _route(method, org_id, rest):
    """(handler, params, scope) or raise 404/405 the way Jersey does."""
    path_matched = False
    for route_method, regex, handler, scope in COMPILED:
        matched = regex.match(rest)
        if not matched or (scope == "org" and org_id is None):
            continue
        path_matched = True
        if route_method == method:
            return handler, matched.groupdict(), scope
    raise method_not_allowed() if path_matched else route_not_found()


def _resolve_context(store, org_id, params, scope):
    if org_id is not None and org_id not in (store.organization["id"], store.organization["hrid"]):
        raise organization_not_found(org_id)
    if scope != "env":
        return None
    env = store.environment(params["envId"])
    if env is None:
        raise environment_not_found(params["envId"])
    return env


def build_app(sandbox):
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        try:
            response = await _handle(sandbox, request)
        except ApimError as error:
            response = error_response(error)
        except Exception as exc:  # a sandbox bug must still answer like APIM's ThrowableMapper
            log.exception("sandbox APIM management API failure")
            response = ApimError(500, f"{type(exc).__name__}: {exc}").response()
        await response(scope, receive, send)

    return app


async def _handle(sandbox, request):
    store = sandbox.apim
    matched = PREFIX.match(request.url.path)
    if matched is None and not catalogue_extra.V1_RESOURCES.match(request.url.path):
        raise route_not_found()
    authenticate(store, request.headers)
    extra = catalogue_extra.answer(sandbox, request)
    if extra is not None:
        return extra
    org_id = matched.group("orgId")
    handler, params, scope = _route(request.method, org_id, matched.group("rest"))
    env = _resolve_context(store, org_id, params, scope)
    call = Call(sandbox, request, params, env, await request.body())
    return await handler(call)
