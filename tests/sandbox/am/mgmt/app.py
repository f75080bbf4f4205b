"""The sandbox AM management API (``/management``), a strict double of AM's MAPI
(gravitee-access-management, docs/mapi/openapi.yaml and the REST resources behind it).

Routing is done here rather than with Starlette routes because AM's order matters:
Spring Security authenticates every ``/management`` call first (401), then Jersey
matches a resource (404 ``HTTP 404 Not Found`` / 405 ``HTTP 405 Method Not Allowed``).
Endpoints that do not exist in the configured AM version (``sandbox.config.am_version``)
are missing routes, exactly as on an older server.

The handlers live in {auth,domains,resources,resource_secrets,apps,scopes}.py next to this file.
"""

import logging
import re
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response

from . import apps, auth, cimd, identities, resource_secrets, resources, scopes
from . import domains as am_mgmt_domains
from .common import (
    INTERNAL_ERROR,
    METHOD_NOT_ALLOWED,
    ROUTE_NOT_FOUND,
    MgmtError,
    domain_not_found,
    error_response,
    permission_denied,
)

LOG = logging.getLogger(__name__)
BASE = "/management"
ENV = r"/organizations/(?P<org>[^/]+)/environments/(?P<env>[^/]+)"
DOMAIN = ENV + r"/domains/(?P<domain>[^/]+)"


@dataclass
class Route:
    pattern: str            # regex relative to /management; "{E}" and "{D}" expand to the prefixes
    handlers: dict          # HTTP method -> async handler(ctx)
    since: str = ""         # first AM version that has the endpoint
    regex: re.Pattern = field(init=False)

    def __post_init__(self):
        self.regex = re.compile(self.pattern.replace("{E}", ENV).replace("{D}", DOMAIN) + "$")


@dataclass
class Ctx:
    """What a handler gets: the sandbox, the request, path parameters and the admin's name."""
    sandbox: object
    request: Request
    params: dict
    user: str

    @property
    def store(self):
        return self.sandbox.am

    def at_least(self, version):
        return self.sandbox.am_version_at_least(version)

    def domain(self):
        """The path's domain. It must be the domain *id*; an hrid there is simply not found."""
        domain = self.store.domains.get(self.params["domain"])
        if domain is None:
            raise domain_not_found(self.params["domain"])
        return domain


# Each module lists (pattern, {method: handler}[, since]) tuples.
ROUTES = [
    Route(*entry)
    for module_routes in (
        [(r"/user", {"GET": auth.current_user})],
        am_mgmt_domains.ROUTES,
        resources.ROUTES,
        resource_secrets.ROUTES,
        apps.ROUTES,
        cimd.ROUTES,
        scopes.ROUTES,
        identities.ROUTES,
    )
    for entry in module_routes
]


def _resolve(sandbox, path, method):
    """``(route handler, path params)``; raises the 404/405 Jersey would give."""
    allowed = False
    for route in ROUTES:
        match = route.regex.match(path)
        if not match or (route.since and not sandbox.am_version_at_least(route.since)):
            continue
        handler = route.handlers.get(method)
        if handler is None:
            allowed = True
            continue
        return handler, match.groupdict()
    raise MgmtError(405, METHOD_NOT_ALLOWED) if allowed else MgmtError(404, ROUTE_NOT_FOUND)


def _check_environment(store, params):
    # AM checks that the path's organization/environment/domain ids belong together before
    # anything else; an unknown organization or environment fails that check.
    if "org" in params and (params["org"] != store.organization_id or params["env"] != store.environment_id):
        raise permission_denied()


async def handle(sandbox, request):
    path = request.url.path
    if path != BASE and not path.startswith(BASE + "/"):
        return Response(status_code=404)
    relative = path[len(BASE):] or "/"
    if relative == "/auth/token" and request.method == "POST":
        return await auth.issue_token(sandbox, request)
    try:
        user = auth.authenticate(sandbox, request)
        handler, params = _resolve(sandbox, relative, request.method)
        _check_environment(sandbox.am, params)
        return await handler(Ctx(sandbox, request, params, user))
    except MgmtError as exc:
        return error_response(exc.status, exc.message)
    except Exception:  # AM's ThrowableMapper; logged because here it is a sandbox gap or bug
        LOG.exception("am_mgmt: unexpected error on %s %s", request.method, path)
        return error_response(500, INTERNAL_ERROR)


def build_app(sandbox):
    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                await send({"type": message["type"] + ".complete"})
                if message["type"] == "lifespan.shutdown":
                    return
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        response = await handle(sandbox, request)
        await response(scope, receive, send)

    return app
