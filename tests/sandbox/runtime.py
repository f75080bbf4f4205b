"""Run every component of the sandbox on its own port, in one event loop.

All state lives in memory and is touched only from the sandbox's event loop
thread, so the stores need no locks.
"""

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field

import uvicorn

from tests.sandbox.am.gateway import app as am_gateway
from tests.sandbox.am.mgmt import app as am_mgmt
from tests.sandbox.am.store import AmStore
from tests.sandbox.apim.gateway import app as apim_gateway
from tests.sandbox.apim.mgmt import app as apim_mgmt
from tests.sandbox.apim.store import ApimStore

from . import control, upstream
from .requestlog import Faults, Recorder, RequestLog
from .tls import TLS_HOST, SandboxTls

# Port offsets from --base-port, in the order the issue fixes them.
COMPONENTS = (
    ("apim_mgmt", 0),
    ("apim_gateway", 1),
    ("am_mgmt", 2),
    ("am_gateway", 3),
    ("upstream", 4),
)

# Passwords are not words on purpose: Ansible masks a no_log value wherever it occurs in module output,
# so a password such as "admin" would turn every "admin" of a message into "********".
SEED = {
    "apim_username": "admin",
    "apim_password": "Sbx-7kq2-Vw9p",
    "apim_token": "sandbox-apim-personal-access-token",
    "apim_org": "DEFAULT",
    "apim_env": "DEFAULT",
    "am_username": "admin",
    "am_password": "Sbx-4mz8-Rt3c",
    "am_org": "DEFAULT",
    "am_env": "DEFAULT",
    "am_domain": "mcp-domain",
    "am_user": "alice",
    "am_user_password": "Sbx-2hn6-Lq5d!",
}


@dataclass
class SandboxConfig:
    host: str = "127.0.0.1"
    base_port: int = 18080
    # Seconds between a deployment and the gateway serving it (APIM gateways poll).
    sync_delay: float = 1.0
    # Versions the sandbox pretends to be; they switch version-dependent behaviour.
    apim_version: str = "4.12.17"
    am_version: str = "4.12.4"
    # "ee" has the mcp-proxy plugins; "ce" (Community Edition) does not.
    apim_edition: str = "ee"
    # Serve every port over HTTPS with a generated CA (tests/sandbox/tls.py); URLs then use TLS_HOST.
    tls: bool = False
    # Seconds after a domain change during which the AM gateway, redeploying the domain, answers the login
    # 500 and RFC 7592 client management 404 (am/gateway/redeploy.py); 0 = off.
    domain_redeploy_window: float = 0.0
    # With a window on: it also lasts until at least this many requests have met it (tests that must meet the
    # window whatever the machine's speed); 0 = time alone.
    domain_redeploy_refusals: int = 0
    # A CA bundle the AM gateway trusts for its own HTTPS calls (CIMD documents), like a CA added to AM's
    # truststore; in TLS mode the sandbox's CA is trusted too.
    am_gateway_ca_path: str | None = None
    extra: dict = field(default_factory=dict)

    def port(self, component):
        return self.base_port + dict(COMPONENTS)[component]

    def url(self, component):
        if self.tls:
            return f"https://{TLS_HOST}:{self.port(component)}"
        return f"http://{self.host}:{self.port(component)}"


def version_tuple(text):
    return tuple(int(part) for part in text.split("-")[0].split(".")[:3])


