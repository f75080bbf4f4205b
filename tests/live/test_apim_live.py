"""The APIM half on a real APIM (Community Edition: PROXY type), skipped with the reason when none is running.

Needs GRAVITEE_LIVE_APIM_URL, GRAVITEE_LIVE_APIM_GATEWAY_URL and GRAVITEE_LIVE_UPSTREAM_URL (an MCP server the
gateway can reach); the AM resource points at GRAVITEE_LIVE_AM_GATEWAY_URL when set. Removes what it creates.
"""

import pytest

from tests.live.apim_lifecycle import assert_lifecycle, run_lifecycle


def test_apim_lifecycle_on_real_apim(live_apim):
    if not live_apim.urls["upstream_url"]:
        pytest.skip("GRAVITEE_LIVE_UPSTREAM_URL is not set: the API needs an MCP server the gateway can reach")

    assert_lifecycle(*run_lifecycle(live_apim))
