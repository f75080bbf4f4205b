"""The AM wire checks on a real AM (skipped, with the reason, when none is running)."""

import pytest

from tests.live.am_checks import CHECKS


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
def test_check_holds_on_real_am(live_am, check):
    target, _domain = live_am
    check(target)
