"""Capture through the real request log and Recorder middleware, report, and skip without specs."""

import asyncio
import json
from pathlib import Path

import pytest

from tests.collection_path import REPO_ROOT
from tests.sandbox.requestlog import Faults, Recorder, RequestLog

from .helpers import APIM, BASIC, api_v4_response, specs_or_skip
from .pytest_hook import _RESULTS_KEY, ContractSession, summary_text
from .recorder import ContractRecorder, validate
from .specs import SpecSet, SpecsMissing, check_specs_dir, default_specs_dir


def serve_once(app, component, log, method, path, body=b"", headers=()):
    """Drive one request through ``Recorder(app)`` (no sockets), the way uvicorn would."""
    recorder = Recorder(app, component, 1, log, Faults())
    scope = {"type": "http", "method": method, "path": path, "query_string": b"",
             "headers": [(k.encode(), v.encode()) for k, v in headers]}
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        pass

    asyncio.run(recorder(scope, receive, send))


def streaming_app(response, status=200):
    """An ASGI app answering ``response`` in two body chunks (the listener sees only the start)."""
    payload = json.dumps(response).encode()

    async def app(scope, receive, send):
        await receive()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": payload[:10], "more_body": True})
        await send({"type": "http.response.body", "body": payload[10:]})

    return app


def test_recorder_keeps_management_entries_across_log_clears_with_complete_bodies():
    specs = specs_or_skip()
    log = RequestLog(capture_bodies=True)
    recorder = ContractRecorder()
    log.listeners.append(recorder)
    seen_at_start = []
    log.listeners.append(lambda entry: seen_at_start.append(len(entry["_response_body"])))
    good = api_v4_response()
    headers = (("authorization", BASIC),)
    serve_once(streaming_app(good), "apim_mgmt", log, "GET", APIM + "/apis/api-1", headers=headers)
    log.clear()  # what every sandbox reset does
    bad = dict(good, state="RUNNING")
    serve_once(streaming_app(bad), "apim_mgmt", log, "GET", APIM + "/apis/api-2", headers=headers)
    serve_once(streaming_app({"x": 1}), "apim_gateway", log, "GET", "/mcp-proxy/")
    assert seen_at_start == [0, 0, 0]  # bodies were empty when the listener ran
    assert len(recorder.entries) == 2

    report = validate(recorder, specs)
    assert report.checked == {"apim_mgmt": 2}
    assert [v.line() for v in report.failures] == [
        "GET /management/v2/environments/DEFAULT/apis/api-2 -> 200 [response-body] $.state: "
        "'RUNNING' is not one of ['CLOSED', 'INITIALIZED', 'STARTED', 'STOPPED', 'STOPPING']"]
    text = report.failure_text()
    assert text.startswith("1 contract violation(s)") and "apis/api-2 -> 200 [response-body] $.state" in text


def test_fault_injected_and_uncaptured_exchanges_are_skipped_not_checked():
    specs = specs_or_skip()
    recorder = ContractRecorder()
    recorder({"component": "apim_mgmt", "method": "GET", "path": APIM + "/apis/a", "status": 503, "fault": True,
              "_response_body": b"{}"})
    recorder({"component": "am_mgmt", "method": "GET", "path": "/x", "status": 200})
    report = validate(recorder, specs)
    assert report.failures == [] and sum(report.checked.values()) == 0
    assert report.skipped == {"fault injected": 1, "bodies not captured": 1}
    assert "skipped: 1 bodies not captured, 1 fault injected" in report.summary()


def test_missing_specs_directory_raises_a_clear_reason(tmp_path):
    with pytest.raises(SpecsMissing, match=r"openapi-apis.yaml not found"):
        check_specs_dir(tmp_path)
    with pytest.raises(SpecsMissing):
        SpecSet(tmp_path)


def test_session_hook_is_inert_without_specs(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTRACT_SPECS_DIR", str(tmp_path / "absent"))
    log = RequestLog()

    class FakeSandbox:
        pass

    sandbox = FakeSandbox()
    sandbox.log = log
    session = ContractSession.attach(sandbox)
    assert session.skip_reason and "not found" in session.skip_reason
    assert log.capture_bodies is False and log.listeners == []
    assert session.finish() is None


def test_session_hook_fails_the_run_with_the_violation_list(monkeypatch):
    specs_or_skip()
    log = RequestLog()

    class FakeSandbox:
        pass

    sandbox = FakeSandbox()
    sandbox.log = log
    session = ContractSession.attach(sandbox)
    assert log.capture_bodies is True and log.listeners == [session.recorder]
    serve_once(streaming_app({"unexpected": True}), "apim_mgmt", log, "GET", APIM + "/apis/a",
               headers=(("authorization", BASIC),))
    with pytest.raises(pytest.fail.Exception, match=r"\[response-body\] \$\.unexpected: property 'unexpected'"):
        session.finish()


def test_without_specs_the_run_summary_says_why_nothing_was_checked(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTRACT_SPECS_DIR", str(tmp_path / "absent"))

    class FakeConfig:
        stash = pytest.Stash()

    class FakeSandbox:
        log = RequestLog()

    session = ContractSession.attach(FakeSandbox(), FakeConfig())
    assert session.finish() is None
    lines = summary_text(FakeConfig.stash[_RESULTS_KEY])
    missing = tmp_path / "absent" / "apim" / "openapi-apis.yaml"
    assert lines == [f"contract: not checked, Gravitee OpenAPI file {missing} not found (set CONTRACT_SPECS_DIR, "
                     "or put the specs in shared/specs beside the clone)"]


def test_specs_directory_is_the_override_else_beside_the_clone(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTRACT_SPECS_DIR", str(tmp_path))
    assert default_specs_dir() == tmp_path
    monkeypatch.delenv("CONTRACT_SPECS_DIR")
    assert default_specs_dir() == Path(REPO_ROOT).parent / "shared" / "specs"
