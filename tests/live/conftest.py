"""Fixtures for tests that talk to real Gravitee servers (see tests/live/README.md).

``live_gravitee`` looks like the ``sandbox`` fixture where the two overlap: ``.urls`` (apim_url, apim_gateway_url,
am_url, am_gateway_url, upstream_url), ``.seed`` (the same credential keys) and ``.env()`` (the GRAVITEE_*
variables the modules read). It skips, with the reason, when no real server is known.
"""

import pytest

from tests.live import seed as live_seed
from tests.live.target import locate


@pytest.fixture(scope="session")
def live_gravitee():
    target, why_not = locate()
    if target is None:
        pytest.skip(why_not)
    return target


@pytest.fixture(scope="session")
def live_am(live_gravitee):
    """A real AM with the seed domain present, enabled and served by the gateway; yields ``(target, domain)``."""
    if not live_gravitee.has("am_url", "am_gateway_url"):
        pytest.skip("the live target has no AM (GRAVITEE_LIVE_AM_URL / GRAVITEE_LIVE_AM_GATEWAY_URL)")
    domain, _writes = live_seed.seed_am(live_gravitee, wait=60)
    return live_gravitee, domain


@pytest.fixture(scope="session")
def live_apim(live_gravitee):
    if not live_gravitee.has("apim_url", "apim_gateway_url"):
        pytest.skip("the live target has no APIM (GRAVITEE_LIVE_APIM_URL / GRAVITEE_LIVE_APIM_GATEWAY_URL)")
    return live_gravitee
