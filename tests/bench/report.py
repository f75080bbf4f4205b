"""The benchmark's printed report: the issue's table (one column per code version, the uri playbook, the goal and
whether the current code meets it), the per-task times of the role, and the fleet figures."""

from tests.bench import stats
from tests.bench.stats import seconds, verdict

URI = "uri playbook"


def _requests(runs):
    """The request counts of the first run, and a note when the runs did not all send the same number."""
    if not runs:
        return "-", None
    totals = sorted({stats.total(m.requests) for m in runs})
    text = stats.format_requests(runs[0].requests)
    if len(totals) > 1:
        text += f" (varies {totals[0]}-{totals[-1]})"
    failed = [m for m in runs if not m.ok]
    if failed:
        text += f" ({len(failed)} FAILED, rc={failed[0].rc})"
    return text, runs[0].requests


def _wall(runs, uri_runs):
    walls = [m.seconds for m in runs]
    med = stats.median(walls)
    if runs is uri_runs:
        return f"{seconds(med)} (1)", None
    paired = stats.paired_ratio(walls, [m.seconds for m in uri_runs])
    return f"{seconds(med)} ({stats.times(paired)} uri)", paired


def summary_rows(pairs, codes, fleets, loops, largest):
    """[(figure, {column: text}, goal, met)] for the issue's table; ``codes`` are labels, first = current."""
    current, uri = codes[0], pairs[URI]
    columns = list(reversed(codes)) + [URI]
    rows = []

    def row(figure, cell, goal, met):
        rows.append((figure, {c: cell(c) for c in columns}, goal, met))

    for phase in ("first", "rerun"):
        label = "first converge" if phase == "first" else "rerun"
        counts = {c: _requests(pairs[c][phase]) for c in columns}
        now = counts[current][1]
        if phase == "first":
            met = stats.at_most(now and stats.total(now), 26)
            goal = "≤ 26, including the preflight and secret-health reads"
        else:
            met = None if now is None else stats.total(now) <= 10 and stats.writes(now) == 0
            goal = "≤ 10, 0 writes"
        row(f"{label}, management requests", lambda c, counts=counts: counts[c][0], goal, met)
        walls = {c: _wall(pairs[c][phase], uri[phase]) for c in columns}
        limit = 0.7 if phase == "first" else 0.8
        row(f"{label}, wall time (median of paired runs)", lambda c, walls=walls: walls[c][0],
            f"≤ {limit} × uri", stats.at_most(walls[current][1], limit))

    if largest:
        def loop_cell(c, phase):
            m = loops.get(c, {}).get(phase)
            return "-" if m is None else f"{m.seconds:.1f} s ({m.seconds / largest:.2f} s/server{_failed(m)})"

        def fleet_cell(c, phase):
            m, loop = fleets.get(c, {}).get(largest, {}).get(phase), loops.get(c, {}).get(phase)
            if m is None:
                return "-"
            share = stats.ratio(m.seconds, loop and loop.seconds)
            return f"{m.seconds:.1f} s ({stats.times(share)} loop{_failed(m)})"

        def share(phase):
            m, loop = fleets.get(current, {}).get(largest, {}).get(phase), loops.get(current, {}).get(phase)
            return stats.at_most(stats.ratio(m and m.seconds, loop and loop.seconds), 0.3)

        for phase in ("first", "rerun"):
            label = "first converge" if phase == "first" else "rerun"
            row(f"{largest} servers via the README's include_role loop, {label}",
                lambda c, phase=phase: loop_cell(c, phase) if c != URI else "-", "fleets in parallel, below", None)
            row(f"{largest} servers, fleet playbook, {label}", lambda c, phase=phase: fleet_cell(c, phase) if c != URI
                else "-", "≤ 0.3 × the loop", share(phase))
        sizes = sorted(next(iter(fleets.values()), {}))

        def per_server(c):
            costs = [_per_server(fleets.get(c, {}).get(n, {}).get("first"), n) for n in sizes]
            return " / ".join("-" if v is None else f"{v:.2f}" for v in costs) + " s"

        row(f"fleet, first converge, s/server for {', '.join(map(str, sizes))} servers",
            lambda c: per_server(c) if c != URI else "-", "flat or falling",
            stats.flat_or_falling([_per_server(fleets.get(current, {}).get(n, {}).get("first"), n) for n in sizes]))

        def rss(c):
            m = fleets.get(c, {}).get(largest, {}).get("first")
            if c == URI or m is None or not m.rss:
                return "-"
            largest_mb, tree_mb = m.rss["max_process_kb"] / 1024, m.rss["tree_peak_kb"] / 1024
            return f"{largest_mb:.0f} MB largest process, {tree_mb:.0f} MB tree"

        row(f"controller peak RSS, {largest} servers in parallel", rss, "printed", None)
    return columns, rows


def _per_server(measured, size):
    return None if measured is None else measured.seconds / size


def _failed(measured):
    return "" if measured.ok else f", FAILED rc={measured.rc} failures={measured.failures}"


def print_summary(columns, rows, current):
    head = ["figure"] + [f"{c} (this checkout)" if c == current else c for c in columns]
    head += ["goal", "met (this checkout)"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for figure, cells, goal, met in rows:
        print("| " + " | ".join([figure] + [cells[c] for c in columns] + [goal, verdict(met)]) + " |")


def print_tasks(label, runs_first, runs_rerun, threshold=0.1):
    """The role's tasks with their median time, first converge and rerun (tasks under ``threshold`` s in both
    folded into one line)."""
    first = stats.median_task_times([m.tasks for m in runs_first])
    rerun = stats.median_task_times([m.tasks for m in runs_rerun])
    names = list(first) + [n for n in rerun if n not in first]
    print(f"\nPer-task time of the role, {label} (median over {len(runs_first)} runs; a task lasts until the next "
          "one starts)")
    print(f"{'first':>8} {'rerun':>8}  task")
    small = [0, 0.0, 0.0]
    for name in names:
        a, b = first.get(name, 0.0), rerun.get(name, 0.0)
        if max(a, b) < threshold:
            small[0] += 1
            small[1] += a
            small[2] += b
            continue
        print(f"{a:7.2f}s {b:7.2f}s  {name}")
    print(f"{small[1]:7.2f}s {small[2]:7.2f}s  ({small[0]} more tasks under {threshold} s each)")
    print(f"{sum(first.values()):7.2f}s {sum(rerun.values()):7.2f}s  all {len(names)} tasks (ansible-playbook "
          "start-up not included)")


def print_fleets(fleets, loops, forks):
    print(f"\nFleets (playbooks/secure_mcp_fleet.yml -f {forks}; the loop: include_role per server, sequential)")
    print(f"{'code':<28} {'servers':>7} {'first':>8} {'s/server':>8} {'rerun':>8} {'s/server':>8}  "
          "first requests | rerun requests")
    for label, by_size in fleets.items():
        items = [(f"{n}", m) for n, m in sorted(by_size.items())]
        if label in loops:
            items.append((f"{loops[label]['size']} loop", loops[label]))
        for size_label, runs in items:
            n = int(size_label.split()[0])
            first, rerun = runs["first"], runs["rerun"]
            print(f"{label:<28} {size_label:>7} {first.seconds:7.1f}s {first.seconds / n:7.2f}s "
                  f"{rerun.seconds:7.1f}s {rerun.seconds / n:7.2f}s  {stats.format_requests(first.requests)}"
                  f"{_failed(first)} | {stats.format_requests(rerun.requests)}{_failed(rerun)}")
