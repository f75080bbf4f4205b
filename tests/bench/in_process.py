"""Benchmark: the role's wall time with the modules run in the controller's process (action plugins) and without.

    .venv/bin/python -m tests.bench.in_process [--runs 3] [--fleet 5] [--forks 5]

Starts its own sandbox on free ports. For each setting of GRAVITEE_MCP_IN_PROCESS (true, false), paired run by
run: from the seeded state, playbooks/secure_mcp.yml (first converge) then again (rerun); with ``--fleet N``,
also playbooks/secure_mcp_fleet.yml for N servers. Prints every run and the medians. Figures, not assertions.
"""

import argparse
import statistics
import time

from tests.conftest import free_base_port
from tests.integration.fleet_support import fleet_inventory, run_fleet
from tests.integration.role_support import run_playbook_file
from tests.sandbox import Sandbox, SandboxConfig

SETTINGS = ("true", "false")
FAST = {"secure_mcp_probe_delay": 0.5}


def timed(run):
    start = time.monotonic()
    result = run()
    seconds = time.monotonic() - start
    assert result.rc == 0, result.output[-3000:]
    return seconds


def role_pair(sandbox, env):
    sandbox.call_soon(sandbox.reset)
    first = timed(lambda: run_playbook_file(sandbox, "secure_mcp.yml", FAST, env=env))
    rerun = timed(lambda: run_playbook_file(sandbox, "secure_mcp.yml", FAST, env=env))
    return {"role first": first, "role rerun": rerun}


def fleet_pair(sandbox, env, size, forks):
    sandbox.call_soon(sandbox.reset)
    inventory = fleet_inventory(sandbox, size)
    first = timed(lambda: run_fleet(sandbox, inventory, forks=forks, env=env))
    rerun = timed(lambda: run_fleet(sandbox, inventory, forks=forks, env=env))
    return {f"fleet {size} first": first, f"fleet {size} rerun": rerun}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.bench.in_process")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fleet", type=int, default=0, help="also time the fleet playbook for this many servers")
    parser.add_argument("--forks", type=int, default=5)
    args = parser.parse_args(argv)
    sandbox = Sandbox(SandboxConfig(base_port=free_base_port(start=47000), sync_delay=0.2)).start()
    figures = {setting: {} for setting in SETTINGS}
    try:
        for index in range(args.runs):
            # Paired: both settings in each round, so a load spike on the machine hits both.
            for setting in SETTINGS:
                env = {"GRAVITEE_MCP_IN_PROCESS": setting}
                times = role_pair(sandbox, env)
                if args.fleet:
                    times.update(fleet_pair(sandbox, env, args.fleet, args.forks))
                for label, seconds in times.items():
                    figures[setting].setdefault(label, []).append(seconds)
                print(f"run {index + 1} in_process={setting:<5} "
                      + "  ".join(f"{label} {seconds:5.1f} s" for label, seconds in times.items()), flush=True)
    finally:
        sandbox.stop()
    print("medians (in_process=true vs false):")
    for label in figures["true"]:
        on, off = statistics.median(figures["true"][label]), statistics.median(figures["false"][label])
        print(f"  {label:<18} {on:6.1f} s vs {off:6.1f} s  ratio {on / off:4.2f}")


if __name__ == "__main__":
    main()
