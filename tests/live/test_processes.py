"""The live tier's process control, proven on a small Python HTTP server instead of a JVM."""

import os
import socket
import sys

import pytest

from tests.live import processes


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_service(tmp_path, name="dummy", ready_timeout=20.0, argv=None):
    port = free_port()
    argv = argv or [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    return processes.Service(name=name, argv=argv, ready_url=f"http://127.0.0.1:{port}/",
                             run_dir=str(tmp_path / "run"), cwd=str(tmp_path), ready_timeout=ready_timeout)


def test_start_waits_for_readiness_records_pid_and_stop_ends_it(tmp_path):
    service = http_service(tmp_path)
    pid = processes.start(service)
    try:
        assert processes.read_pid(service) == pid
        assert processes.wait_ready(service) >= 0
        assert processes.responds(service.ready_url)
        assert processes.rss_mib(pid) > 1
        # A second start finds the recorded, living PID and starts nothing new.
        assert processes.start(service) == pid
    finally:
        assert processes.stop(service) is True
    assert not processes.is_alive(pid)
    assert not os.path.exists(service.pid_file)
    assert not processes.responds(service.ready_url)
    assert processes.stop(service) is False


def test_stop_ends_the_whole_process_group_of_a_launcher_script(tmp_path):
    # Gravitee's bin/gravitee execs java, but a launcher that forks must not leave its child behind.
    port = free_port()
    script = tmp_path / "launcher.sh"
    script.write_text(f"#!/bin/sh\n{sys.executable} -m http.server {port} --bind 127.0.0.1 &\nwait\n")
    script.chmod(0o755)
    service = processes.Service(name="forking", argv=[str(script)], ready_url=f"http://127.0.0.1:{port}/",
                                run_dir=str(tmp_path / "run"), ready_timeout=20.0)
    processes.start(service)
    processes.wait_ready(service)
    processes.stop(service, grace=10)
    assert not processes.responds(service.ready_url)


def test_wait_ready_reports_a_process_that_dies_with_its_log(tmp_path):
    service = http_service(tmp_path, argv=[sys.executable, "-c", "import sys; print('boom'); sys.exit(3)"])
    processes.start(service)
    with pytest.raises(RuntimeError, match="exited before it was ready"):
        processes.wait_ready(service, poll=0.1)
    processes.stop(service)
    with open(service.log_file, encoding="utf-8") as handle:
        assert "boom" in handle.read()


def test_wait_ready_times_out_on_a_service_that_never_answers(tmp_path):
    service = http_service(tmp_path, ready_timeout=1.0,
                           argv=[sys.executable, "-c", "import time; time.sleep(30)"])
    processes.start(service)
    try:
        with pytest.raises(TimeoutError):
            processes.wait_ready(service, poll=0.2)
    finally:
        assert processes.stop(service, grace=5) is True
