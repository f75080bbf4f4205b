# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""mcp_probe's task: its options checked, the probe run, the result returned or failed.

The probe's own options are ``probe_timeout``, ``probe_retries`` and ``probe_delay``: the connection
options ``timeout`` and ``retries`` (which a ``group/gravitee_community.mcp.gravitee`` block of
``module_defaults`` gives every module) are about the management APIs and do not change the probe.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..core.errors import usage_error
from ..core.version import COLLECTION_VERSION
from .checks import requested_checks
from .http import ProbeHttp
from .probe import Probe, ProbeState


def validate(params):
    """The checks to run, or a usage error naming the option and the fix."""
    parts = urlsplit(params["url"] or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise usage_error("url must be the absolute http:// or https:// URL of the MCP endpoint, as clients use it; "
                          "got %r." % params["url"])
    if params["probe_timeout"] is None or params["probe_timeout"] <= 0:
        raise usage_error("probe_timeout must be a positive number of seconds, got %s." % params["probe_timeout"])
    if params["probe_retries"] is None or params["probe_retries"] < 0:
        raise usage_error("probe_retries must be 0 or more, got %s." % params["probe_retries"])
    if params["probe_delay"] is None or params["probe_delay"] < 0:
        raise usage_error("probe_delay must be 0 or more seconds, got %s." % params["probe_delay"])
    for form in params.get("url_forms") or []:
        if urlsplit(form or "").scheme not in ("http", "https") or not urlsplit(form or "").netloc:
            raise usage_error("url_forms: each entry must be an absolute http:// or https:// URL of the same MCP "
                              "endpoint (for example url without its trailing slash); got %r." % form)
    if params.get("url_forms") and params["expect"] != "oauth2":
        raise usage_error("url_forms is for expect=oauth2: it checks how clients sign in at each form.")
    if not (params["client_name"] or "").strip():
        raise usage_error("client_name must not be empty: it is how a client the probe registered is recognised in "
                          "AM.")
    try:
        return requested_checks(params["expect"], params["checks"], params["register_client"],
                                bool(params["username"]))
    except ValueError as err:
        raise usage_error(str(err)) from None


def run(gm) -> dict:
    """The probe's result; a failed check fails the task (every secret met is a no_log value by then)."""
    params = gm.params
    requested = validate(params)
    http = ProbeHttp(timeout=params["probe_timeout"], validate_certs=params["validate_certs"],
                     ca_path=params["ca_path"])
    state = ProbeState(http, params["url"], username=params["username"], password=params["password"],
                       client_name=params["client_name"].strip(), client_version=COLLECTION_VERSION,
                       secret=gm.register_no_log, api_type=params["api_type"])
    probe = Probe(state, expect=params["expect"], requested=requested, retries=params["probe_retries"],
                  delay=params["probe_delay"], forms=params.get("url_forms") or ())
    result = probe.run()
    for warning in probe.warnings():
        gm.module.warn(warning)
    if not result["ok"]:
        gm.module.fail_json(**result)
    return result
