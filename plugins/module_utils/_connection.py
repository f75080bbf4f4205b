# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""Connection options (argument-spec fragments with environment fallbacks) and the
functions that turn module params into ready HTTP clients.

The option documentation lives in plugins/doc_fragments/{apim,am,connection_common}.py
and must list exactly these options (a unit test checks it).

Booleans from the environment: ``GRAVITEE_VALIDATE_CERTS=false`` (or ``0``, ``no``, ``off``)
works because Ansible converts the fallback string with its usual boolean rules.
"""

from __future__ import annotations

import os

from ansible.module_utils.basic import env_fallback

from ._am import am_env_base, am_token_url
from ._apim import apim_env_base, apim_org_base
from ._auth import am_auth, apim_auth
from ._errors import KIND_USAGE, GraviteeError
from ._http import HttpClient

DEFAULT_TIMEOUT = 30
DEFAULT_RETRIES = 3


def _env(*names):
    return (env_fallback, list(names))


def apim_argument_spec() -> dict:
    return {
        "apim_url": {"type": "str", "fallback": _env("GRAVITEE_APIM_URL")},
        "apim_username": {"type": "str", "fallback": _env("GRAVITEE_APIM_USERNAME")},
        "apim_password": {"type": "str", "no_log": True, "fallback": _env("GRAVITEE_APIM_PASSWORD")},
        "apim_token": {"type": "str", "no_log": True, "fallback": _env("GRAVITEE_APIM_TOKEN")},
        "apim_org": {"type": "str", "default": "DEFAULT", "fallback": _env("GRAVITEE_APIM_ORG")},
        "apim_env": {"type": "str", "default": "DEFAULT", "fallback": _env("GRAVITEE_APIM_ENV")},
    }


def am_argument_spec() -> dict:
    return {
        "am_url": {"type": "str", "fallback": _env("GRAVITEE_AM_URL")},
        "am_username": {"type": "str", "fallback": _env("GRAVITEE_AM_USERNAME")},
        "am_password": {"type": "str", "no_log": True, "fallback": _env("GRAVITEE_AM_PASSWORD")},
        "am_token": {"type": "str", "no_log": True, "fallback": _env("GRAVITEE_AM_TOKEN")},
        "am_org": {"type": "str", "default": "DEFAULT", "fallback": _env("GRAVITEE_AM_ORG")},
        "am_env": {"type": "str", "default": "DEFAULT", "fallback": _env("GRAVITEE_AM_ENV")},
    }


def common_argument_spec() -> dict:
    return {
        "validate_certs": {"type": "bool", "default": True, "fallback": _env("GRAVITEE_VALIDATE_CERTS")},
        "ca_path": {"type": "path", "fallback": _env("GRAVITEE_CA_PATH")},
        "timeout": {"type": "int", "default": DEFAULT_TIMEOUT},
        "retries": {"type": "int", "default": DEFAULT_RETRIES},
    }


PRODUCT_SPECS = {"apim": apim_argument_spec, "am": am_argument_spec}


def connection_argument_spec() -> dict:
    """Common options plus those of both products, for every module.

    Every module accepts both products' options, so that one
    ``module_defaults: group/gravitee_community.mcp.gravitee`` block can carry the APIM and
    the AM connection (Ansible hands group defaults to each module unfiltered, and a module
    rejects options it does not know). A module checks only the products it talks to, see
    :func:`require_url`.
    """
    spec = common_argument_spec()
    for product_spec in PRODUCT_SPECS.values():
        spec.update(product_spec())
    return spec


URL_ENV = {"apim": "GRAVITEE_APIM_URL", "am": "GRAVITEE_AM_URL"}


def require_url(params, product):
    """The ``<product>_url`` a module needs, or a usage error naming the option and its variable."""
    if not params.get("%s_url" % product):
        raise GraviteeError("%s_url is required by this module: set the %s_url option or the %s environment variable."
                            % (product, product, URL_ENV[product]), kind=KIND_USAGE)


def check_ca_path(params) -> None:
    """A usage error when ``ca_path`` names no readable file or directory (checked before any request)."""
    path = params.get("ca_path")
    if not path:
        return
    if not os.path.exists(path):
        problem = "does not exist"
    elif not os.access(path, os.R_OK):
        problem = "is not readable by the user running the module"
    else:
        return
    raise GraviteeError(
        "ca_path (GRAVITEE_CA_PATH) is %s, which %s. Set ca_path to the PEM file of the CA certificates that sign "
        "the Gravitee servers' certificates (a path on the host that runs the module), or unset it to use the "
        "system's trusted CAs." % (path, problem), kind=KIND_USAGE)


def _http_settings(params) -> dict:
    timeout, retries = params.get("timeout", DEFAULT_TIMEOUT), params.get("retries", DEFAULT_RETRIES)
    if timeout is None or timeout <= 0:
        raise GraviteeError("timeout must be a positive number of seconds, got %s." % timeout, kind=KIND_USAGE)
    if retries is None or retries < 0:
        raise GraviteeError("retries must be 0 or more, got %s." % retries, kind=KIND_USAGE)
    return {"timeout": timeout, "retry": retries, "validate_certs": params.get("validate_certs", True),
            "ca_path": params.get("ca_path")}


def build_apim_auth(params):
    return apim_auth(params.get("apim_username"), params.get("apim_password"), params.get("apim_token"))


def build_am_auth(params):
    return am_auth(am_token_url(params["am_url"]), params.get("am_username"), params.get("am_password"),
                   params.get("am_token"), org=params.get("am_org"))


def build_apim_client(params, *, scrubber=None, auth=None, **http_kwargs) -> HttpClient:
    """Client on ``{apim_url}/management/v2/organizations/{org}/environments/{env}``.

    ``client.scoped(apim_org_base(...))`` (see :func:`apim_org_client`) reaches the
    organisation-level routes with the same session, auth and request log.
    """
    auth = auth or build_apim_auth(params)
    client = HttpClient(apim_env_base(params["apim_url"], params["apim_org"], params["apim_env"]),
                        product="APIM", auth=auth, scrubber=scrubber, **_http_settings(params), **http_kwargs)
    client.scrubber.register(*auth.secret_values())
    return client


def apim_org_client(env_client, params) -> HttpClient:
    return env_client.scoped(apim_org_base(params["apim_url"], params["apim_org"]))


def build_am_client(params, *, scrubber=None, auth=None, **http_kwargs) -> HttpClient:
    """Client on ``{am_url}/management/organizations/{org}/environments/{env}``.

    With am_username/am_password the first request exchanges them for a token at
    ``{am_url}/management/auth/token``; later requests reuse it.
    """
    auth = auth or build_am_auth(params)
    client = HttpClient(am_env_base(params["am_url"], params["am_org"], params["am_env"]),
                        product="AM", auth=auth, scrubber=scrubber, **_http_settings(params), **http_kwargs)
    client.scrubber.register(*auth.secret_values())
    return client


def build_gateway_client(params, base_url, *, product, scrubber=None, **http_kwargs) -> HttpClient:
    """Client for a gateway (no management credentials), with the task's TLS, timeout and retries."""
    return HttpClient(base_url, product=product, auth=None, scrubber=scrubber, **_http_settings(params),
                      **http_kwargs)
