"""Bad input, module by module and for the role: a failed task, no management write, the option named.

The module table (tests/reliability/bad_input_cases.py) runs as one playbook per module, every task
``ignore_errors: true``; the callback stamps each task's start, so every sandbox exchange is charged to the task
that caused it. The role cases run ``playbooks/secure_mcp.yml`` as a user would, one run each.
"""

import math

import pytest

from tests.integration.harness import run_playbook
from tests.integration.role_support import role_vars, run_playbook_file
from tests.reliability import figures
from tests.reliability.bad_input_cases import COLLECTION, MODULE_CASES, task_args


def charge_exchanges(run, exchanges):
    """``{task name: [exchange, ...]}``: each exchange goes to the last task started before it."""
    starts = [(task["task"]["name"], task["task"]["started"])
              for play in run.report["plays"] for task in play["tasks"]]
    charged = {}
    for index, (name, start) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else math.inf
        charged[name] = [entry for entry in exchanges if start <= entry["ts"] < end]
    return charged


def run_module_batch(sandbox, module):
    cases = [case for case in MODULE_CASES if case.module == module]
    tasks = [{"name": case.id, COLLECTION + module: task_args(case, sandbox), "ignore_errors": True}
             for case in cases]
    run = run_playbook(sandbox, tasks)
    assert run.report is not None, run.output[-4000:]
    writes = charge_exchanges(run, run.writes)
    return {case.id: (run.result(case.id), writes[case.id]) for case in cases}


@pytest.fixture(scope="session")
def _module_batches():
    return {}


@pytest.fixture
def module_batch(sandbox, _module_batches):
    """The outcome of every case of a module, from one playbook run per module (per xdist worker)."""

    def outcome(module):
        if module not in _module_batches:
            _module_batches[module] = run_module_batch(sandbox, module)
        return _module_batches[module]

    return outcome


# make test runs with --dist loadfile: this whole file goes to one worker, which runs each module's playbook once.
@pytest.mark.parametrize("case", MODULE_CASES, ids=lambda case: case.id)
def test_module_refuses_bad_input_naming_the_option(case, module_batch):
    result, writes = module_batch(case.module)[case.id]
    assert result.get("failed") is True, result
    assert result.get("changed") is False, result
    assert writes == [], [(entry["method"], entry["path"]) for entry in writes]
    message = result.get("msg", "")
    missing = [word for word in case.names + case.fix if word not in message]
    assert not missing, f"{missing} not in: {message}"
    figures.record("bad_inputs", case.id, module=case.module)


# -- the role -----------------------------------------------------------------------------------------------
ROLE_CASES = [
    # id, extra vars over the sandbox vars file, words of the message, words of the fix
    ("name empty", {"secure_mcp_name": ""}, ("secure_mcp_name", "1 to 64 characters"), ()),
    ("context path /", {"secure_mcp_context_path": "/"}, ("secure_mcp_context_path",), ("such as /mcp-proxy",)),
    ("upstream URL without scheme", {"secure_mcp_upstream_url": "mcp-server:3001/mcp"},
     ("secure_mcp_upstream_url",), ("http://mcp-server:3001/mcp",)),
    ("public gateway URL without scheme", {"secure_mcp_public_gateway_url": "gateway.example.com"},
     ("secure_mcp_public_gateway_url", "gateway.example.com"), ()),
    ("public AM gateway URL ftp", {"secure_mcp_public_am_gateway_url": "ftp://am.example.com"},
     ("secure_mcp_public_am_gateway_url", "ftp://am.example.com"), ()),
    ("verify login without user", {"secure_mcp_verify_username": ""},
     ("secure_mcp_verify: login", "secure_mcp_verify_username"), ()),
    ("state not a choice", {"secure_mcp_state": "gone"}, ("secure_mcp_state", "present, absent"), ()),
    ("verify not a choice", {"secure_mcp_verify": "full"}, ("secure_mcp_verify", "none, discovery, dcr, login"), ()),
    ("probe retries not a number", {"secure_mcp_probe_retries": "many"}, ("secure_mcp_probe_retries", "int"), ()),
    ("dcr not a bool", {"secure_mcp_dcr": "perhaps"}, ("secure_mcp_dcr", "bool"), ()),
    ("tool without name", {"secure_mcp_tools": [{"description": "no name"}]}, ("secure_mcp_tools", "name"), ()),
    ("context path missing", {"secure_mcp_context_path": None}, ("secure_mcp_context_path", "required"), ()),
    ("AM domain empty", {"secure_mcp_am_domain": ""}, ("secure_mcp_am_domain", "GRAVITEE_AM_DOMAIN"), ()),
]


def _failed_results(run):
    return [result for result in run.results() if result.get("failed") and not result.get("ignore_errors")]


@pytest.mark.parametrize("case", ROLE_CASES, ids=lambda case: case[0])
def test_role_refuses_bad_input_before_any_write(case, sandbox):
    case_id, overrides, names, fix = case
    if any(value is None for value in overrides.values()):
        # A variable left out entirely: the role's variables without the vars file, minus that one.
        extra = {key: value for key, value in role_vars(sandbox).items() if overrides.get(key, "") is not None}
        extra["secure_mcp_upstream_url"] = sandbox.urls["upstream_url"]
        run = run_playbook_file(sandbox, "secure_mcp.yml", extra, vars_file=False)
    else:
        # The AM domain also comes from GRAVITEE_AM_DOMAIN when the variable is empty: take that away too.
        run = run_playbook_file(sandbox, "secure_mcp.yml", overrides, env={"GRAVITEE_AM_DOMAIN": ""})
    assert run.rc != 0, run.output[-3000:]
    assert run.writes == [], [(entry["method"], entry["path"]) for entry in run.writes]
    failed = _failed_results(run)
    # The task that refused the input, then (inside the role) its fail-closed rescue repeating the message last.
    assert 1 <= len(failed) <= 2, failed
    if len(failed) == 2:
        assert failed[1]["name"].endswith("Secure MCP | Failed") and "Nothing was opened" in failed[1]["msg"]
    message = failed[-1].get("msg", "")
    missing = [word for word in names + fix if word not in message]
    assert not missing, f"{missing} not in: {message}"
    figures.record("bad_inputs", "secure_mcp role: " + case_id, module="secure_mcp")