class Sandbox:
    """The whole Gravitee test double. ``start()`` returns once every port listens."""

    def __init__(self, config=None):
        self.config = config or SandboxConfig()
        self.seed = dict(SEED)
        self.tls = SandboxTls(self.config.host) if self.config.tls else None
        self.log = RequestLog()
        self.faults = Faults()
        self.apim = None
        self.am = None
        self.reset()
        self._loop = None
        self._thread = None
        self._servers = []
        self._startup_error = None

    # -- state -------------------------------------------------------------
    def reset(self):
        """Back to the seeded state: stores rebuilt, log and faults emptied."""
        self.apim = ApimStore(self)
        self.am = AmStore(self)
        self.log.clear()
        self.faults.clear()

    def apim_version_at_least(self, version):
        return version_tuple(self.config.apim_version) >= version_tuple(version)

    def am_version_at_least(self, version):
        return version_tuple(self.config.am_version) >= version_tuple(version)

    @property
    def urls(self):
        return {
            "apim_url": self.config.url("apim_mgmt"),
            "apim_gateway_url": self.config.url("apim_gateway"),
            "am_url": self.config.url("am_mgmt"),
            "am_gateway_url": self.config.url("am_gateway"),
            "upstream_url": self.config.url("upstream") + "/mcp",
        }

    @property
    def ca_path(self):
        """The PEM file of the CA that signed the sandbox's certificate (None without TLS)."""
        return self.tls.ca_path if self.tls else None

    def describe(self):
        """What the CLI prints when ready: every URL, the seeded credentials and the CA bundle (TLS)."""
        described = {**self.urls, **self.seed}
        if self.tls:
            described["ca_path"] = self.ca_path
        return described

    def env(self):
        """The same facts as GRAVITEE_* variables, the names the modules read."""
        return env_from_description(self.describe())

    def write_env_file(self, path):
        with open(path, "w", encoding="utf-8") as handle:
            for key, value in self.env().items():
                handle.write(f"export {key}='{value}'\n")

    # -- apps --------------------------------------------------------------
    def _apps(self):
        builders = {
            "apim_mgmt": lambda: control.mount(self, apim_mgmt.build_app(self)),
            "apim_gateway": lambda: apim_gateway.build_app(self),
            "am_mgmt": lambda: am_mgmt.build_app(self),
            "am_gateway": lambda: am_gateway.build_app(self),
            "upstream": lambda: upstream.build_app(self),
        }
        for name, _offset in COMPONENTS:
            port = self.config.port(name)
            yield name, port, Recorder(builders[name](), name, port, self.log, self.faults)

    # -- lifecycle ---------------------------------------------------------
    def start(self, timeout=30.0):
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="gravitee-sandbox", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise RuntimeError("sandbox did not start within %.0f s" % timeout)
        if self._startup_error:
            raise RuntimeError("sandbox failed to start: %s" % self._startup_error)
        return self

    def _run(self, ready):
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve(ready))
        except BaseException as exc:  # reported to start(), which is waiting
            self._startup_error = repr(exc)
            ready.set()
        finally:
            # Long-lived streams (SSE watchers) may still have tasks; end them before the loop goes.
            pending = [t for t in asyncio.all_tasks(self._loop) if not t.done()]
            for task in pending:
                task.cancel()
            if pending:
                self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self._loop.close()

    async def _serve(self, ready):
        for _name, port, app in self._apps():
            tls = self.tls.uvicorn_options() if self.tls else {}
            config = uvicorn.Config(app, host=self.config.host, port=port, log_level="warning",
                                    lifespan="auto", timeout_graceful_shutdown=1, access_log=False, **tls)
            server = uvicorn.Server(config)
            server.install_signal_handlers = lambda: None
            self._servers.append(server)
        tasks = [asyncio.ensure_future(s.serve()) for s in self._servers]
        deadline = time.monotonic() + 20
        while not all(s.started for s in self._servers):
            failed = [t for t in tasks if t.done()]
            if failed or time.monotonic() > deadline:
                for t in failed:
                    if t.exception():
                        raise t.exception()
                raise RuntimeError("a sandbox port did not start (in use?)")
            await asyncio.sleep(0.02)
        ready.set()
        await asyncio.gather(*tasks)

    def call_soon(self, func, *args):
        """Run ``func`` on the sandbox's loop and return its result (for tests)."""
        if self._loop is None:
            return func(*args)

        async def wrapper():
            return func(*args)

        return asyncio.run_coroutine_threadsafe(wrapper(), self._loop).result(10)

    def stop(self):
        for server in self._servers:
            server.should_exit = True
        if self._thread is not None:
            self._thread.join(15)
        self._servers = []
        if self.tls:
            self.tls.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def env_from_description(d):
    """GRAVITEE_* variables from a description (URLs + credentials) of a sandbox or of real servers."""
    env = {
        "GRAVITEE_APIM_URL": d["apim_url"],
        "GRAVITEE_APIM_USERNAME": d["apim_username"],
        "GRAVITEE_APIM_PASSWORD": d["apim_password"],
        "GRAVITEE_APIM_ORG": d["apim_org"],
        "GRAVITEE_APIM_ENV": d["apim_env"],
        "GRAVITEE_AM_URL": d["am_url"],
        "GRAVITEE_AM_USERNAME": d["am_username"],
        "GRAVITEE_AM_PASSWORD": d["am_password"],
        "GRAVITEE_AM_ORG": d["am_org"],
        "GRAVITEE_AM_ENV": d["am_env"],
        "GRAVITEE_AM_DOMAIN": d["am_domain"],
        "GRAVITEE_APIM_GATEWAY_URL": d["apim_gateway_url"],
        "GRAVITEE_AM_GATEWAY_URL": d["am_gateway_url"],
        "GRAVITEE_SANDBOX_UPSTREAM_URL": d["upstream_url"],
        "GRAVITEE_SANDBOX_AM_USER": d["am_user"],
        "GRAVITEE_SANDBOX_AM_USER_PASSWORD": d["am_user_password"],
    }
    if d.get("ca_path"):
        env["GRAVITEE_CA_PATH"] = d["ca_path"]
    return env


def ready_line(sandbox):
    return json.dumps(sandbox.describe(), sort_keys=True)
