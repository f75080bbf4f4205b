"""Two catalogue answers outside mAPI v2's organisation form, as measured on real APIM CE 4.10.9.

- ``GET /management/v2/plugins/resources`` (no ``/organizations/{orgId}``) answers 500 with an empty body:
  the resource-plugin list is not usable there, so a client must not rely on it.
- The environment-level mAPI v1 ``GET /management/organizations/{orgId}/environments/{envId}/resources``
  lists the installed resource plugins (``oauth2-am-resource`` 4.0.0 on 4.10.9):
  ``[{"id", "name", "description", "version"}]``.

Every other v1 path stays unknown here (404), as the collection uses mAPI v2 only.
"""

import re

from . import schemas
from .errors import environment_not_found, organization_not_found
from .http import empty_response, json_response

V2_RESOURCE_PLUGINS = re.compile(r"^/management/v2/plugins/resources/?$")
V1_RESOURCES = re.compile(r"^/management/organizations/(?P<orgId>[^/]+)/environments/(?P<envId>[^/]+)/resources/?$")


def _v1_resources(sandbox, org_id, env_id):
    store = sandbox.apim
    if org_id not in (store.organization["id"], store.organization["hrid"]):
        raise organization_not_found(org_id)
    if store.environment(env_id) is None:
        raise environment_not_found(env_id)
    plugins = schemas.installed(sandbox, "resources")
    return json_response([{key: plugin.describe(sandbox)[key] for key in ("id", "name", "description", "version")}
                          for plugin in plugins])


def answer(sandbox, request):
    """The response for one of these two requests (already authenticated), or None for any other."""
    if request.method != "GET":
        return None
    path = request.url.path
    if V2_RESOURCE_PLUGINS.match(path):
        return empty_response(500)
    matched = V1_RESOURCES.match(path)
    if matched:
        return _v1_resources(sandbox, matched.group("orgId"), matched.group("envId"))
    return None
