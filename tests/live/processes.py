"""Start, watch and stop the live tier's server processes, one at a time, always by recorded PID.

Each service runs in its own session (process group) whose id is its PID, written to a pid file, so that
``stop`` ends exactly what ``start`` began, even from another shell, and never anything found by name.
"""

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field


@dataclass
class Service:
    name: str
    argv: list
    ready_url: str                      # answers (any HTTP status below 500) once the service is up
    run_dir: str                        # holds <name>.pid and <name>.log
    env: dict = field(default_factory=dict)
    cwd: str | None = None
    ready_timeout: float = 300.0

    @property
    def pid_file(self):
        return os.path.join(self.run_dir, self.name + ".pid")

    @property
    def log_file(self):
        return os.path.join(self.run_dir, self.name + ".log")


def read_pid(service):
    try:
        with open(service.pid_file, encoding="utf-8") as handle:
            return int(handle.read().strip())
    except (OSError, ValueError):
        return None


def is_alive(pid):
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still "exists" for kill(0); it is not running.
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def start(service):
    """Launch the service detached; a service already running (per its pid file) is left alone."""
    os.makedirs(service.run_dir, exist_ok=True)
    pid = read_pid(service)
    if is_alive(pid):
        return pid
    env = dict(os.environ)
    env.update(service.env)
    with open(service.log_file, "ab") as log:
        proc = subprocess.Popen(service.argv, cwd=service.cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    with open(service.pid_file, "w", encoding="utf-8") as handle:
        handle.write(str(proc.pid))
    return proc.pid


def responds(url, timeout=5.0):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500
    except (OSError, ValueError):
        return False


def wait_ready(service, poll=1.0):
    """Seconds until ``ready_url`` answers; raises if the process dies or the timeout passes."""
    began = time.monotonic()
    while True:
        if responds(service.ready_url):
            return time.monotonic() - began
        if not is_alive(read_pid(service)):
            raise RuntimeError(f"{service.name} exited before it was ready; see {service.log_file}")
        if time.monotonic() - began > service.ready_timeout:
            raise TimeoutError(f"{service.name} not ready after {service.ready_timeout:.0f} s; see {service.log_file}")
        time.sleep(poll)


def stop(service, grace=30.0):
    """SIGTERM the service's process group, SIGKILL it after ``grace`` seconds; True if something was stopped."""
    pid = read_pid(service)
    stopped = False
    if is_alive(pid):
        _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while is_alive(pid) and time.monotonic() < deadline:
            _reap(pid)
            time.sleep(0.2)
        if is_alive(pid):
            _signal_group(pid, signal.SIGKILL)
        _reap(pid)
        stopped = True
    if os.path.exists(service.pid_file):
        os.remove(service.pid_file)
    return stopped


def _signal_group(pid, sig):
    # start() made the service a session leader, so its process group id is its pid.
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass


def _reap(pid):
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def rss_mib(pid):
    """Resident memory of one process in MiB, from /proc (None when it is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def write_report(path, rows):
    """Keep startup times and memory per service as JSON next to the logs (the README quotes them)."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(rows, handle, indent=2)
