# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""Does AM accept a client's secret? Asked without changing anything.

RFC 7662 token introspection on the AM gateway authenticates the calling client first:
``POST <AM gateway>/<domain>/oauth/introspect`` with HTTP Basic ``clientId:secret`` and any
``token`` answers 200 (``{"active": false}`` for an unknown token) when the client's
credentials are valid and 401 ``invalid_client`` when they are not. This is also the call
the APIM gateway's AM resource makes with the credentials stored on the API, so a 401 here
means clients of the API would get errors. Nothing is issued or stored by AM.

The AM gateway learns about a new or renewed secret at its next sync (every few seconds), so
a check right after a change polls for a bounded time before calling the secret rejected.
"""

from __future__ import annotations

import secrets
import time
from urllib.parse import quote

from ..core.auth import basic_header

ACCEPTED = "accepted"
REJECTED = "rejected"


def introspection_url(am_gateway_url, domain_segment) -> str:
    return "%s/%s/oauth/introspect" % (str(am_gateway_url).rstrip("/"), str(domain_segment).strip("/"))


def secret_status(gateway_client, url, client_id, client_secret) -> str:
    """:data:`ACCEPTED` or :data:`REJECTED`; transport errors and other statuses raise GraviteeError."""
    # RFC 6749 section 2.3.1: both parts are form-encoded before Basic; AM decodes them.
    header = basic_header(quote(str(client_id), safe=""), quote(str(client_secret), safe=""))
    gateway_client.scrubber.register(client_secret, header.split(" ", 1)[1])
    response = gateway_client.request(
        "POST", url, data={"token": "gravitee-mcp-check-" + secrets.token_hex(8)},
        headers={"Authorization": header, "Content-Type": "application/x-www-form-urlencoded"},
        read_only=True, allow_status=(401,), authenticate=False)
    return ACCEPTED if response.status == 200 else REJECTED


def wait_for_acceptance(gateway_client, url, client_id, client_secret, *, attempts=1, delay=2.0,
                        sleep=time.sleep) -> str:
    """:data:`ACCEPTED` or :data:`REJECTED`, polling while AM rejects the secret, at most ``attempts`` times."""
    status = REJECTED
    for tries in range(1, max(1, attempts) + 1):
        status = secret_status(gateway_client, url, client_id, client_secret)
        if status == ACCEPTED:
            break
        if tries < attempts:
            sleep(delay)
    return status
