"""Benchmark: requests and time for the guide run with the modules, first run and rerun.

    .venv/bin/python -m tests.bench.guide_requests [--runs N]

Starts its own sandbox on free ports, runs the open phase and the secure phase of
tests/integration/test_guide_with_modules.py with real ansible-playbook, then the
secure phase again (N times), and prints per-component request counts (reads,
writes) and wall time for each run. Figures, not assertions.
"""

import argparse
import statistics
import time
from collections import Counter

from tests.conftest import free_base_port
from tests.integration.harness import is_write, run_playbook
from tests.integration.test_guide_with_modules import open_phase, secure_phase
from tests.sandbox import Sandbox, SandboxConfig


def summarise(label, run, seconds):
    by_component = Counter()
    writes = Counter()
    for entry in run.exchanges:
        by_component[entry["component"]] += 1
        if is_write(entry):
            writes[entry["component"]] += 1
    parts = ", ".join(f"{c} {n} ({writes[c]} writes)" for c, n in sorted(by_component.items()))
    print(f"{label:<22} rc={run.rc} changed={run.changed:<2} {seconds:6.2f} s  requests: {parts or 'none'}")
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.bench.guide_requests")
    parser.add_argument("--runs", type=int, default=3, help="reruns of the secure phase")
    args = parser.parse_args(argv)
    sandbox = Sandbox(SandboxConfig(base_port=free_base_port(start=45000), sync_delay=0.2)).start()
    try:
        for label, tasks in (("open phase", open_phase(sandbox)), ("secure phase", secure_phase(sandbox))):
            start = time.monotonic()
            run = run_playbook(sandbox, tasks)
            summarise(label, run, time.monotonic() - start)
        times = []
        for index in range(args.runs):
            start = time.monotonic()
            run = run_playbook(sandbox, secure_phase(sandbox))
            times.append(summarise(f"secure phase rerun {index + 1}", run, time.monotonic() - start))
        print(f"rerun wall time: median {statistics.median(times):.2f} s over {len(times)} runs "
              f"(6 tasks, ansible-playbook start-up included)")
    finally:
        sandbox.stop()


if __name__ == "__main__":
    main()
