"""The AM wire checks on the sandbox: proves each check encodes its fact before it judges a real AM."""

import pytest

from tests.live.am_checks import CHECKS
from tests.live.target import LiveGravitee


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
def test_check_holds_on_the_sandbox(sandbox, check):
    check(LiveGravitee(sandbox.urls, sandbox.seed, source="sandbox"))
