"""HttpClient retries: which requests, on what, how often, how long (backoff, Retry-After, time budget)."""

import socket
import threading
from datetime import datetime, timezone
from email.utils import format_datetime

import pytest
import requests
import responses
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from ansible_collections.gravitee_community.mcp.plugins.module_utils.core import http as _http
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import GraviteeError

from ..support import APIM_ENV

SEARCH = APIM_ENV + "/apis/_search"
APIS = APIM_ENV + "/apis"


def refused():
    """The exception requests raises when nothing listens on the port."""
    reason = NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")
    return requests.exceptions.ConnectionError(MaxRetryError(None, "/", reason=reason))


def reset_after_send():
    """Connection dropped after the request went out: the server may have applied it."""
    return requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError(104, "reset")))


@responses.activate
def test_get_retried_on_503_then_succeeds(make_client, fake_clock):
    responses.add(responses.GET, APIS, status=503)
    responses.add(responses.GET, APIS, status=503)
    responses.add(responses.GET, APIS, json={"data": []}, status=200)
    client = make_client()
    status, body, _ = client.get("apis")
    assert (status, body) == (200, {"data": []})
    assert len(responses.calls) == 3
    assert client.log.total == 3 and client.log.retries == 2 and client.log.writes == 0
    assert fake_clock.sleeps == [0.5, 1.0]  # exponential, jitter at its maximum


@responses.activate
def test_retry_after_seconds_is_honoured(make_client, fake_clock):
    responses.add(responses.GET, APIS, status=429, headers={"Retry-After": "7"})
    responses.add(responses.GET, APIS, json={}, status=200)
    assert make_client().get("apis").status == 200
    assert fake_clock.sleeps == [7.0]


@responses.activate
def test_retry_after_is_capped(make_client, fake_clock):
    responses.add(responses.GET, APIS, status=503, headers={"Retry-After": "3600"})
    responses.add(responses.GET, APIS, json={}, status=200)
    assert make_client().get("apis").status == 200
    assert fake_clock.sleeps == [30.0]


@responses.activate
def test_retry_after_http_date(make_client, fake_clock):
    now = datetime(2026, 1, 8, 10, 0, 0, tzinfo=timezone.utc)
    responses.add(responses.GET, APIS, status=503,
                  headers={"Retry-After": format_datetime(now.replace(second=12), usegmt=True)})
    responses.add(responses.GET, APIS, json={}, status=200)
    client = make_client(wall_clock=lambda: now.timestamp())
    assert client.get("apis").status == 200
    assert fake_clock.sleeps == [12.0]


def test_parse_retry_after_edge_cases():
    assert _http.parse_retry_after(None, 30) is None
    assert _http.parse_retry_after("garbage", 30) is None
    assert _http.parse_retry_after("-5", 30) == 0.0
    assert _http.parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 30, now=lambda: 2e9) == 0.0  # in the past


@pytest.mark.parametrize("rand, expected", [(0.0, [0.25, 0.5, 1.0]), (1.0, [0.5, 1.0, 2.0])])
@responses.activate
def test_backoff_bounds_and_retry_count(make_client, fake_clock, rand, expected):
    responses.add(responses.GET, APIS, status=502)
    client = make_client(rand=lambda: rand)
    with pytest.raises(GraviteeError) as caught:
        client.get("apis")
    assert len(responses.calls) == 4  # 1 + retries (3)
    assert fake_clock.sleeps == expected
    assert caught.value.status == 502 and caught.value.attempts == 4
    assert "after 4 attempts" in str(caught.value)


def test_backoff_never_exceeds_its_ceiling():
    policy = _http.RetryPolicy(retries=20, backoff_base=0.5, backoff_max=8.0)
    delays = [policy.backoff(n, rand=lambda: 1.0) for n in range(1, 21)]
    assert max(delays) == 8.0 and delays[:5] == [0.5, 1.0, 2.0, 4.0, 8.0]
    assert min(policy.backoff(n, rand=lambda: 0.0) for n in range(1, 21)) == 0.25


@responses.activate
def test_retries_zero_means_one_attempt(make_client, fake_clock):
    responses.add(responses.GET, APIS, status=503)
    with pytest.raises(GraviteeError):
        make_client(retry=0).get("apis")
    assert len(responses.calls) == 1 and fake_clock.sleeps == []


@responses.activate
def test_total_retry_time_is_bounded(make_client, fake_clock):
    def slow_503(request):
        fake_clock.now += 50  # every answer takes 50 s
        return (503, {}, "")

    responses.add_callback(responses.GET, APIS, callback=slow_503)
    started = fake_clock.now
    with pytest.raises(GraviteeError) as caught:
        make_client(retry=_http.RetryPolicy(retries=10, max_total=120)).get("apis")
    # 50 + 0.5 + 50 + 1 + 50 = 151.5 s: a third retry would start after 120 s, so it stops.
    assert len(responses.calls) == 3 and caught.value.attempts == 3
    assert fake_clock.sleeps == [0.5, 1.0]
    assert fake_clock.now - started == pytest.approx(151.5)


