"""``make bench``: the role against a uri-only playbook doing the guide, in requests and time, and fleets.

    .venv/bin/python -m tests.bench.bench [--pairs N] [--quick] [--baseline REF] [--sizes 1 5 20] [--forks 10]

Starts its own sandbox on free ports. Paired runs: for each pair, from the seeded state, the role of this checkout,
the role at ``--baseline REF`` (if given), then the uri playbook (tests/bench/uri_guide.yml), each a first converge
and a rerun. It prints every run as it goes, then the issue's table: management requests by product (reads,
writes) from the sandbox's request log, wall time as the median of the paired runs and as the median of the paired
ratios to the uri playbook, the fleet figures (playbooks/secure_mcp_fleet.yml for each size against the role
README's include_role loop at the largest size) and the controller's peak memory, with the goals of issue 14
and whether this checkout meets them; then the role's per-task times. Figures, not assertions: it exits 0 unless
it could not measure.
"""

import argparse
import sys

from tests.bench import code as code_under_test
from tests.bench import report, runner, stats
from tests.conftest import free_base_port
from tests.sandbox import Sandbox, SandboxConfig

QUICK = {"pairs": 2, "sizes": [1, 5]}


def progress(label, measured):
    note = "" if measured.ok else f"  FAILED: {measured.run.output.strip()[-600:]}"
    print(f"  {label:<44} rc={measured.rc} changed={measured.changed:<3} {measured.seconds:7.2f} s  "
          f"{stats.format_requests(measured.requests)}{note}", flush=True)


def converge_twice(sandbox, label, run):
    """From the seeded state: a first converge and a rerun of ``run()``."""
    sandbox.call_soon(sandbox.reset)
    out = {}
    for phase in ("first", "rerun"):
        out[phase] = run()
        progress(f"{label} {phase}", out[phase])
    return out


def measure_pairs(sandbox, codes, pairs):
    results = {c.label: {"first": [], "rerun": []} for c in codes}
    results[report.URI] = {"first": [], "rerun": []}
    subjects = [(f"role {c.label}", c.label, lambda c=c: runner.run_role(sandbox, c)) for c in codes]
    subjects.append((report.URI, report.URI, lambda: runner.run_uri(sandbox)))
    for index in range(pairs):
        print(f"pair {index + 1}/{pairs}", flush=True)
        for label, key, run in subjects:
            for phase, measured in converge_twice(sandbox, label, run).items():
                results[key][phase].append(measured)
    return results


def measure_fleets(sandbox, codes, sizes, forks, verify):
    fleets, loops = {}, {}
    largest = max(sizes)
    for c in codes:
        fleets[c.label] = {}
        for size in sizes:
            inventory = runner.inventory(sandbox, size, verify)
            fleets[c.label][size] = converge_twice(
                sandbox, f"fleet {c.label} {size}",
                lambda c=c, inventory=inventory, size=size: runner.run_fleet(sandbox, c, inventory, forks,
                                                                             rss=size == largest))
        inventory = runner.inventory(sandbox, largest, verify)
        loops[c.label] = converge_twice(sandbox, f"loop {c.label} {largest}",
                                        lambda c=c, inventory=inventory: runner.run_loop(sandbox, c, inventory))
        loops[c.label]["size"] = largest
    return fleets, loops


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, help="paired runs (default 5, --quick 2)")
    parser.add_argument("--quick", action="store_true", help="2 pairs, fleets of 1 and 5")
    parser.add_argument("--baseline", metavar="REF", help="also measure the collection at this git ref "
                        "(e.g. bench-baseline)")
    parser.add_argument("--sizes", type=int, nargs="+", help="fleet sizes (default 1 5 20, --quick 1 5); the "
                        "include_role loop runs at the largest")
    parser.add_argument("--no-fleet", action="store_true", help="paired runs only")
    parser.add_argument("--forks", type=int, default=10)
    parser.add_argument("--verify", default="discovery", choices=("none", "discovery", "dcr", "login"),
                        help="secure_mcp_verify of the fleet and loop runs (the paired runs use the vars file's)")
    parser.add_argument("--sync-delay", type=float, default=0.2, help="the sandbox gateways' sync delay (s)")
    args = parser.parse_args(argv)
    args.pairs = args.pairs or (QUICK["pairs"] if args.quick else 5)
    args.sizes = sorted(set(args.sizes or (QUICK["sizes"] if args.quick else [1, 5, 20])))
    if args.pairs < 1 or min(args.sizes) < 1:
        parser.error("--pairs and --sizes must be at least 1")
    return args


def main(argv=None):
    args = parse(argv)
    codes = [code_under_test.current()]
    if args.baseline:
        codes.append(code_under_test.export(args.baseline))
    sandbox = Sandbox(SandboxConfig(base_port=free_base_port(start=44000), sync_delay=args.sync_delay)).start()
    print(f"benchmark: {args.pairs} pairs; code: {', '.join(c.label for c in codes)}; sandbox sync delay "
          f"{args.sync_delay} s", flush=True)
    try:
        pairs = measure_pairs(sandbox, codes, args.pairs)
        fleets, loops = ({}, {}) if args.no_fleet else measure_fleets(sandbox, codes, args.sizes, args.forks,
                                                                      args.verify)
    finally:
        sandbox.stop()
        for c in codes:
            c.close()
    labels = [c.label for c in codes]
    print(f"\nIssue 14's figures ({args.pairs} paired runs; role = playbooks/secure_mcp.yml -e "
          "@playbooks/vars/sandbox.yml; uri = tests/bench/uri_guide.yml)\n")
    columns, rows = report.summary_rows(pairs, labels, fleets, loops, None if args.no_fleet else max(args.sizes))
    report.print_summary(columns, rows, labels[0])
    for label in labels:
        report.print_tasks(label, pairs[label]["first"], pairs[label]["rerun"])
    if fleets:
        report.print_fleets(fleets, loops, args.forks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
