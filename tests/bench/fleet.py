"""Benchmark: wall time of playbooks/secure_mcp_fleet.yml for fleets of 1, 5 and 20 MCP servers.

    .venv/bin/python -m tests.bench.fleet [--sizes 1 5 20] [--forks 10] [--verify discovery]

Starts its own sandbox on free ports; for each size, from the seeded state, runs the fleet playbook (first
converge) and again (rerun), and prints the wall time, the time per server, the CPU time of ansible-playbook and
its workers (user + system: on a 2-core machine the fleet is bound by it, and it moves much less than the wall time
when other work shares the machine), the management requests (reads, writes) from the sandbox's request log and the
recap's changed count. Figures, not assertions.
"""

import argparse
import resource
import time
from collections import Counter

from tests.conftest import free_base_port
from tests.integration.fleet_support import fleet_inventory, host_stats, run_fleet
from tests.integration.harness import MANAGEMENT, is_write
from tests.sandbox import Sandbox, SandboxConfig


def requests(run):
    reads, writes = Counter(), Counter()
    for entry in run.exchanges:
        if entry["component"] in MANAGEMENT:
            (writes if is_write(entry) else reads)[entry["component"]] += 1
    return ", ".join(f"{c} {reads[c]} reads {writes[c]} writes" for c in MANAGEMENT)


def measure(sandbox, size, forks, verify):
    sandbox.call_soon(sandbox.reset)
    inventory = fleet_inventory(sandbox, size, verify=verify)
    for label in ("first", "rerun"):
        start, before = time.monotonic(), resource.getrusage(resource.RUSAGE_CHILDREN)
        run = run_fleet(sandbox, inventory, forks=forks)
        seconds, after = time.monotonic() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        stats = host_stats(run)
        failed = sum(s["failures"] for s in stats.values())
        changed = sum(s["changed"] for s in stats.values())
        print(f"{size:>3} servers {label:<5} rc={run.rc} failed={failed} changed={changed:<4} {seconds:7.1f} s "
              f"{seconds / size:6.2f} s/server  cpu {cpu:6.1f} s  {requests(run)}", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.bench.fleet")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--forks", type=int, default=10)
    parser.add_argument("--verify", default="discovery", choices=("none", "discovery", "dcr", "login"))
    args = parser.parse_args(argv)
    sandbox = Sandbox(SandboxConfig(base_port=free_base_port(start=46000), sync_delay=0.2)).start()
    print(f"fleet playbook, forks={args.forks}, secure_mcp_verify={args.verify}", flush=True)
    try:
        for size in args.sizes:
            measure(sandbox, size, args.forks, args.verify)
    finally:
        sandbox.stop()


if __name__ == "__main__":
    main()
