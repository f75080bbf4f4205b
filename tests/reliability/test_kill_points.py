"""ansible-playbook SIGKILLed after each task a first run of playbooks/secure_mcp.yml executes, then run again.

A kill is what a crash of the controller (or of its machine, or an AWX job cancelled hard) leaves behind: no
rescue runs, so whatever the run had written stays as it was. Whatever the point, the next run must converge to
the full secured state: one started API with OAuth2 published and Keyless closed, one AM MCP server, a secret on
the API that AM accepts, and no MCP session without a token.

The kill points are the executed tasks (ok or failed; skipped ones never ran) of one normal first run, counted
by the kill_after callback; the tests cover points 1..MAX_POINTS and skip those beyond that run's count.
"""

import os

import pytest

from tests.integration.harness import CALLBACK_PLUGINS
from tests.integration.role_support import run_playbook_file
from tests.reliability.end_state import FAST, PLAYBOOK, open_to_anyone, secured
from tests.reliability.figures import record

KILLER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "callback_plugins")
MAX_POINTS = 24
_EXECUTED = {}


def kill_env(log, after=0):
    """The harness's json stdout callback plus kill_after, which logs each executed task and kills after ``after``."""
    return {"ANSIBLE_CALLBACK_PLUGINS": os.pathsep.join((CALLBACK_PLUGINS, KILLER)),
            "ANSIBLE_CALLBACKS_ENABLED": "kill_after", "KILL_AFTER_LOG": str(log), "KILL_AFTER_N": str(after)}


def executed_tasks(sandbox, tmp_path):
    """The names of the tasks a normal first run executes, in order (one run per test process, then a reset)."""
    if "names" not in _EXECUTED:
        log = tmp_path / "discovery.log"
        run = run_playbook_file(sandbox, PLAYBOOK, FAST, env=kill_env(log))
        assert run.rc == 0, run.output[-3000:]
        secured(sandbox)
        _EXECUTED["names"] = log.read_text(encoding="utf-8").splitlines()
        sandbox.call_soon(sandbox.reset)
    return _EXECUTED["names"]


def short(name):
    return name.split(" : ")[-1]


def test_every_kill_point_has_a_case(sandbox, tmp_path):
    names = executed_tasks(sandbox, tmp_path)
    assert 10 < len(names) <= MAX_POINTS, "raise MAX_POINTS to %d: %s" % (len(names), [short(n) for n in names])


# make test runs with --dist loadfile: the later points are in test_kill_points_late.py, for a second worker.
EARLY = 12


@pytest.mark.parametrize("point", range(1, EARLY + 1), ids=lambda n: "after-task-%02d" % n)
def test_a_run_killed_after_any_task_is_repaired_by_the_next_run(sandbox, tmp_path, point):
    kill_point_case(sandbox, tmp_path, point)


def kill_point_case(sandbox, tmp_path, point):
    names = executed_tasks(sandbox, tmp_path)
    if point > len(names):
        pytest.skip("a first run executes %d tasks" % len(names))
    log = tmp_path / "killed.log"
    killed = run_playbook_file(sandbox, PLAYBOOK, FAST, env=kill_env(log, point))
    assert killed.rc == -9, killed.output[-3000:]
    assert log.read_text(encoding="utf-8").splitlines() == names[:point]
    left_open = open_to_anyone(sandbox)

    rerun = run_playbook_file(sandbox, PLAYBOOK, FAST)
    assert rerun.rc == 0, rerun.output[-3000:]
    secured(sandbox)
    record("kill_points", "%02d %s" % (point, short(names[point - 1])), left_open_by_kill=left_open,
           rerun_changed=rerun.changed)
