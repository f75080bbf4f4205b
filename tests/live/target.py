"""Where the real Gravitee servers are, in the same shape as the sandbox (``urls``, ``seed``, ``env()``).

Two sources, first match wins:
1. ``GRAVITEE_LIVE_*`` variables, for servers someone else runs (a Docker stack, a shared test install);
2. the state file that ``python -m tests.live start`` writes for the servers it started itself.
A component whose URL is missing is simply not there (e.g. AM without APIM); tests that need it skip.
"""

import glob
import json
import os

from tests.live.processes import responds
from tests.sandbox.runtime import env_from_description

# The sandbox's seed keys, with the defaults a fresh real install has (AM admin/adminadmin, APIM admin/admin).
DEFAULT_SEED = {
    "apim_username": "admin",
    "apim_password": "admin",
    "apim_token": "",
    "apim_org": "DEFAULT",
    "apim_env": "DEFAULT",
    "am_username": "admin",
    "am_password": "adminadmin",
    "am_org": "DEFAULT",
    "am_env": "DEFAULT",
    "am_domain": "mcp-domain",
    "am_user": "alice",
    "am_user_password": "Alice-passw0rd!",
}
URL_KEYS = ("apim_url", "apim_gateway_url", "am_url", "am_gateway_url", "upstream_url")


def live_home():
    return os.environ.get("GRAVITEE_LIVE_HOME") or os.path.join(os.path.expanduser("~"), ".cache", "gravitee-live")


def state_path():
    return os.path.join(live_home(), "run", "state.json")


class LiveGravitee:
    """Real servers described like ``tests.sandbox.Sandbox``: ``urls``, ``seed`` and ``env()``."""

    def __init__(self, urls, seed, source, versions=None):
        self.urls = {key: urls.get(key) or "" for key in URL_KEYS}
        self.seed = {**DEFAULT_SEED, **{k: v for k, v in seed.items() if v is not None}}
        self.source = source
        self.versions = versions or {}

    def has(self, *keys):
        return all(self.urls.get(key) for key in keys)

    def describe(self):
        return {**self.urls, **self.seed}

    def env(self):
        """The GRAVITEE_* variables the modules read, as ``Sandbox.env()`` gives them."""
        d = self.describe()
        env = env_from_description(d)
        return {key: value for key, value in env.items() if value}


def from_environment(environ):
    urls = {key: environ.get("GRAVITEE_LIVE_" + key.upper(), "") for key in URL_KEYS}
    if not any(urls.values()):
        return None
    seed = {key: environ.get("GRAVITEE_LIVE_" + key.upper()) for key in DEFAULT_SEED}
    return LiveGravitee(urls, seed, source="environment")


def from_state_file(path):
    try:
        with open(path, encoding="utf-8") as handle:
            state = json.load(handle)
    except (OSError, ValueError):
        return None
    return LiveGravitee(state.get("urls", {}), state.get("seed", {}), source=path, versions=state.get("versions"))


def write_state(path, urls, seed=None, versions=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"urls": urls, "seed": seed or {}, "versions": versions or {}}, handle, indent=2)


def locate(environ=None):
    """``(LiveGravitee or None, why not)``: why-not quotes the last probe verdict when there is one."""
    environ = os.environ if environ is None else environ
    target = from_environment(environ)
    if target is not None:
        return target, ""
    target = from_state_file(state_path())
    # A state file left by a run that was killed names servers that are gone: not a target.
    if target is not None and responds(target.urls["am_url"] or target.urls["apim_url"]):
        return target, ""
    reason = "no real Gravitee: set GRAVITEE_LIVE_AM_URL/..._GATEWAY_URL or run tests/live/run.sh"
    if target is not None:
        reason += f" ({state_path()} names servers that do not answer)"
    verdicts = []
    for path in sorted(glob.glob(os.path.join(live_home(), "probe", "verdict-*.txt"))):
        with open(path, encoding="utf-8") as handle:
            verdicts.append(handle.read().strip())
    if verdicts:
        reason += " (last probe: " + "; ".join(verdicts) + ")"
    return None, reason
