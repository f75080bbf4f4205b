"""``make demo``: start the sandbox, secure its MCP server with the real playbook, use it as a client would.

1. the Gravitee sandbox on its default ports (18080-18084);
2. ``ansible-playbook playbooks/secure_mcp.yml -e @playbooks/vars/sandbox.yml`` (the role's summary is printed);
3. the same playbook again: nothing to change;
4. the official MCP Python SDK as a user's client: 401, discovery, DCR, login, PKCE, token, tools;
then everything started here is stopped.
"""

import argparse
import os
import re
import subprocess
import sys

from tests.collection_path import COLLECTIONS_ROOT, REPO_ROOT
from tests.sandbox import Sandbox, SandboxConfig
from tests.support.guide_http import mcp_initialize
from tests.support.mcp_client import oauth_session, run

PLAYBOOK = ["playbooks/secure_mcp.yml", "-e", "@playbooks/vars/sandbox.yml"]


def say(text=""):
    print(text, flush=True)


def ansible_playbook(*args):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
               ANSIBLE_FORCE_COLOR="0")
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", *args]
    proc = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    return proc


def recap(output):
    match = re.search(r"localhost\s*:\s*(ok=\d+\s+changed=\d+.*)", output)
    return " ".join(match.group(1).split()) if match else "(no recap)"


def summary_block(output):
    """The role's closing summary task, as ansible-playbook printed it."""
    start = output.find("Secure MCP | Summary")
    if start < 0:
        return output[-3000:]
    end = output.find("PLAY RECAP", start)
    return output[output.rfind("TASK [", 0, start):end].strip()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.demo")
    parser.parse_args(argv)
    sandbox = Sandbox(SandboxConfig(base_port=18080))
    try:
        sandbox.start()
    except RuntimeError as exc:
        say(f"demo: {exc} (is `make sandbox` already running? stop it first)")
        return 1
    try:
        say("== 1. Gravitee sandbox is up")
        for key, value in sandbox.urls.items():
            say(f"   {key:18} {value}")

        say("\n== 2. ansible-playbook " + " ".join(PLAYBOOK))
        first = ansible_playbook(*PLAYBOOK)
        say(summary_block(first.stdout))
        say(f"   recap: {recap(first.stdout)}")
        if first.returncode != 0:
            say(first.stdout[-4000:] + first.stderr[-2000:])
            return first.returncode

        say("\n== 3. The same playbook again (idempotent: nothing to change, no write request)")
        since = sandbox.log.last_seq()
        second = ansible_playbook(*PLAYBOOK)
        writes = [e for e in sandbox.log.since(since) if e["component"] in ("apim_mgmt", "am_mgmt")
                  and e["method"] in ("PUT", "PATCH", "DELETE", "POST")
                  and not e["path"].endswith(("/_search", "/management/auth/token"))]
        say(f"   recap: {recap(second.stdout)}; management write requests: {len(writes)}")

        found = re.search(r'"mcp_url": "([^"]+)"', first.stdout)
        mcp_url = found.group(1) if found else sandbox.urls["apim_gateway_url"] + "/mcp-proxy"
        denied = mcp_initialize(mcp_url)
        say(f"\n== 4. An MCP client at {mcp_url}")
        say(f"   without a token: {denied.status_code}, WWW-Authenticate: {denied.headers.get('www-authenticate')}")
        seed = sandbox.seed
        client = run(oauth_session(mcp_url, seed["am_user"], seed["am_user_password"], "echo",
                                   {"text": "hello through Gravitee"}, client_name="make-demo"))
        say(f"   official MCP SDK client: registered {client['client_id']} by DCR, signed in as {seed['am_user']!r}")
        say(f"   tools: {client['tools']}")
        say(f"   echo -> {client['call']}")
        return 0 if second.returncode == 0 else second.returncode
    finally:
        sandbox.stop()
        say("\n== Sandbox stopped")


if __name__ == "__main__":
    sys.exit(main())
