"""The secure_mcp role inside someone else's play: import_role, include_role in a loop over several MCP servers,
and the connection from module_defaults on the collection's action group only.
"""

from tests.integration.role_support import (
    ROLE,
    am_resource_of,
    apis_named,
    management_writes,
    mcp_servers,
    role_vars,
    run_play,
    summaries,
)
from tests.support.guide_http import mcp_initialize
from tests.support.mcp_client import oauth_session, run

# The GRAVITEE_* variables point nowhere: the role can only reach Gravitee through the play's module_defaults.
DEAD_ENV = {"GRAVITEE_APIM_URL": "http://127.0.0.1:9", "GRAVITEE_AM_URL": "http://127.0.0.1:9"}
SERVERS = {
    "one": {"secure_mcp_name": "MCP one", "secure_mcp_context_path": "/mcp-one",
            "secure_mcp_tools": [{"name": "echo", "description": "Echo the text back"}]},
    "two": {"secure_mcp_name": "MCP two", "secure_mcp_context_path": "/mcp-two"},
    "three": {"secure_mcp_name": "MCP three", "secure_mcp_context_path": "/mcp-three"},
}


def server_vars(sandbox, key):
    values = role_vars(sandbox, secure_mcp_verify="discovery", **SERVERS[key])
    # The connection comes from module_defaults; the role's own connection variables stay unset.
    for name in ("secure_mcp_apim_url", "secure_mcp_am_url"):
        values.pop(name)
    values["secure_mcp_api_name"] = SERVERS[key]["secure_mcp_name"]
    return values


def play(sandbox, imported, looped):
    urls, seed = sandbox.urls, sandbox.seed
    connection = {"apim_url": urls["apim_url"], "apim_username": seed["apim_username"],
                  "apim_password": seed["apim_password"], "am_url": urls["am_url"],
                  "am_username": seed["am_username"], "am_password": seed["am_password"]}
    return [{
        "name": "An existing play that also secures MCP servers",
        "hosts": "localhost", "connection": "local", "gather_facts": False,
        "module_defaults": {"group/gravitee_community.mcp.gravitee": connection},
        "tasks": [
            {"name": "Something the play did before", "ansible.builtin.set_fact": {"unrelated": True}},
            {"name": "First MCP server (import_role)", "ansible.builtin.import_role": {"name": ROLE},
             "vars": server_vars(sandbox, imported)},
            {"name": "More MCP servers (include_role in a loop)", "ansible.builtin.include_role": {"name": ROLE},
             "loop": [server_vars(sandbox, key) for key in looped], "loop_control": {"loop_var": "mcp_server"},
             "vars": {name: "{{ mcp_server.%s }}" % name for name in server_vars(sandbox, looped[0])}},
        ],
    }]


def check_each_api_holds_its_own_server(sandbox, keys):
    servers = {server["name"]: server for server in mcp_servers(sandbox)}
    client_ids = set()
    for key in keys:
        name = SERVERS[key]["secure_mcp_name"]
        (api,) = apis_named(sandbox, name)
        resource = am_resource_of(api)["configuration"]
        server = servers[name]
        url = sandbox.urls["apim_gateway_url"] + SERVERS[key]["secure_mcp_context_path"]
        assert server["resourceIdentifiers"] == [url + "/", url]
        assert resource["clientId"] == server["clientId"], name
        assert sandbox.am.secret_matches(server, resource["clientSecret"]), name
        client_ids.add(server["clientId"])
    assert len(client_ids) == len(keys)


def test_import_and_a_loop_of_include_role_with_module_defaults_keep_each_server_apart(sandbox):
    first = run_play(sandbox, play(sandbox, "one", ["two"]), env=DEAD_ENV)
    assert first.rc == 0, first.output
    check_each_api_holds_its_own_server(sandbox, ["one", "two"])
    tools = {server["name"]: [(f["key"], f.get("description")) for f in server.get("features") or []]
             for server in mcp_servers(sandbox)}
    assert tools == {"MCP one": [("echo", "Echo the text back")], "MCP two": []}
    assert [s["mcp_url"] for s in summaries(first)] == [sandbox.urls["apim_gateway_url"] + "/mcp-one/",
                                                        sandbox.urls["apim_gateway_url"] + "/mcp-two/"]
    assert summaries(first)[0]["am_mcp_server"]["client_id"] != summaries(first)[1]["am_mcp_server"]["client_id"]

    # A new server between two existing ones: its new secret must not reach the one after it, and the existing
    # ones must not take anything from it. Only "three" changes.
    second = run_play(sandbox, play(sandbox, "one", ["three", "two"]), env=DEAD_ENV)
    assert second.rc == 0, second.output
    check_each_api_holds_its_own_server(sandbox, ["one", "two", "three"])
    (one, three, two) = summaries(second)
    assert three["am_mcp_server"]["secret"] == "new, set on the API resource"
    assert one["am_mcp_server"]["secret"] == two["am_mcp_server"]["secret"] == "unchanged (kept in the API resource)"
    assert "ran in this run" in three["api"]["keyless_bootstrap"]
    assert one["api"]["keyless_bootstrap"] == two["api"]["keyless_bootstrap"] == "skipped"
    changed_apis = {p.split("/apis/")[1].split("/")[0] for _, p in management_writes(second) if "/apis/" in p}
    assert changed_apis == {three["api"]["id"]}
    assert not [p for _, p in management_writes(second) if "protected-resources" in p and "_renew" in p]

    url = sandbox.urls["apim_gateway_url"] + "/mcp-two/"
    assert mcp_initialize(url).status_code == 401
    client = run(oauth_session(url, sandbox.seed["am_user"], sandbox.seed["am_user_password"],
                               "echo", {"text": "server two"}))
    assert client["call"] and "server two" in client["call"][0]
