# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""Recognise an answer from the wrong Gravitee server, so a swapped URL is named as such.

The four servers answer errors in shapes of their own:

* APIM management API: ``{"httpStatus": 404, "message": ..., "technicalCode"?: ...}``;
* AM management API: ``{"message": ..., "http_status": 401}`` (401 "No Bearer token found"
  when it gets APIM's Basic credentials);
* APIM gateway: ``{"message": ..., "http_status_code": 404}`` or the text
  "No context-path matches the request URI";
* AM gateway: a plain ``Not Found`` text page outside its domains' paths.

A 401 or 404 whose body has another server's shape (or, on the AM token endpoint, any 404:
every AM management API serves ``/management/auth/token``) means the URL option points at
the wrong server; the credentials and object hints would send the user the wrong way.
"""

from __future__ import annotations

APIM_MGMT = "the APIM management API"
AM_MGMT = "the AM management API"
APIM_GATEWAY = "an APIM gateway"
AM_GATEWAY = "an AM gateway"

# Default ports of the Gravitee distributions, to say what the option usually looks like.
EXPECTED = {"APIM": (APIM_MGMT, "apim_url", "GRAVITEE_APIM_URL", 8083),
            "AM": (AM_MGMT, "am_url", "GRAVITEE_AM_URL", 8093)}
_NO_CONTEXT_PATH = "No context-path matches the request URI"


def server_of(status, body) -> str | None:
    """Which Gravitee server the error body comes from, when its shape tells."""
    if isinstance(body, dict):
        if "httpStatus" in body:
            return APIM_MGMT
        if "http_status_code" in body:
            return APIM_GATEWAY
        if "http_status" in body:
            return AM_MGMT
    text = body.strip() if isinstance(body, str) else ""
    if _NO_CONTEXT_PATH in text:
        return APIM_GATEWAY
    if status == 404 and text == "Not Found":
        return AM_GATEWAY
    return None


def wrong_server_hint(product, status, body, url="") -> str | None:
    """The fix when ``product``'s URL option points at another server, else None."""
    if product not in EXPECTED or status not in (401, 404):
        return None
    expected, option, env, port = EXPECTED[product]
    found = server_of(status, body)
    if found == expected:
        return None
    if found is None and not (product == "AM" and status == 404 and str(url).endswith("/management/auth/token")):
        return None
    seen = "%s seems to point at %s, not at %s" % (option, found, expected) if found else (
        "%s does not seem to point at %s (it has no /management/auth/token)" % (option, expected))
    return ("%s. Set %s (%s) to the root URL of %s (port %d by default), without /management."
            % (seen, option, env, expected, port))
