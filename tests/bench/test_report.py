"""The benchmark's table: each goal of issue 14 judged on this checkout's figures, the baseline beside them."""

from tests.bench import report
from tests.bench.runner import Measured


def measured(seconds, apim=(0, 0), am=(0, 0), rss=None):
    requests = {"APIM": {"reads": apim[0], "writes": apim[1]}, "AM": {"reads": am[0], "writes": am[1]}}
    return Measured(0, seconds, requests, rss=rss)


def test_summary_rows_judge_the_goals_on_this_checkout():
    pairs = {
        "current": {"first": [measured(6.0, (14, 6), (4, 2)), measured(8.0, (14, 6), (4, 2))],
                    "rerun": [measured(3.0, (6, 0), (3, 0)), measured(4.0, (6, 0), (3, 0))]},
        "base": {"first": [measured(20.0, (31, 9), (14, 3))] * 2, "rerun": [measured(9.0, (19, 0), (10, 0))] * 2},
        report.URI: {"first": [measured(10.0, (3, 9), (3, 3))] * 2, "rerun": [measured(5.0, (2, 0), (3, 2))] * 2},
    }
    fleets = {"current": {1: {"first": measured(4.0), "rerun": measured(2.0)},
                          5: {"first": measured(10.0, rss={"max_process_kb": 2048, "tree_peak_kb": 10240}),
                              "rerun": measured(8.0)}}}
    loops = {"current": {"first": measured(40.0), "rerun": measured(20.0), "size": 5}}
    columns, rows = report.summary_rows(pairs, ["current", "base"], fleets, loops, 5)
    assert columns == ["base", "current", report.URI]
    verdicts = {figure: met for figure, _cells, _goal, met in rows}
    assert verdicts == {
        "first converge, management requests": True,             # 14 + 6 + 4 + 2 = 26
        "first converge, wall time (median of paired runs)": True,  # paired ratios 0.6, 0.8: median 0.7
        "rerun, management requests": True,
        "rerun, wall time (median of paired runs)": True,
        "5 servers via the README's include_role loop, first converge": None,
        "5 servers, fleet playbook, first converge": True,
        "5 servers via the README's include_role loop, rerun": None,
        "5 servers, fleet playbook, rerun": False,                 # 8 s against 20 s: 0.4 × the loop
        "fleet, first converge, s/server for 1, 5 servers": True,
        "controller peak RSS, 5 servers in parallel": None,
    }
