"""Collect the session's management exchanges and report what breaks the contract.

:class:`ContractRecorder` is a request-log listener. The log calls it when a response *starts*
(bodies still growing) and is emptied by every reset, so the recorder keeps a reference to each
management entry dict and validates them all at the end of the session, when bodies are complete.
Only ``apim_mgmt``/``am_mgmt`` entries are kept; exchanges hit by an injected fault are skipped
(their answer is the fault's, not the API's).
"""

import time
from collections import Counter
from dataclasses import dataclass, field

from .exchange import Exchange, ExchangeChecker

MANAGEMENT_COMPONENTS = ("apim_mgmt", "am_mgmt")
MAX_LISTED = 200


class ContractRecorder:
    def __init__(self, sandbox=None):
        self.sandbox = sandbox
        self.entries = []  # (entry dict, apim_version, am_version) at the time of the exchange

    def __call__(self, entry):
        if entry.get("component") not in MANAGEMENT_COMPONENTS:
            return
        # The versions the sandbox pretends to be now decide which spec file applies (AM 4.10 vs 4.11+).
        config = getattr(self.sandbox, "config", None)
        apim_version = getattr(config, "apim_version", "4.12.17")
        am_version = getattr(config, "am_version", "4.12.4")
        self.entries.append((entry, apim_version, am_version))

    def exchanges(self):
        """(exchanges to check, skipped counts by reason)."""
        exchanges, skipped = [], Counter()
        for entry, apim_version, am_version in self.entries:
            if entry.get("fault"):
                skipped["fault injected"] += 1
            elif "_response_body" not in entry:
                skipped["bodies not captured"] += 1
            else:
                exchanges.append(Exchange.from_entry(entry, apim_version, am_version))
        return exchanges, skipped


@dataclass
class ContractReport:
    checked: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)
    tolerated: Counter = field(default_factory=Counter)
    refused_outside_spec: int = 0
    load_seconds: float = 0.0
    check_seconds: float = 0.0

    def summary(self, deviations=()):
        checked = ", ".join(f"{name} {count}" for name, count in sorted(self.checked.items())) or "none"
        text = (f"contract: {sum(self.checked.values())} management exchanges checked ({checked}); "
                f"{len(self.failures)} violation(s); {sum(self.tolerated.values())} finding(s) tolerated by "
                f"{len(self.tolerated)} deviation(s); spec load {self.load_seconds:.2f} s, "
                f"validation {self.check_seconds:.2f} s")
        if self.refused_outside_spec:
            text += f"; {self.refused_outside_spec} request(s) outside the specs refused (401/404/405)"
        if self.skipped:
            text += "; skipped: " + ", ".join(f"{count} {reason}" for reason, count in sorted(self.skipped.items()))
        unused = [d.id for d in deviations if d.id not in self.tolerated]
        if unused:
            text += f"; deviations not seen this run: {', '.join(unused)}"
        return text

    def failure_text(self):
        lines = [f"{len(self.failures)} contract violation(s) against the Gravitee OpenAPI specs:"]
        grouped = {}
        for violation in self.failures:
            grouped.setdefault(violation.line(), 0)
            grouped[violation.line()] += 1
        for index, (line, count) in enumerate(grouped.items()):
            if index == MAX_LISTED:
                lines.append(f"  ... and {len(grouped) - MAX_LISTED} more")
                break
            lines.append(f"  - {line}" + (f"  (x{count})" if count > 1 else ""))
        lines.append("Fix the sandbox, or, if the real server does this too, add a narrow entry with its "
                     "source (Gravitee file, spec or measurement) to tests/contract/deviations.py.")
        return "\n".join(lines)


def validate(recorder, specs, checker=None):
    """Check every recorded exchange; the :class:`ContractReport`."""
    started = time.perf_counter()
    load_before = specs.load_seconds
    checker = checker or ExchangeChecker(specs)
    report = ContractReport()
    exchanges, report.skipped = recorder.exchanges()
    for exchange in exchanges:
        report.checked[exchange.component] += 1
        for violation in checker.check(exchange):
            if violation.deviation:
                report.tolerated[violation.deviation] += 1
            else:
                report.failures.append(violation)
    report.refused_outside_spec = checker.refused_outside_spec
    report.load_seconds = specs.load_seconds
    report.check_seconds = time.perf_counter() - started - (specs.load_seconds - load_before)
    return report