@responses.activate
def test_post_is_not_retried_on_503(make_client, fake_clock):
    responses.add(responses.POST, APIS, status=503)
    client = make_client()
    with pytest.raises(GraviteeError) as caught:
        client.post("apis", json={"name": "x"})
    assert len(responses.calls) == 1 and fake_clock.sleeps == []
    assert caught.value.status == 503 and client.log.writes == 1


@responses.activate
def test_patch_is_not_retried_on_502(make_client):
    responses.add(responses.PATCH, APIS + "/a1", status=502)
    with pytest.raises(GraviteeError):
        make_client().patch("apis/a1", json={})
    assert len(responses.calls) == 1


@responses.activate
def test_post_is_not_retried_on_read_timeout(make_client):
    responses.add(responses.POST, APIS, body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(GraviteeError) as caught:
        make_client(timeout=5).post("apis", json={})
    assert len(responses.calls) == 1
    assert caught.value.kind == "timeout" and "within 5 s" in str(caught.value) and "Raise timeout" in str(caught.value)


@responses.activate
def test_post_is_not_retried_when_the_connection_dropped_after_sending(make_client):
    responses.add(responses.POST, APIS, body=reset_after_send())
    with pytest.raises(GraviteeError) as caught:
        make_client().post("apis", json={})
    assert len(responses.calls) == 1 and caught.value.kind == "connection"


@responses.activate
def test_post_is_retried_when_the_connection_was_refused(make_client, fake_clock):
    responses.add(responses.POST, APIS, body=refused())
    responses.add(responses.POST, APIS, json={"id": "a1"}, status=201)
    client = make_client()
    assert client.post("apis", json={"name": "x"}).body == {"id": "a1"}
    assert len(responses.calls) == 2 and fake_clock.sleeps == [0.5]
    assert [r.status for r in client.log.records] == [None, 201]


def test_post_retried_against_a_real_closed_port(make_client, fake_clock):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client("http://127.0.0.1:%d/management/v2" % port, timeout=2)
    with pytest.raises(GraviteeError) as caught:
        client.post("apis", json={})
    assert client.log.total == 4 and len(fake_clock.sleeps) == 3
    message = str(caught.value)
    assert caught.value.kind == "connection" and "Connection refused" in message
    assert "Could not connect to APIM at POST http://127.0.0.1:%d/management/v2/apis (4 attempts)" % port in message
    assert "apim_url (GRAVITEE_APIM_URL)" in message


def test_read_timeout_against_a_real_silent_server(make_client):
    """A server that accepts and never answers: a POST gives up after one attempt."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        client = make_client("http://127.0.0.1:%d" % server.getsockname()[1], timeout=0.3)
        with pytest.raises(GraviteeError) as caught:
            client.post("apis", json={})
        assert caught.value.kind == "timeout" and client.log.total == 1
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        server.close()


@responses.activate
def test_get_is_retried_on_read_timeout_and_connection_reset(make_client):
    responses.add(responses.GET, APIS, body=requests.exceptions.ReadTimeout("slow"))
    responses.add(responses.GET, APIS, body=reset_after_send())
    responses.add(responses.GET, APIS, json={"ok": True})
    assert make_client().get("apis").body == {"ok": True}
    assert len(responses.calls) == 3


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
@responses.activate
def test_idempotent_writes_are_retried_on_503(make_client, method):
    responses.add(method, APIS + "/a1", status=503)
    responses.add(method, APIS + "/a1", status=204)
    assert make_client().request(method, "apis/a1").status == 204
    assert len(responses.calls) == 2


@responses.activate
def test_read_only_post_is_retried_and_counted_as_read(make_client):
    responses.add(responses.POST, SEARCH, status=503)
    responses.add(responses.POST, SEARCH, json={"data": []})
    client = make_client()
    assert client.post("apis/_search", json={"query": "x"}, read_only=True).status == 200
    assert len(responses.calls) == 2
    assert client.log.writes == 0 and client.log.reads == 2


@responses.activate
def test_tls_errors_are_not_retried_and_name_the_tls_options(make_client):
    responses.add(responses.GET, APIS, body=requests.exceptions.SSLError(
        "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1000)"))
    with pytest.raises(GraviteeError) as caught:
        make_client().get("apis")
    assert len(responses.calls) == 1
    message = str(caught.value)
    assert caught.value.kind == "tls" and "certificate verify failed" in message
    assert "ca_path (GRAVITEE_CA_PATH)" in message
    assert "validate_certs: false (GRAVITEE_VALIDATE_CERTS=false)" in message


@responses.activate
def test_invalid_url_is_not_retried(make_client):
    client = make_client("apim.example.com/management/v2")  # no scheme
    with pytest.raises(GraviteeError) as caught:
        client.get("apis")
    assert client.log.total == 1 and caught.value.kind == "connection"
