"""Shared test helpers: URLs, a fake clock and AnsibleModule argument injection."""

import contextlib
import json
from unittest import mock

from ansible.module_utils import basic

APIM = "https://apim.example.com"
AM = "https://am.example.com"
APIM_ENV = APIM + "/management/v2/organizations/DEFAULT/environments/DEFAULT"
AM_ENV = AM + "/management/organizations/DEFAULT/environments/DEFAULT"
AM_TOKEN_URL = AM + "/management/auth/token"


class FakeClock:
    """Monotonic time that only moves when the code under test sleeps."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


@contextlib.contextmanager
def module_args(args):
    """Expose ``args`` to AnsibleModule (ansible-core 2.19+ helper, or the older global)."""
    try:
        from ansible.module_utils.testing import patch_module_args
    except ImportError:  # ansible-core < 2.19
        payload = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()
        with mock.patch.object(basic, "_ANSIBLE_ARGS", payload):
            yield
        return
    with patch_module_args(args):
        yield
