"""The guide with the collection's five modules in one playbook, then a client nobody here wrote.

Issues 3 and 4 together: what the secure_mcp role will run, written out as tasks.
"""

from tests.support.guide_http import mcp_initialize, wait_for_status
from tests.support.mcp_client import oauth_session, run

API = "API MCP Proxy"
CONTEXT_PATH = "/mcp-proxy/"
RESOURCE = "AM OAuth2 Resource"


def open_phase(sandbox):
    api = {"name": API, "context_path": CONTEXT_PATH, "upstream_url": sandbox.urls["upstream_url"],
           "gateway_url": sandbox.urls["apim_gateway_url"]}
    return [
        {"name": "open api", "gravitee_community.mcp.apim_api": api},
        # Publishing the first plan starts the API whose start apim_api recorded as pending (issue 12).
        {"name": "keyless", "gravitee_community.mcp.apim_plan": {"api": API, "name": "Keyless",
                                                                  "security": "keyless"}},
    ]


def secure_phase(sandbox):
    mcp_url = sandbox.urls["apim_gateway_url"] + CONTEXT_PATH
    domain = sandbox.seed["am_domain"]
    resource = {"name": RESOURCE, "type": "oauth2-am-resource", "configuration": {
        "serverURL": sandbox.urls["am_gateway_url"], "securityDomain": domain, "version": "V3_X",
        "clientId": "{{ mcp.mcp_server.client_id }}", "clientSecret": "{{ mcp.client_secret }}"}}
    return [
        {"name": "mcp server", "register": "mcp", "no_log": True, "gravitee_community.mcp.am_mcp_server": {
            "domain": domain, "name": "Sandbox MCP server", "resource_identifier": mcp_url}},
        {"name": "dcr", "gravitee_community.mcp.am_dcr": {"domain": domain}},
        {"name": "registration", "gravitee_community.mcp.am_registration": {"domain": domain}},
        # AM shows the secret only when it creates it: the resource is written in that run.
        {"name": "am resource", "when": "mcp.client_secret is defined", "no_log": True,
         "gravitee_community.mcp.apim_api": {
             "name": API, "context_path": CONTEXT_PATH, "upstream_url": sandbox.urls["upstream_url"],
             "resources": [resource]}},
        {"name": "oauth2", "gravitee_community.mcp.apim_plan": {
            "api": API, "name": "OAuth2", "security": "oauth2",
            # A scope in the metadata keeps the MCP SDK from registering scope " offline_access" (MCP Python SDK 2.3.0).
            "oauth2": {"resource": RESOURCE, "required_scopes": ["openid"]}}},
        {"name": "close keyless", "gravitee_community.mcp.apim_plan": {"api": API, "name": "Keyless",
                                                                        "state": "closed"}},
    ]


def test_five_modules_secure_the_mcp_server_for_a_real_client(playbook, sandbox):
    mcp_url = sandbox.urls["apim_gateway_url"] + CONTEXT_PATH
    play_defaults = {"module_defaults": {"group/gravitee_community.mcp.gravitee": {"validate_certs": False}}}

    opened = playbook(open_phase(sandbox), play_extra=play_defaults)
    assert opened.rc == 0, opened.output
    assert wait_for_status(mcp_url, 200).status_code == 200

    secured = playbook(secure_phase(sandbox), play_extra=play_defaults)
    assert secured.rc == 0, secured.output
    assert secured.changed >= 5
    denied = wait_for_status(mcp_url, 401)
    assert denied.status_code == 401
    assert "resource_metadata=" in denied.headers["www-authenticate"]

    again = playbook(secure_phase(sandbox), play_extra=play_defaults)
    assert again.rc == 0, again.output
    assert again.changed == 0, [r["name"] for r in again.results() if r.get("changed")]
    assert again.writes == []
    assert mcp_initialize(mcp_url).status_code == 401, "a rerun never reopens the API"

    client = run(oauth_session(mcp_url, sandbox.seed["am_user"], sandbox.seed["am_user_password"],
                               "echo", {"text": "through the modules"}))
    assert "echo" in client["tools"]
    assert client["call"] and "through the modules" in client["call"][0]
