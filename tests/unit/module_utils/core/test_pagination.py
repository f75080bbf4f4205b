"""Pagination: APIM 1-based pages with pageCount, AM 0-based pages with totalCount."""

import pytest
import responses
from responses import matchers

from ansible_collections.gravitee_community.mcp.plugins.module_utils.core import pagination as _pagination
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.pagination import (
    iter_am_items,
    iter_apim_items,
)

from ..support import AM_ENV, APIM_ENV


def apim_list(client, path, **kwargs) -> list:
    return list(iter_apim_items(client, path, **kwargs))


def am_list(client, path, **kwargs) -> list:
    return list(iter_am_items(client, path, **kwargs))


PLANS = APIM_ENV + "/apis/a1/plans"
DOMAINS = AM_ENV + "/domains"


def apim_page(items, page, page_count, per_page=2):
    return {"data": items, "pagination": {"page": page, "perPage": per_page, "pageCount": page_count,
                                          "pageItemsCount": len(items), "totalCount": 5}}


@responses.activate
def test_apim_multi_page(make_client):
    for page, items in ((1, [1, 2]), (2, [3, 4]), (3, [5])):
        responses.add(responses.GET, PLANS, json=apim_page(items, page, 3), match=[
            matchers.query_param_matcher({"page": str(page), "perPage": "2", "statuses": "PUBLISHED"})])
    assert apim_list(make_client(), "apis/a1/plans", params={"statuses": "PUBLISHED"}, per_page=2) == [1, 2, 3, 4, 5]
    assert len(responses.calls) == 3  # never asks past pageCount (APIM answers 400 pagination.invalid)


@responses.activate
def test_apim_page_count_zero_and_empty(make_client):
    responses.add(responses.GET, PLANS, json=apim_page([], 1, 0))
    assert apim_list(make_client(), "apis/a1/plans") == []
    assert len(responses.calls) == 1


@responses.activate
def test_apim_stops_on_an_empty_page_even_if_page_count_says_more(make_client):
    responses.add(responses.GET, PLANS, json=apim_page([1], 1, 5))
    responses.add(responses.GET, PLANS, json=apim_page([], 2, 5))
    assert apim_list(make_client(), "apis/a1/plans") == [1]
    assert len(responses.calls) == 2


@responses.activate
def test_apim_search_is_a_read_only_post(make_client):
    url = APIM_ENV + "/apis/_search"
    responses.add(responses.POST, url, json=apim_page([{"name": "a"}], 1, 2),
                  match=[matchers.json_params_matcher({"query": "a"})])
    responses.add(responses.POST, url, json=apim_page([{"name": "b"}], 2, 2))
    client = make_client(forbid_writes=True)  # as in check mode
    items = list(iter_apim_items(client, "apis/_search", method="POST", json={"query": "a"}))
    assert [i["name"] for i in items] == ["a", "b"] and client.log.writes == 0


@responses.activate
def test_am_multi_page_by_total_count(make_client):
    for page, items in ((0, ["d1", "d2"]), (1, ["d3", "d4"]), (2, ["d5"])):
        responses.add(responses.GET, DOMAINS, json={"data": items, "currentPage": page, "totalCount": 5},
                      match=[matchers.query_param_matcher({"page": str(page), "size": "2", "q": "x"})])
    assert am_list(make_client(AM_ENV, product="AM"), "domains", params={"q": "x"}, size=2) == [
        "d1", "d2", "d3", "d4", "d5"]
    assert len(responses.calls) == 3


@responses.activate
def test_am_empty_and_short_pages(make_client):
    responses.add(responses.GET, DOMAINS, json={"data": [], "currentPage": 0, "totalCount": 0})
    assert am_list(make_client(AM_ENV, product="AM"), "domains") == []
    responses.replace(responses.GET, DOMAINS, json={"data": ["d1"], "currentPage": 0, "totalCount": 9})
    responses.add(responses.GET, DOMAINS, json={"data": [], "currentPage": 1, "totalCount": 9})
    assert am_list(make_client(AM_ENV, product="AM"), "domains") == ["d1"]  # empty page ends it


@responses.activate
def test_am_bare_array_is_one_page(make_client):
    url = AM_ENV + "/domains/d1/protected-resources/r1/secrets"
    responses.add(responses.GET, url, json=[{"id": "s1", "name": "Default"}])
    assert am_list(make_client(AM_ENV, product="AM"), "domains/d1/protected-resources/r1/secrets") == [
        {"id": "s1", "name": "Default"}]
    assert len(responses.calls) == 1


@responses.activate
def test_runaway_pagination_is_stopped(make_client, monkeypatch):
    monkeypatch.setattr(_pagination, "MAX_PAGES", 3)
    responses.add(responses.GET, PLANS, json=apim_page([1], 1, 99))
    with pytest.raises(Exception, match="kept returning pages"):
        apim_list(make_client(), "apis/a1/plans")
