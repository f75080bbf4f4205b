"""Fixtures shared by the whole suite: a sandbox per session, reset per test."""

import os
import socket
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from tests.collection_path import COLLECTIONS_ROOT  # noqa: E402,F401  (makes ansible_collections.* importable)
from tests.contract.pytest_hook import ContractSession, collect_worker_result, terminal_summary  # noqa: E402
from tests.reliability import figures  # noqa: E402
from tests.sandbox import Sandbox, SandboxConfig  # noqa: E402

PORTS_PER_SANDBOX = 5


def _ports_free(base, count):
    for port in range(base, base + count):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def free_base_port(start=28080, stop=60000, step=10):
    """The first base port with five free ports after it (xdist-safe by worker offset).

    Callers start 1000 apart; 100 per worker keeps up to ten workers' ranges apart from each other's.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    offset = int("".join(ch for ch in worker if ch.isdigit()) or 0) * 100
    for base in range(start + offset, stop, step):
        if _ports_free(base, PORTS_PER_SANDBOX):
            return base
    raise RuntimeError("no five consecutive free ports for the sandbox")


@pytest.fixture(scope="session")
def sandbox_session(request):
    config = SandboxConfig(base_port=free_base_port(), sync_delay=0.2)
    sandbox = Sandbox(config)
    # Every apim_mgmt/am_mgmt exchange is checked against Gravitee's OpenAPI files at teardown.
    contract = ContractSession.attach(sandbox, request.config)
    sandbox.start()
    yield sandbox
    sandbox.stop()
    contract.finish()


@pytest.fixture(scope="session")
def tls_sandbox_session():
    """A second sandbox serving every port over HTTPS (generated CA, see tests/sandbox/tls.py)."""
    # Its own port range (the xdist worker offset still applies), clear of the plain sandbox's.
    sandbox = Sandbox(SandboxConfig(base_port=free_base_port(start=29080), sync_delay=0.2, tls=True))
    sandbox.start()
    yield sandbox
    sandbox.stop()


@pytest.fixture
def tls_sandbox(tls_sandbox_session):
    """The HTTPS sandbox, reset to its seeded state."""
    tls_sandbox_session.call_soon(tls_sandbox_session.reset)
    return tls_sandbox_session


@pytest.hookimpl(trylast=True)  # after the tmpdir plugin made config._tmp_path_factory
def pytest_configure(config):
    figures.configure(config)


def pytest_unconfigure(config):
    figures.unconfigure(config)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """xdist controller: a worker finished; keep its contract counts for the summary."""
    collect_worker_result(node)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    terminal_summary(terminalreporter, config)
    figures.terminal_summary(terminalreporter, config)


@pytest.fixture
def sandbox(sandbox_session):
    """The session's sandbox, reset to its seeded state and default settings."""
    sandbox_session.call_soon(sandbox_session.reset)
    sandbox_session.config.sync_delay = 0.2
    sandbox_session.config.apim_version = "4.12.17"
    sandbox_session.config.am_version = "4.12.4"
    sandbox_session.config.apim_edition = "ee"
    sandbox_session.config.domain_redeploy_window = 0.0
    sandbox_session.config.domain_redeploy_refusals = 0
    sandbox_session.config.am_gateway_ca_path = None
    return sandbox_session
