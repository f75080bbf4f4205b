"""The live tier's APIM scenario on the sandbox posing as APIM CE 4.10.9: proves the scenario before it judges a
real APIM (as test_am_checks_sandbox.py does for the AM checks)."""

from tests.live.apim_lifecycle import assert_lifecycle, run_lifecycle
from tests.live.target import LiveGravitee


def test_apim_lifecycle_holds_on_the_sandbox_as_ce_4_10_9(sandbox):
    sandbox.config.apim_edition, sandbox.config.apim_version = "ce", "4.10.9"
    target = LiveGravitee(sandbox.urls, sandbox.seed, source="sandbox")

    first, closed, rerun, absent = run_lifecycle(target, log=sandbox.log)

    assert_lifecycle(first, closed, rerun, absent)
    assert rerun.writes == []
    assert sandbox.apim.apis == {}
