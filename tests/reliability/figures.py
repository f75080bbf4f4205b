"""The reliability suite's figures: each test records what it proved, the run prints the totals at its end.

``record(category, name, **data)`` appends one JSON line to a file of this process in a directory that every
xdist worker shares: the controller (or the single pytest process) makes it under its base temp directory and
passes it to the workers through :data:`ENV` (they are started after ``pytest_configure``, with its
environment). The controller reads every file in ``pytest_terminal_summary``; the workers print nothing.

Categories and the data each record carries:

- ``faults``: ``survived`` (bool): the run failed clearly or succeeded, and the rerun converged;
- ``kill_points``, ``race_pairs``, ``bad_inputs``: one record per case;
- ``leaks``: ``secrets`` (how many secrets were looked for), ``places`` (outputs, files, results scanned),
  ``found`` (how many secret occurrences were found).

A record never holds a secret, only counts. A name recorded twice (a rerun test) counts once, the last wins.
"""

import json
import os
from pathlib import Path

import pytest

_PREVIOUS = pytest.StashKey[str | None]()
ENV = "GRAVITEE_MCP_FIGURES_DIR"
CATEGORIES = ("faults", "kill_points", "race_pairs", "bad_inputs", "leaks")


def figures_dir():
    value = os.environ.get(ENV)
    return Path(value) if value else None


def record(category, name, **data):
    """Append one figure; outside a pytest run that set :data:`ENV` (a test run by hand) it is dropped."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown figures category {category!r}, expected one of {', '.join(CATEGORIES)}")
    directory = figures_dir()
    if directory is None:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    line = json.dumps({"category": category, "name": str(name), **data}, sort_keys=True)
    with open(directory / f"figures-{worker}.jsonl", "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def read_records(directory):
    """Every record of every process, a later record of the same (category, name) replacing the earlier."""
    records = {}
    for path in sorted(Path(directory).glob("figures-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                records[(entry["category"], entry["name"])] = entry
    return list(records.values())


def aggregate(records):
    """The totals of ``records`` by category (a dict, see :func:`summary_line`)."""
    by_category = {category: [r for r in records if r["category"] == category] for category in CATEGORIES}
    faults = by_category["faults"]
    leaks = by_category["leaks"]
    return {
        "faults_survived": sum(1 for r in faults if r.get("survived")),
        "faults": len(faults),
        "kill_points": len(by_category["kill_points"]),
        "race_pairs": len(by_category["race_pairs"]),
        "bad_inputs": len(by_category["bad_inputs"]),
        "leaks_found": sum(int(r.get("found", 0)) for r in leaks),
        "secrets_scanned": sum(int(r.get("secrets", 0)) for r in leaks),
        "places_scanned": sum(int(r.get("places", 0)) for r in leaks),
    }


def summary_line(totals):
    return (f"reliability figures: faults survived {totals['faults_survived']}/{totals['faults']}, "
            f"kill points {totals['kill_points']}, race pairs {totals['race_pairs']}, "
            f"bad inputs {totals['bad_inputs']}, leaks found {totals['leaks_found']} "
            f"(secrets scanned {totals['secrets_scanned']} in {totals['places_scanned']} places)")


# -- pytest glue (called from tests/conftest.py) ------------------------------------------------------------
def configure(config):
    """Controller or single process: make the shared directory and export it (workers inherit it)."""
    if hasattr(config, "workerinput"):
        return
    directory = Path(config._tmp_path_factory.getbasetemp()) / "reliability-figures"
    directory.mkdir(parents=True, exist_ok=True)
    config.stash[_PREVIOUS] = os.environ.get(ENV)
    os.environ[ENV] = str(directory)


def unconfigure(config):
    if hasattr(config, "workerinput") or _PREVIOUS not in config.stash:
        return
    previous = config.stash[_PREVIOUS]
    if previous is None:
        os.environ.pop(ENV, None)
    else:
        os.environ[ENV] = previous


def terminal_summary(terminalreporter, config):
    """Print the totals when any test recorded a figure (a run of the unit tests alone prints nothing)."""
    if hasattr(config, "workerinput"):
        return
    directory = figures_dir()
    records = read_records(directory) if directory and directory.is_dir() else []
    if records:
        terminalreporter.write_line(summary_line(aggregate(records)))
