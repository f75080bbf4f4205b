# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""The preflight module's run: its options checked, then the read-only checks of ``checks.py`` it was asked for."""

from __future__ import annotations

from ..am.client import domain_gateway_segment
from ..am.known_domain import settings_domain
from ..am.mcp_rules import short_secret_problem
from ..apim.api import API_TYPES, every_api_once, find_api
from ..apim.client import list_plans
from ..apim.known_api import known_result
from ..core.connection import build_gateway_client
from ..core.errors import usage_error
from .checks import SecretCheck, check_context_path, check_environment, find_server, secret_plan


def input_problems(p) -> list:
    checks = set(p["checks"])
    problems = []
    if "context_path" in checks and not (p.get("context_path") or "").strip("/"):
        problems.append("context_path: the context_path check needs the API's context path, such as /mcp-proxy.")
    if "secret" in checks and not str(p.get("am_gateway_url") or "").startswith(("http://", "https://")):
        problems.append("am_gateway_url: the secret check needs the http(s) URL of the AM gateway (option "
                        "am_gateway_url or GRAVITEE_AM_GATEWAY_URL), got %r." % (p.get("am_gateway_url") or ""))
    problems += [problem for problem in [short_secret_problem(p.get("client_secret"))] if problem]
    if p["wait_attempts"] < 1 or p["wait_delay"] < 0:
        problems.append("wait_attempts must be 1 or more and wait_delay 0 or more.")
    return problems


def api_report(api) -> dict:
    if api is None:
        return {"exists": False, "id": None, "state": None}
    return {"exists": True, "id": api.get("id"), "state": api.get("state")}


def run(gm) -> dict:
    """The preflight task: ``{"changed": False}`` and a report for each check run."""
    p = gm.params
    problems = input_problems(p)
    if problems:
        raise usage_error(" ".join(problems))
    checks = set(p["checks"])
    result = {"changed": False}
    if "apim" in checks:
        result["apim"] = {"environment": check_environment(gm.apim)}
    api = None
    every_api = every_api_once(gm.apim)
    if checks & {"apim", "context_path", "secret"}:
        api = find_api(gm.apim, name=p["api_name"], api_id=p["api_id"], api_type=API_TYPES[p["api_type"]],
                       missing_ok=True, every_api=every_api)
        result["api"] = api_report(api)
        if p["return_known_state"]:
            result["known_api"] = known_result(api, list_plans(gm.apim, api["id"]) if api is not None else [])
    if "context_path" in checks:
        check_context_path(gm.apim, p["context_path"], api, every_api)
    if checks & {"am", "secret"}:
        domain = settings_domain(gm, p)
        if p["return_known_state"]:
            result["known_domain"] = domain
        domain_client = gm.am_domain_client(domain)
        server = find_server(domain_client, p["resource_identifier"])
        result["am"] = {"domain": {k: domain.get(k) for k in ("id", "hrid", "name", "enabled")},
                        "security_domain": domain_gateway_segment(domain)}
        result["mcp_server"] = {"exists": server is not None, "id": (server or {}).get("id"),
                                "client_id": (server or {}).get("clientId")}
    if "secret" in checks:
        gateway = build_gateway_client(p, p["am_gateway_url"], product="AM gateway", scrubber=gm.scrubber, log=gm.log)
        check = SecretCheck(gateway, p["am_gateway_url"], domain, p["wait_attempts"], p["wait_delay"],
                            hide=gm.register_no_log)
        result["secret"] = secret_plan(p, check, domain_client, server, api)
    if p["return_am_access_token"]:
        token = session_token(gm.am)
        if token:
            result["am_access_token"] = token
    return result


def session_token(am) -> str | None:
    """The AM token this task logged in for (logging in now if no check has), to hand on to later tasks;
    None when the task was given one (am_token, am_access_token): the play hands that one on itself."""
    am.auth.headers(am)
    return am.auth.session_token()
