"""Glue between the session sandbox fixture (tests/conftest.py) and the contract checks.

``attach`` turns body capture on and registers the recorder before the sandbox starts; ``finish``
(at session teardown, after the sandbox stopped, so every body is complete) validates everything
and fails the run with the list of violations. Without the spec files it does nothing and says why.

Under pytest-xdist every worker has its own sandbox and checks its own exchanges: a violation fails that
worker's last test (a teardown error, which fails the run), and the worker's counts travel to the controller
in ``config.workeroutput``; the controller merges them into one summary line.
"""

from collections import Counter

import pytest

from .deviations import DEVIATIONS
from .recorder import ContractRecorder, ContractReport, validate
from .specs import SpecsMissing, check_specs_dir, default_specs_dir, shared_specs

_RESULTS_KEY = pytest.StashKey[list]()
WORKER_OUTPUT_KEY = "gravitee_contract"


class ContractSession:
    def __init__(self, sandbox, config, skip_reason=None):
        self.sandbox = sandbox
        self.config = config
        self.skip_reason = skip_reason
        self.recorder = ContractRecorder(sandbox)

    @classmethod
    def attach(cls, sandbox, config=None):
        try:
            check_specs_dir(default_specs_dir())
        except SpecsMissing as exc:
            session = cls(sandbox, config, skip_reason=str(exc))
            session._publish({"not_checked": f"contract: not checked, {exc}"})
            return session
        session = cls(sandbox, config)
        sandbox.log.capture_bodies = True
        sandbox.log.listeners.append(session.recorder)
        return session

    def _publish(self, result):
        if self.config is None:
            return
        self.config.stash.setdefault(_RESULTS_KEY, []).append(result)
        workeroutput = getattr(self.config, "workeroutput", None)
        if workeroutput is not None:  # an xdist worker: the controller prints
            workeroutput[WORKER_OUTPUT_KEY] = result

    def finish(self):
        if self.skip_reason:
            return None
        if self.recorder in self.sandbox.log.listeners:
            self.sandbox.log.listeners.remove(self.recorder)
        report = validate(self.recorder, shared_specs(str(default_specs_dir())))
        self._publish(report_to_dict(report))
        self.recorder.entries.clear()
        if report.failures:
            pytest.fail(report.failure_text() + "\n" + report.summary(DEVIATIONS), pytrace=False)
        return report


def report_to_dict(report):
    """What a worker sends: counts only (the violations themselves are in its teardown error)."""
    return {"checked": dict(report.checked), "skipped": dict(report.skipped), "tolerated": dict(report.tolerated),
            "failures": [v.line() for v in report.failures], "refused_outside_spec": report.refused_outside_spec,
            "load_seconds": report.load_seconds, "check_seconds": report.check_seconds}


def merge_reports(results):
    """One :class:`ContractReport` out of the workers' dicts (failures become their lines)."""
    merged = ContractReport()
    for result in results:
        merged.checked.update(Counter(result["checked"]))
        merged.skipped.update(Counter(result["skipped"]))
        merged.tolerated.update(Counter(result["tolerated"]))
        merged.failures.extend(result["failures"])
        merged.refused_outside_spec += result["refused_outside_spec"]
        merged.load_seconds += result["load_seconds"]
        merged.check_seconds += result["check_seconds"]
    return merged


def collect_worker_result(node):
    """``pytest_testnodedown`` on the xdist controller: keep what the worker's session reported."""
    result = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT_KEY)
    if result:
        node.config.stash.setdefault(_RESULTS_KEY, []).append(result)


def summary_text(results):
    """The lines to print: one merged report line, and each distinct reason a session did not check."""
    reports = [r for r in results if "checked" in r]
    lines = sorted({r["not_checked"] for r in results if "not_checked" in r})
    if reports:
        text = merge_reports(reports).summary(DEVIATIONS)
        if len(reports) > 1:
            text += f"; {len(reports)} sessions (xdist workers)"
        lines.insert(0, text)
    return lines


def terminal_summary(terminalreporter, config):
    for line in summary_text(config.stash.get(_RESULTS_KEY, [])):
        terminalreporter.write_line(line)
