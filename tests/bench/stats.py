"""Pure helpers of the benchmark: request counts by product, medians, paired ratios, per-task times, goals.

No I/O here, so tests/bench/test_stats.py checks them without a sandbox.
"""

import statistics

from tests.integration.harness import is_write

# The sandbox's management components and the product each one is.
PRODUCTS = (("apim_mgmt", "APIM"), ("am_mgmt", "AM"))


def requests_by_product(exchanges):
    """{"APIM": {"reads": n, "writes": n}, "AM": {...}} of the management exchanges of one run.

    Read-only POSTs (APIM ``_search`` and ``_verify``, AM's token exchange) are reads: harness.is_write decides.
    Gateway and upstream traffic (the probe's checks) is not management traffic and is not counted.
    """
    counts = {label: {"reads": 0, "writes": 0} for _component, label in PRODUCTS}
    labels = dict(PRODUCTS)
    for entry in exchanges:
        label = labels.get(entry["component"])
        if label:
            counts[label]["writes" if is_write(entry) else "reads"] += 1
    return counts


def total(counts):
    return sum(c["reads"] + c["writes"] for c in counts.values())


def writes(counts):
    return sum(c["writes"] for c in counts.values())


def format_requests(counts):
    """``46 (35 APIM + 11 AM), 12 writes``."""
    parts = " + ".join(f"{c['reads'] + c['writes']} {label}" for label, c in counts.items())
    return f"{total(counts)} ({parts}), {writes(counts)} writes"


def format_detail(counts):
    """``APIM 31 reads 9 writes, AM 14 reads 3 writes``."""
    return ", ".join(f"{label} {c['reads']} reads {c['writes']} writes" for label, c in counts.items())


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ratio(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def paired_ratio(numerators, denominators):
    """The median of the ratios of paired runs (run i of one against run i of the other)."""
    return median([ratio(a, b) for a, b in zip(numerators, denominators, strict=True)])


def task_durations(tasks, run_end=None):
    """[(name, seconds, ran)] from the bench_timer callback's records: a task lasts until the next one starts
    (so the strategy's own work between tasks counts, and the times add up to the play), the last one until its
    last result (or ``run_end``)."""
    out = []
    for index, task in enumerate(tasks):
        if index + 1 < len(tasks):
            end = tasks[index + 1]["start"]
        else:
            end = task["end"] or run_end or task["start"]
        out.append((task["name"], max(0.0, end - task["start"]), task["ran"]))
    return out


def median_task_times(runs):
    """{name: median seconds} over several runs' task_durations, a name's times summed within one run (a task
    name may occur more than once, e.g. a role included twice); names in first-seen order."""
    per_run, order = [], []
    for durations in runs:
        summed = {}
        for name, seconds, _ran in durations:
            if name not in order:
                order.append(name)
            summed[name] = summed.get(name, 0.0) + seconds
        per_run.append(summed)
    return {name: median([run.get(name, 0.0) for run in per_run]) for name in order}


def flat_or_falling(per_server, tolerance=0.1):
    """Whether a per-server cost list (by growing fleet size) never rises by more than ``tolerance`` (10 %) from
    one size to the next."""
    pairs = [(a, b) for a, b in zip(per_server, per_server[1:], strict=False) if a is not None and b is not None]
    return bool(pairs) and all(b <= a * (1 + tolerance) for a, b in pairs)


def at_most(value, goal):
    """None (not measured) or whether ``value`` <= ``goal``."""
    return None if value is None else value <= goal


def verdict(met):
    return {True: "met", False: "NOT met", None: "n/a"}[met]


def seconds(value):
    return "-" if value is None else f"{value:.2f} s"


def times(value):
    return "-" if value is None else f"{value:.2f} ×"
