"""Faults at the AM steps of a first run (see test_faults.py, which has the APIM steps and the reasons), transient
faults the first run must absorb, and a failure whose stop fails too."""

import pytest

from tests.integration.role_support import run_playbook_file, task_results
from tests.reliability.end_state import FAILED, FAST, PLAYBOOK, failed_clearly, open_to_anyone, secured
from tests.reliability.figures import record
from tests.reliability.test_faults import APIS, STEPS, TRANSIENT, fault, faulted, persistent_fault_case


@pytest.mark.parametrize("step", sorted(s for s in STEPS if not s.startswith("apim-")))
def test_a_persistent_fault_at_an_am_step_fails_clearly_never_open_and_the_next_run_converges(sandbox, step):
    persistent_fault_case(sandbox, step)


@pytest.mark.parametrize("case", sorted(TRANSIENT))
def test_a_transient_fault_is_absorbed_by_the_first_run(sandbox, case):
    survived = False
    try:
        behaviour = dict(TRANSIENT[case])
        fault(sandbox, behaviour.pop("step"), **behaviour)
        first = run_playbook_file(sandbox, PLAYBOOK, FAST)
        assert faulted(first) > 0, "the fault was never hit"
        assert first.rc == 0, first.output[-3000:]
        secured(sandbox)
        survived = True
    finally:
        record("faults", "transient " + case, survived=survived)


def test_a_failure_whose_stop_fails_too_says_the_api_may_be_left_open(sandbox):
    survived = False
    try:
        # AM fails after the API was opened, and APIM refuses to stop it: the run cannot close what it opened, and
        # must say so rather than end on the stop's error alone.
        fault(sandbox, "am-resource-create", status=500)
        sandbox.faults.add(component="apim_mgmt", method="POST", path=APIS + r"/[^/]+/_stop$", status=500)
        failed = run_playbook_file(sandbox, PLAYBOOK, FAST)
        sandbox.faults.clear()
        assert failed.rc != 0 and failed_clearly(failed), failed.output[-3000:]
        msg = task_results(failed, FAILED)[0]["msg"]
        assert "500 from AM" in msg and "could NOT be stopped" in msg and "OPEN TO ANYONE" in msg, msg
        assert open_to_anyone(sandbox)

        rerun = run_playbook_file(sandbox, PLAYBOOK, FAST)
        assert rerun.rc == 0, rerun.output[-3000:]
        secured(sandbox)
        survived = True
    finally:
        record("faults", "persistent am-resource-create with apim-api-stop", survived=survived)
