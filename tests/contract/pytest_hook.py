"""Glue between the session sandbox fixture (tests/conftest.py) and the contract checks.

``attach`` turns body capture on and registers the recorder before the sandbox starts; ``finish``
(at session teardown, after the sandbox stopped, so every body is complete) validates everything
and fails the run with the list of violations. Without the spec files it does nothing and says why.
"""

import pytest

from .deviations import DEVIATIONS
from .recorder import ContractRecorder, validate
from .specs import SpecsMissing, check_specs_dir, default_specs_dir, shared_specs

_SUMMARY_KEY = pytest.StashKey[str]()


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
            session._set_summary(f"contract: not checked, {exc}")
            return session
        session = cls(sandbox, config)
        sandbox.log.capture_bodies = True
        sandbox.log.listeners.append(session.recorder)
        return session

    def _set_summary(self, text):
        if self.config is not None:
            self.config.stash[_SUMMARY_KEY] = text

    def finish(self):
        if self.skip_reason:
            return None
        if self.recorder in self.sandbox.log.listeners:
            self.sandbox.log.listeners.remove(self.recorder)
        report = validate(self.recorder, shared_specs(str(default_specs_dir())))
        self._set_summary(report.summary(DEVIATIONS))
        self.recorder.entries.clear()
        if report.failures:
            pytest.fail(report.failure_text() + "\n" + report.summary(DEVIATIONS), pytrace=False)
        return report


def terminal_summary(terminalreporter, config):
    text = config.stash.get(_SUMMARY_KEY, None)
    if text:
        terminalreporter.write_line(text)
