"""A module built on the engine runs under real Ansible: AnsiballZ packs the module_utils
(relative imports included), env fallbacks reach the module, and failures come back masked."""

import json
import os
import subprocess
import sys
import textwrap

from tests.collection_path import COLLECTIONS_ROOT

MODULE = '''
from ansible_collections.gravitee_community.mcp.plugins.module_utils.gravitee import GraviteeModule


def main():
    gm = GraviteeModule({"fail": {"type": "bool", "default": False}}, products=("apim",))

    def run(gm):
        if gm.params["fail"]:
            return {"status": gm.apim.get("apis").status}  # nothing listens there: connection error
        return {"base": gm.apim.base_url, "check_mode": gm.check_mode}

    gm.run(run)


if __name__ == "__main__":
    main()
'''


def run_adhoc(tmp_path, args, extra_env):
    modules = tmp_path / "ansible_collections" / "enginetest" / "dummy" / "plugins" / "modules"
    modules.mkdir(parents=True, exist_ok=True)
    (modules / "engine_probe.py").write_text(textwrap.dedent(MODULE))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH="%s:%s" % (tmp_path, COLLECTIONS_ROOT),
               ANSIBLE_STDOUT_CALLBACK="minimal", ANSIBLE_LOAD_CALLBACK_PLUGINS="1",
               ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_HOST_KEY_CHECKING="false", **extra_env)
    ansible = os.path.join(os.path.dirname(sys.executable), "ansible")
    done = subprocess.run([ansible, "localhost", "-i", "localhost,", "-c", "local", "-e",
                           "ansible_python_interpreter=%s" % sys.executable, "-m", "enginetest.dummy.engine_probe",
                           "-a", args], capture_output=True, text=True, env=env, timeout=180, check=False)
    output = done.stdout
    return json.loads(output[output.index("=> {") + 3:])


def test_engine_module_runs_under_ansible(tmp_path):
    result = run_adhoc(tmp_path, "apim_org=ORG1", {"GRAVITEE_APIM_URL": "https://apim.example.com",
                                                   "GRAVITEE_APIM_TOKEN": "pat-from-env-123"})
    assert result["base"] == "https://apim.example.com/management/v2/organizations/ORG1/environments/DEFAULT"
    assert result["check_mode"] is False


def test_failures_come_back_structured_and_masked(tmp_path):
    result = run_adhoc(tmp_path, "fail=true timeout=2 retries=0",
                       {"GRAVITEE_APIM_URL": "http://127.0.0.1:9", "GRAVITEE_APIM_USERNAME": "admin",
                        "GRAVITEE_APIM_PASSWORD": "secret-env-pw"})
    assert result["kind"] == "connection" and result["product"] == "APIM"
    assert result["msg"].startswith("Could not connect to APIM at GET http://127.0.0.1:9/management/v2/")
    assert "secret-env-pw" not in json.dumps(result)
