"""Fixtures of the module tests."""

import json

import pytest

from ansible_collections.gravitee_community.mcp.plugins.modules import mcp_probe
from tests.unit.module_utils.support import module_args

# The mcp_probe tests' default URL (the FakeStack gateway's MCP endpoint).
PROBE_URL = "https://gw.example.com/my-mcp/"


@pytest.fixture
def run_module(capsys):
    """Run mcp_probe with these options: (result, printed output, exit code)."""
    def runner(**args):
        args.setdefault("url", PROBE_URL)
        args.setdefault("probe_delay", 0)
        with module_args(args), pytest.raises(SystemExit) as exited:
            mcp_probe.main()
        out = capsys.readouterr().out
        return json.loads(out), out, exited.value.code
    return runner
