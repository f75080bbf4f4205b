"""``make demo``: start the sandbox, put its MCP server behind APIM + AM, use it as a client would.

Until the secure_mcp role exists, the guide's steps run as plain HTTP calls
(tests/support/guide_http.py). Everything started here is stopped on exit.
"""

import argparse
import json
import sys

from tests.sandbox import Sandbox, SandboxConfig
from tests.support import guide_http
from tests.support.mcp_client import oauth_session, open_session, run


def say(text):
    print(text, flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.demo")
    parser.add_argument("--base-port", type=int, default=18080)
    args = parser.parse_args(argv)

    sandbox = Sandbox(SandboxConfig(base_port=args.base_port))
    try:
        sandbox.start()
    except RuntimeError as exc:
        say(f"demo: {exc} (is `make sandbox` already running? stop it, or pass --base-port)")
        return 1
    try:
        say("== Gravitee sandbox is up")
        for key, value in sandbox.urls.items():
            say(f"   {key:18} {value}")
        urls, seed = sandbox.urls, sandbox.seed
        mcp_url = urls["apim_gateway_url"] + "/mcp-proxy/"

        say("\n== Step 1: open MCP proxy API with a Keyless plan, started")
        apim = guide_http.Apim(urls["apim_url"], seed["apim_username"], seed["apim_password"])
        api = apim.create_api("API MCP Proxy", "/mcp-proxy/", urls["upstream_url"])
        keyless = apim.create_published_plan(api["id"], "Keyless", "KEY_LESS", {})
        apim.call("POST", f"/apis/{api['id']}/_start", 204)
        guide_http.wait_for_status(mcp_url, 200)
        opened = run(open_session(mcp_url, "echo", {"text": "hello through the open gateway"}))
        say(f"   MCP client, no token: tools={opened['tools']} echo -> {opened['call']}")

        say("\n== Steps 2-5: AM MCP server, DCR, AM resource + OAuth2 plan, Keyless closed, redeployed")
        am = guide_http.Am(urls["am_url"], seed["am_username"], seed["am_password"])
        domain = am.domain(seed["am_domain"])
        server = am.create_mcp_server(domain["id"], "Sandbox MCP server", mcp_url)
        am.enable_open_dcr(domain["id"])
        apim.add_am_resource(api["id"], urls["am_gateway_url"], domain["path"].strip("/"),
                             server["clientId"], server["clientSecret"])
        apim.create_published_plan(api["id"], "OAuth2", "OAUTH2", guide_http.OAUTH2_PLAN)
        apim.call("POST", f"/apis/{api['id']}/plans/{keyless['id']}/_close", 200)
        apim.call("POST", f"/apis/{api['id']}/deployments", 202, json={"deploymentLabel": "demo"})
        denied = guide_http.wait_for_status(mcp_url, 401)
        say(f"   no token now: {denied.status_code}, WWW-Authenticate: {denied.headers.get('www-authenticate')}")

        say("\n== Step 6: the official MCP SDK client: discovery, DCR, login as "
            f"{seed['am_user']!r}, PKCE, token, tools")
        secured = run(oauth_session(mcp_url, seed["am_user"], seed["am_user_password"],
                                    "echo", {"text": "hello with an AM token"}))
        say(f"   registered client {secured['client_id']}; tools={secured['tools']} echo -> {secured['call']}")
        say("\n== Done: " + json.dumps({"mcp_url": mcp_url, "tools": secured["tools"]}))
        return 0
    finally:
        sandbox.stop()
        say("== Sandbox stopped")


if __name__ == "__main__":
    sys.exit(main())
