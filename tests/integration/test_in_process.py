"""The collection's action plugins run its modules in the controller's process on a local connection.

Observable without trusting the plugin's own words: with ANSIBLE_KEEP_REMOTE_FILES=1, every module run the
normal way leaves its packaged AnsiballZ_<module>.py in the remote temporary directory; a module run in-process
leaves none. ansible.builtin.ping is the control: it is always packaged.
"""

import glob
import json
import os

from tests.integration.apim_api_support import AM_SECRET, am_resource, api_task
from tests.integration.harness import run_playbook
from tests.integration.role_support import run_play

SWITCH = "GRAVITEE_MCP_IN_PROCESS"
PING = {"name": "ping", "ansible.builtin.ping": {}}


def run_keeping_files(sandbox, tmp_path, setting, tasks, **kwargs):
    remote_tmp = tmp_path / setting
    env = {SWITCH: setting, "ANSIBLE_KEEP_REMOTE_FILES": "1", "ANSIBLE_REMOTE_TMP": str(remote_tmp),
           "ANSIBLE_PIPELINING": "false"}
    env.update(kwargs.pop("env", {}))
    run = run_playbook(sandbox, tasks, env=env, **kwargs)
    files = sorted(os.path.basename(p) for p in glob.glob(str(remote_tmp / "**" / "AnsiballZ_*.py"), recursive=True))
    return run, files


def test_on_a_local_connection_the_module_runs_in_process_and_the_switch_turns_it_off(sandbox, tmp_path):
    tasks = [dict(api_task(sandbox), check_mode=True), PING]
    on, on_files = run_keeping_files(sandbox, tmp_path, "true", tasks)
    assert on.rc == 0, on.output
    assert on_files == ["AnsiballZ_ping.py"]

    off, off_files = run_keeping_files(sandbox, tmp_path, "false", tasks)
    assert off.rc == 0, off.output
    assert off_files == ["AnsiballZ_apim_api.py", "AnsiballZ_ping.py"]


def test_delegated_to_localhost_in_process_and_another_connection_the_normal_way(sandbox, tmp_path):
    # A host over ssh to a closed port of this machine: a task that really uses its connection cannot connect.
    remote_tmp = tmp_path / "remote"
    env = {SWITCH: "true", "ANSIBLE_KEEP_REMOTE_FILES": "1", "ANSIBLE_REMOTE_TMP": str(remote_tmp)}
    far = {"hosts": "localhost", "gather_facts": False, "connection": "local", "tasks": [{"ansible.builtin.add_host": {
        "name": "faraway", "ansible_connection": "ssh", "ansible_host": "127.0.0.1", "ansible_port": 1,
        "ansible_ssh_timeout": 2}}]}
    tasks = [dict(api_task(sandbox, task_name="over ssh"), check_mode=True, ignore_unreachable=True),
             # localhost is in this inventory ("-i localhost,"), so not local by itself: the play says so, as usual.
             dict(api_task(sandbox, task_name="delegated"), check_mode=True, delegate_to="localhost",
                  connection="local")]
    run = run_play(sandbox, [far, {"hosts": "faraway", "gather_facts": False, "tasks": tasks}], env=env)
    assert run.rc == 0, run.output
    results = {task["task"]["name"]: task["hosts"]["faraway"] for task in run.report["plays"][1]["tasks"]}
    assert results["over ssh"].get("unreachable") is True, results["over ssh"]
    assert results["delegated"]["api"]["name"] == "API MCP Proxy"
    assert glob.glob(str(remote_tmp / "**" / "AnsiballZ_*.py"), recursive=True) == []


def test_both_paths_return_the_same_result_warnings_masking_and_diff(sandbox):
    # Check mode and diff, a no_log option (the AM resource's secret is masked in the invocation), and a warning.
    task = dict(api_task(sandbox, resources=[am_resource()], validate_certs=False), check_mode=True)
    failing = api_task(sandbox, task_name="bad", ignore_errors=True, state="gone", validate_certs=False)
    # The task's environment reaches the module (the password comes from GRAVITEE_APIM_PASSWORD).
    env_task = dict(api_task(sandbox, task_name="env", ignore_errors=True), check_mode=True,
                    environment={"GRAVITEE_APIM_PASSWORD": "not-the-password-0815"})
    results = {}
    for setting in ("true", "false"):
        env = {SWITCH: setting, "ANSIBLE_INJECT_INVOCATION": "true"}
        run = run_playbook(sandbox, [task, failing, env_task], env=env, diff=True)
        assert run.rc == 0, run.output
        assert run.writes == []
        results[setting] = (run.result("api"), run.result("bad"), run.result("env"))
    assert results["true"] == results["false"]
    api, bad, env_result = results["true"]
    assert api["changed"] is True and api["diff"]["before"] == {}
    assert any("validate_certs is false" in warning for warning in api["warnings"])
    assert api["invocation"]["module_args"]["apim_password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert AM_SECRET not in str(api)
    assert bad["failed"] is True and "state" in bad["msg"] and "gone" in bad["msg"]
    assert env_result["failed"] is True and "401" in json.dumps(env_result), env_result


def test_a_switch_that_is_no_boolean_fails_the_task_naming_it_and_the_fix(sandbox):
    run = run_playbook(sandbox, [api_task(sandbox)], env={SWITCH: "sometimes"})
    assert run.rc != 0
    assert run.writes == [] and sandbox.apim.apis == {}
    message = run.result("api")["msg"]
    assert SWITCH in message and "'sometimes'" in message and "true" in message and "false" in message


def test_no_secret_in_the_most_verbose_output_in_process(sandbox):
    # The secrets come from the environment: ansible prints the play's source lines around a failed task.
    wrong = "not-the-password-0815"
    resource = am_resource(secret="{{ lookup('env', 'TEST_AM_SECRET') }}")
    tasks = [api_task(sandbox, resources=[resource]),
             api_task(sandbox, task_name="wrong password", ignore_errors=True,
                      apim_password="{{ lookup('env', 'TEST_WRONG_PASSWORD') }}")]
    env = {SWITCH: "true", "TEST_AM_SECRET": AM_SECRET, "TEST_WRONG_PASSWORD": wrong}
    run = run_playbook(sandbox, tasks, env=env, diff=True, verbosity=4, callback="default")
    assert run.rc == 0, run.output
    assert "in the controller's process" in run.output
    assert "Invalid credentials" in run.output or "401" in run.output
    for secret in (sandbox.seed["apim_password"], AM_SECRET, wrong):
        assert secret not in run.output


def test_each_loop_item_runs_the_module_afresh_in_the_same_worker(sandbox):
    # Loop items share one worker process: nothing of one item's run may reach the next.
    task = api_task(sandbox, name="{{ item.name }}", context_path="{{ item.path }}",
                    validate_certs="{{ item.verify }}")
    task.update(check_mode=True, loop=[{"name": "first", "path": "/first", "verify": False},
                                       {"name": "second", "path": "/second", "verify": True},
                                       {"name": "third", "path": "/third", "verify": False}])
    run = run_playbook(sandbox, [task], env={SWITCH: "true"})
    assert run.rc == 0, run.output
    items = run.result("api")["results"]
    assert [item["api"]["context_path"] for item in items] == ["/first/", "/second/", "/third/"]
    warned = [any("validate_certs is false" in warning for warning in item.get("warnings", [])) for item in items]
    assert warned == [True, False, True]
