"""The request log, reset, fault injection and config hooks on the APIM management port."""

import time

import pytest
import requests


def control(sandbox, path):
    return f"{sandbox.urls['apim_url']}/_sandbox/{path}"


def test_request_log_covers_every_port_and_skips_control_calls(sandbox):
    for key in ("apim_url", "apim_gateway_url", "am_url", "am_gateway_url"):
        requests.get(sandbox.urls[key] + "/anything-at-all", timeout=5)
    entries = requests.get(control(sandbox, "requests"), timeout=5).json()["requests"]
    assert [e["component"] for e in entries] == ["apim_mgmt", "apim_gateway", "am_mgmt", "am_gateway"]
    assert {e["port"] for e in entries} == {sandbox.config.base_port + i for i in range(4)}
    assert all(e["method"] == "GET" and e["path"] == "/anything-at-all" and e["status"] for e in entries)

    last = entries[-1]["seq"]
    requests.get(sandbox.urls["am_url"] + "/again", timeout=5)
    newer = requests.get(control(sandbox, f"requests?since={last}"), timeout=5).json()["requests"]
    assert [e["path"] for e in newer] == ["/again"]


def test_reset_empties_the_log_and_the_faults(sandbox):
    requests.get(sandbox.urls["am_url"] + "/x", timeout=5)
    requests.post(control(sandbox, "faults"), json={"component": "am_mgmt", "status": 503}, timeout=5)
    assert requests.post(control(sandbox, "reset"), timeout=5).json() == {"reset": True}
    assert requests.get(control(sandbox, "requests"), timeout=5).json()["requests"] == []
    assert requests.get(control(sandbox, "faults"), timeout=5).json() == []


def test_status_fault_hits_only_matching_requests_and_only_n_times(sandbox):
    rule = {"component": "am_mgmt", "method": "GET", "path": "^/management/", "times": 2, "status": 503,
            "retry_after": "1"}
    assert requests.post(control(sandbox, "faults"), json=rule, timeout=5).status_code == 201

    first = requests.get(sandbox.urls["am_url"] + "/management/x", timeout=5)
    assert first.status_code == 503 and first.headers["retry-after"] == "1"
    assert requests.post(sandbox.urls["am_url"] + "/management/x", timeout=5).status_code != 503  # method differs
    assert requests.get(sandbox.urls["am_url"] + "/other", timeout=5).status_code != 503  # path differs
    assert requests.get(sandbox.urls["am_url"] + "/management/x", timeout=5).status_code == 503
    assert requests.get(sandbox.urls["am_url"] + "/management/x", timeout=5).status_code != 503  # used up
    logged = [e for e in sandbox.log.since(0) if e.get("fault")]
    assert [e["status"] for e in logged] == [503, 503]


def test_latency_fault_delays_the_answer(sandbox):
    sandbox.faults.add(component="am_gateway", latency_ms=300, times=1)
    start = time.monotonic()
    requests.get(sandbox.urls["am_gateway_url"] + "/x", timeout=5)
    assert time.monotonic() - start >= 0.3


def test_dropped_connection_fault_breaks_the_response(sandbox):
    sandbox.faults.add(component="am_gateway", drop=True, times=1)
    with pytest.raises(requests.exceptions.RequestException):
        requests.get(sandbox.urls["am_gateway_url"] + "/x", timeout=5).json()


def test_rate_fault_is_repeatable(sandbox):
    sandbox.faults.add(component="am_gateway", rate=0.5, status=502)
    statuses = [requests.get(sandbox.urls["am_gateway_url"] + "/x", timeout=5).status_code for _ in range(20)]
    hits = statuses.count(502)
    assert 3 <= hits <= 17


def test_config_can_be_changed_at_runtime_and_rejects_unknown_keys(sandbox):
    answer = requests.post(control(sandbox, "config"), json={"am_version": "4.10.20", "sync_delay": 0}, timeout=5)
    assert answer.json()["am_version"] == "4.10.20" and sandbox.am_version_at_least("4.11.0") is False
    bad = requests.post(control(sandbox, "config"), json={"colour": "blue"}, timeout=5)
    assert bad.status_code == 400 and "colour" in bad.json()["message"]
    bad_fault = requests.post(control(sandbox, "faults"), json={"explode": True}, timeout=5)
    assert bad_fault.status_code == 400
