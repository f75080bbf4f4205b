"""plugin_utils/in_process.py: when a module runs in the controller's process, and that it runs as a module there."""

import importlib
import json
import locale
import os
import sys
import textwrap
from types import SimpleNamespace

import pytest
from ansible.errors import AnsibleActionFail
from ansible.module_utils import _internal as module_internal
from ansible.module_utils import basic

from ansible_collections.gravitee_community.mcp.plugins.plugin_utils import in_process
from ansible_collections.gravitee_community.mcp.plugins.plugin_utils.in_process import (
    ENV_SWITCH,
    ModuleAction,
    core_supported,
    environment,
    patched,
    run_module,
    switch_on,
)

PLUGINS = os.path.join(os.path.dirname(in_process.__file__), "..")
MODULES = sorted(name[:-3] for name in os.listdir(os.path.join(PLUGINS, "modules")) if name.endswith(".py"))


@pytest.mark.parametrize("raw, expected", [(None, True), ("true", True), ("yes", True), ("1", True),
                                           ("false", False), ("no", False), ("0", False), ("False", False)])
def test_the_switch_is_on_unless_set_to_false(raw, expected):
    environ = {} if raw is None else {ENV_SWITCH: raw}
    assert switch_on(environ) is expected


def test_a_switch_that_is_no_boolean_fails_naming_it_and_the_fix():
    with pytest.raises(AnsibleActionFail) as caught:
        switch_on({ENV_SWITCH: "sometimes"})
    assert ENV_SWITCH in str(caught.value) and "'sometimes'" in str(caught.value)
    assert "true" in str(caught.value) and "false" in str(caught.value)


def test_only_the_ansible_core_it_mirrors_runs_modules_in_process():
    assert core_supported("2.21.5") and core_supported("2.21.0rc1")
    assert not core_supported("2.16.14") and not core_supported("2.20.3") and not core_supported("2.22.0")


def test_patched_values_come_back_even_after_an_error():
    holder = SimpleNamespace(a=1, b="x")
    with pytest.raises(RuntimeError), patched((holder, "a", 2), (holder, "b", "y")):
        assert (holder.a, holder.b) == (2, "y")
        raise RuntimeError
    assert (holder.a, holder.b) == (1, "x")


@pytest.fixture
def c_locale():
    original = locale.setlocale(locale.LC_ALL)
    yield locale.setlocale(locale.LC_ALL, "C.UTF-8")
    locale.setlocale(locale.LC_ALL, original)


def test_the_task_environment_is_set_for_the_module_then_restored(monkeypatch, c_locale):
    monkeypatch.setenv("GRAVITEE_TEST_KEPT", "before")
    monkeypatch.delenv("GRAVITEE_TEST_ADDED", raising=False)
    with environment({"GRAVITEE_TEST_KEPT": "task", "GRAVITEE_TEST_ADDED": 7}):
        assert os.environ["GRAVITEE_TEST_KEPT"] == "task" and os.environ["GRAVITEE_TEST_ADDED"] == "7"
        os.environ["LC_GRAVITEE_TEST"] = "set by the module"
        locale.setlocale(locale.LC_ALL, "C")
    assert os.environ["GRAVITEE_TEST_KEPT"] == "before"
    assert "GRAVITEE_TEST_ADDED" not in os.environ and "LC_GRAVITEE_TEST" not in os.environ
    assert locale.setlocale(locale.LC_ALL) == c_locale


FAKE_MODULE = textwrap.dedent('''
    from ansible.module_utils.basic import AnsibleModule

    def main():
        module = AnsibleModule(argument_spec={"secret": {"no_log": True}, "boom": {"type": "bool", "default": False},
                                              "label": {"default": "one"}}, supports_check_mode=True)
        module.warn("warning " + module.params["label"])
        if module.params["boom"]:
            raise RuntimeError("unexpected")
        module.exit_json(changed=not module.check_mode, echo="the secret is " + module.params["secret"])

    if __name__ == "__main__":
        main()
''')


