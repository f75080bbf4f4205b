"""apim_api against the sandbox: no secret in -vvvv output or diffs, and module_defaults for the gravitee group."""

import json

from tests.integration.apim_api_support import MODULE, NAME, am_resource, api_task


def test_resource_secrets_never_reach_the_output(sandbox, playbook, tmp_path):
    first, second, refused = "first-secret-Qx81", "second-secret-Zk27", "refused-secret-Jm55"
    # Secrets come from variables, as from a vault: Ansible itself prints a failed task's source lines.
    tasks = [
        api_task(sandbox, task_name="create", resources=[am_resource(secret="{{ first }}")]),
        # APIM returns the stored secret in clear text: the diff's "before" must still hide it.
        api_task(sandbox, task_name="rotate", resources=[am_resource(secret="{{ second }}")]),
        # A failure (APIM refuses the configuration) prints the task's arguments at -vvvv.
        api_task(sandbox, task_name="refused", ignore_errors=True,
                 resources=[am_resource(secret="{{ refused }}", version="V9_X")]),
    ]
    vars_file = tmp_path / "secrets.json"  # -vvvv echoes -e, so the values come from a vars file
    vars_file.write_text(json.dumps({"first": first, "second": second, "refused": refused}))
    run = playbook(tasks, diff=True, verbosity=4, callback="default", play_extra={"vars_files": [str(vars_file)]})
    assert run.rc == 0, run.output
    assert "changed: [localhost]" in run.output and "data.invalid" in run.output
    for secret in (first, second, refused):
        assert secret not in run.output, secret
    assert "clientSecret" in run.output  # the key is shown, its value is not
    stored = next(iter(sandbox.apim.apis.values()))
    assert stored["resources"][0]["configuration"]["clientSecret"] == second


def test_module_defaults_of_the_gravitee_group_carry_both_products(sandbox, playbook, group_defaults):
    urls = sandbox.urls
    task = {"name": "api", MODULE: {"name": NAME, "context_path": "/mcp-proxy",
                                    "upstream_url": urls["upstream_url"]}}
    # The environment points elsewhere: only module_defaults can make this task reach the sandbox.
    env = {"GRAVITEE_APIM_URL": "http://127.0.0.1:9", "GRAVITEE_APIM_PASSWORD": "not-the-password"}
    run = playbook([task], env=env, play_extra=group_defaults(retries=1, timeout=10))
    assert run.rc == 0, run.output
    assert run.result("api")["changed"] is True
    assert [api["name"] for api in sandbox.apim.apis.values()] == [NAME]
    without = playbook([task], env=env)
    assert without.rc != 0 and "Could not connect to APIM" in without.result("api")["msg"]
