"""The benchmark's pure helpers: request classification by product, medians and paired ratios, per-task times."""

import pytest

from tests.bench import stats


def entry(component, method, path):
    return {"component": component, "method": method, "path": path}


def test_requests_by_product_counts_read_only_posts_as_reads_and_ignores_gateway_traffic():
    exchanges = [
        entry("apim_mgmt", "POST", "/management/v2/environments/DEFAULT/apis/_search"),
        entry("apim_mgmt", "POST", "/management/v2/environments/DEFAULT/apis"),
        entry("apim_mgmt", "GET", "/management/v2/environments/DEFAULT/apis/a1/plans"),
        entry("am_mgmt", "POST", "/management/auth/token"),
        entry("am_mgmt", "PATCH", "/management/organizations/DEFAULT/environments/DEFAULT/domains/d1"),
        entry("apim_gateway", "POST", "/mcp-proxy/"),
        entry("am_gateway", "POST", "/mcp-domain/oauth/introspect"),
    ]
    counts = stats.requests_by_product(exchanges)
    assert counts == {"APIM": {"reads": 2, "writes": 1}, "AM": {"reads": 1, "writes": 1}}
    assert stats.format_requests(counts) == "5 (3 APIM + 2 AM), 2 writes"
    assert stats.format_detail(counts) == "APIM 2 reads 1 writes, AM 1 reads 1 writes"


def test_paired_ratio_is_the_median_of_the_per_pair_ratios():
    role, uri = [9.0, 2.0, 6.0], [3.0, 4.0, 3.0]
    # Per pair: 3.0, 0.5, 2.0 -> median 2.0; the ratio of the medians would say 6/3.
    assert stats.paired_ratio(role, uri) == 2.0
    assert stats.median([3.0, None, 1.0]) == 2.0
    assert stats.median([]) is None
    assert stats.ratio(1.0, 0) is None
    with pytest.raises(ValueError):
        stats.paired_ratio([1.0], [1.0, 2.0])


def test_task_durations_last_until_the_next_task_starts():
    tasks = [{"name": "a", "start": 10.0, "end": 10.5, "ran": True},
             {"name": "b", "start": 11.0, "end": 11.2, "ran": False},
             {"name": "a", "start": 12.0, "end": 12.25, "ran": True}]
    durations = stats.task_durations(tasks)
    assert durations == [("a", 1.0, True), ("b", 1.0, False), ("a", 0.25, True)]
    # A name seen twice in one run is summed; the median is over runs, in first-seen order.
    assert stats.median_task_times([durations, [("a", 3.0, True)]]) == {"a": 2.125, "b": 0.5}


def test_goal_helpers():
    assert stats.flat_or_falling([2.0, 2.1, 1.0])
    assert not stats.flat_or_falling([1.0, 1.5])
    assert not stats.flat_or_falling([1.0])
    assert stats.at_most(None, 1) is None
    assert stats.at_most(0.3, 0.3) is True
    assert stats.verdict(False) == "NOT met"