@pytest.fixture
def fake_module(tmp_path, monkeypatch):
    (tmp_path / "gravitee_inproc_fake.py").write_text(FAKE_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    return "gravitee_inproc_fake"


def params(**module_args):
    module_args.setdefault("_ansible_check_mode", False)
    return json.dumps({"ANSIBLE_MODULE_ARGS": module_args}).encode()


def warnings_of(result):
    """The warnings as the module sends them (the controller's decoder makes strings of these summaries)."""
    return [warning["event"]["msg"] for warning in result.get("warnings", [])]


def test_the_module_runs_as_a_module_its_warnings_and_no_log_in_its_result(fake_module):
    stdout_before, controller, args_before = sys.stdout, module_internal.is_controller, basic._ANSIBLE_ARGS
    rc, stdout, stderr = run_module(fake_module, params(secret="s3cr3t-value", _ansible_check_mode=True), {})
    assert rc == 0, stdout + stderr
    result = json.loads(stdout)
    # On the controller, module_utils' warn() would go to the display instead of the result.
    assert warnings_of(result) == ["warning one"]
    assert result["changed"] is False  # check mode reached the module
    assert result["echo"] == "the secret is ********"
    assert sys.stdout is stdout_before and module_internal.is_controller is controller
    assert basic._ANSIBLE_ARGS is args_before


def test_argument_validation_is_the_modules_own(fake_module):
    rc, stdout, _ = run_module(fake_module, params(secret="x", boom="maybe"), {})
    result = json.loads(stdout)
    assert rc == 1 and result["failed"] is True and "boom" in result["msg"]


def test_an_unexpected_exception_is_a_failed_result_as_in_a_packaged_module(fake_module):
    rc, stdout, _ = run_module(fake_module, params(secret="s3cr3t-value", boom=True), {})
    assert rc == 1
    result = json.loads(stdout)
    assert result["failed"] is True and "unexpected" in json.dumps(result["exception"])
    assert "s3cr3t-value" not in stdout
    # The next module of the process starts clean: no warning of this one is left behind.
    rc, stdout, _ = run_module(fake_module, params(secret="x", label="two"), {})
    assert warnings_of(json.loads(stdout)) == ["warning two"]


def action(transport="local", async_val=0, become=False, resolved="gravitee_community.mcp.apim_api"):
    plugin = ModuleAction.__new__(ModuleAction)
    plugin._task = SimpleNamespace(resolved_action=resolved, async_val=async_val)
    plugin._connection = SimpleNamespace(transport=transport)
    plugin._play_context = SimpleNamespace(become=become)
    return plugin


def test_in_process_only_on_a_local_connection_without_async_or_become(monkeypatch):
    monkeypatch.delenv(ENV_SWITCH, raising=False)
    assert action()._in_process()
    assert action(resolved="gravitee_community.mcp.mcp_probe")._module_name() == "mcp_probe"
    assert not action(transport="ssh")._in_process()
    assert not action(async_val=30)._in_process()
    assert not action(become=True)._in_process()
    assert not action(resolved="other.collection.apim_api")._in_process()
    monkeypatch.setenv(ENV_SWITCH, "false")
    assert not action()._in_process()


def test_not_in_process_on_an_ansible_core_it_does_not_mirror(monkeypatch):
    monkeypatch.setattr(in_process, "ANSIBLE_VERSION", "2.16.14")
    assert not action()._in_process()


@pytest.mark.parametrize("name", MODULES)
def test_every_module_has_its_action_plugin_and_the_legacy_profile(name):
    plugin = importlib.import_module(f"ansible_collections.gravitee_community.mcp.plugins.action.{name}")
    assert issubclass(plugin.ActionModule, ModuleAction)
    # No METADATA: ansible-core serializes the module's arguments and result with the 'legacy' profile.
    with open(os.path.join(PLUGINS, "modules", name + ".py"), encoding="utf-8") as handle:
        assert "\nMETADATA" not in handle.read()


def test_no_action_plugin_without_its_module():
    actions = sorted(name[:-3] for name in os.listdir(os.path.join(PLUGINS, "action")) if name.endswith(".py"))
    assert actions == MODULES
