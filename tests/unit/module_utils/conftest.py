"""Fixtures for the engine's unit tests: a fake clock, a client factory, a module runner."""

import json

import pytest

from ansible_collections.gravitee_community.mcp.plugins.module_utils.core import http as _http

from .support import APIM_ENV, FakeClock, module_args


@pytest.fixture
def fake_clock():
    return FakeClock()


@pytest.fixture
def make_client(fake_clock):
    """Build an HttpClient whose sleeps go to ``fake_clock`` (jitter fixed at its maximum)."""

    def factory(base=APIM_ENV, **kwargs):
        kwargs.setdefault("sleep", fake_clock.sleep)
        kwargs.setdefault("clock", fake_clock.clock)
        kwargs.setdefault("rand", lambda: 1.0)
        return _http.HttpClient(base, **kwargs)

    return factory


@pytest.fixture
def run_module(capsys):
    """Run ``main()`` of a module as Ansible would and return its JSON output (a dict).

    The real exit_json/fail_json run, so Ansible's own no_log masking is part of the result.
    """

    def runner(main, args):
        with module_args(args), pytest.raises(SystemExit):
            main()
        out = capsys.readouterr().out
        return json.loads(out)

    return runner
