"""mAPI v2 read-only catalogue: ``/organizations/{orgId}/plugins/...`` and the environments.

- ``GET /plugins/{entrypoints|endpoints|resources|policies}[/{id}[/schema]]`` and
  ``/plugins/endpoints/{id}/shared-configuration-schema``: the installed plugins of schemas.CATALOGUE (the
  mcp-proxy connectors only on EE from 4.10.0); an unknown id is 404 ``plugin.notFound``.
- ``GET /environments`` answers a bare JSON array (EnvironmentsResource returns ``Collection<Environment>``,
  whatever the spec's envelope says); ``GET /environments/{envId}`` accepts the id or the hrid.
"""

from . import schemas
from .http import json_response


def _environment(env):
    return {"id": env["id"], "name": env["name"], "description": env["description"]}


async def list_environments(call):
    return json_response([_environment(env) for env in call.store.environments.values()])


async def get_environment(call):
    return json_response(_environment(call.env))


async def list_plugins(call):
    plugins = schemas.installed(call.sandbox, call.params["kind"])
    return json_response([plugin.describe(call.sandbox) for plugin in plugins])


async def get_plugin(call):
    plugin = schemas.find(call.sandbox, call.params["kind"], call.params["pluginId"])
    return json_response(plugin.describe(call.sandbox))


async def plugin_schema(call):
    plugin = schemas.find(call.sandbox, call.params["kind"], call.params["pluginId"])
    return json_response(plugin.schema(call.sandbox))


async def shared_configuration_schema(call):
    plugin = schemas.find(call.sandbox, "endpoints", call.params["pluginId"])
    return json_response(plugin.shared_schema(call.sandbox))
