"""``molecule test -s secure_mcp`` (converge, idempotence, verify) against the session's sandbox.

The scenario (extensions/molecule/secure_mcp) uses the default driver, unmanaged, on localhost: no containers.
It reads the sandbox's URLs and accounts from the GRAVITEE_* variables, like a user who sourced .sandbox.env.
"""

import os
import re
import subprocess
import sys

from tests.collection_path import COLLECTIONS_ROOT
from tests.integration.harness import sandbox_env
from tests.integration.role_support import am_resource_of, apis_named, mcp_servers

COLLECTION_DIR = os.path.join(COLLECTIONS_ROOT, "ansible_collections", "gravitee_community", "mcp")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_molecule_converges_is_idempotent_and_verifies_with_mcp_probe(sandbox, tmp_path):
    venv_bin = os.path.dirname(sys.executable)
    env = sandbox_env(sandbox)
    # molecule calls ansible-config and ansible-playbook: the venv's, first on PATH.
    env.update({"PATH": venv_bin + os.pathsep + env.get("PATH", ""), "NO_COLOR": "1", "ANSIBLE_FORCE_COLOR": "0",
                "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.default",
                # molecule's working files (inventory, state) go here rather than under ~/.ansible/tmp.
                "MOLECULE_EPHEMERAL_DIRECTORY": str(tmp_path / "molecule")})
    proc = subprocess.run([os.path.join(venv_bin, "molecule"), "test", "-s", "secure_mcp"], cwd=COLLECTION_DIR,
                          env=env, capture_output=True, text=True, timeout=900)
    output = ANSI.sub("", proc.stdout + proc.stderr)
    assert proc.returncode == 0, output[-6000:]
    for action in ("converge", "idempotence", "verify"):
        assert re.search(r"secure_mcp (?:➜|>) %s\]?: Executed: Successful" % action, output), action

    (api,) = apis_named(sandbox, "Molecule MCP server")
    (server,) = mcp_servers(sandbox)
    url = sandbox.urls["apim_gateway_url"] + "/molecule-mcp/"
    assert server["resourceIdentifiers"] == [url, url.rstrip("/")]
    assert sandbox.am.secret_matches(server, am_resource_of(api)["configuration"]["clientSecret"])
    assert {p["security"]["type"]: p["status"] for p in sandbox.apim.plans_of(api["id"])} == {
        "KEY_LESS": "CLOSED", "OAUTH2": "PUBLISHED"}
