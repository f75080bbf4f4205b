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
from collections.abc import Callable, Mapping
from typing import NamedTuple

from ansible.module_utils.basic import env_fallback

from .errors import usage_error
from .http import HttpClient

DEFAULT_TIMEOUT = 30
DEFAULT_RETRIES = 3


def _env(*names):
    return (env_fallback, list(names))


class Product(NamedTuple):
    """What the core needs to know of a product it connects to; each product package defines one.

    ``name`` prefixes its options (``<name>_url`` ...) and, upper-cased, their environment
    variables (``GRAVITEE_<NAME>_URL`` ...); ``base_url(params)`` is the management root the
    client works under; ``auth(params)`` returns its credentials object (see ``auth.py``).
    ``session_token``: its login is exchanged for a token, which a play may hand on from task to
    task with the ``<name>_access_token`` option (so that it logs in once).
    """

    name: str
    label: str
    base_url: Callable[[dict], str]
    auth: Callable[[dict], object]
    session_token: bool = False


def product_argument_spec(name, session_token=False) -> dict:
    """The connection options of one product (six, plus ``<name>_access_token`` for a product whose
    login gives a session token), with their environment fallbacks."""
    env = "GRAVITEE_%s_" % name.upper()
    spec = {
        name + "_url": {"type": "str", "fallback": _env(env + "URL")},
        name + "_username": {"type": "str", "fallback": _env(env + "USERNAME")},
        name + "_password": {"type": "str", "no_log": True, "fallback": _env(env + "PASSWORD")},
        name + "_token": {"type": "str", "no_log": True, "fallback": _env(env + "TOKEN")},
        name + "_org": {"type": "str", "default": "DEFAULT", "fallback": _env(env + "ORG")},
        name + "_env": {"type": "str", "default": "DEFAULT", "fallback": _env(env + "ENV")},
    }
    if session_token:
        spec[name + "_access_token"] = {"type": "str", "no_log": True, "fallback": _env(env + "ACCESS_TOKEN")}
    return spec


def common_argument_spec() -> dict:
    return {
        "validate_certs": {"type": "bool", "default": True, "fallback": _env("GRAVITEE_VALIDATE_CERTS")},
        "ca_path": {"type": "path", "fallback": _env("GRAVITEE_CA_PATH")},
        "timeout": {"type": "int", "default": DEFAULT_TIMEOUT},
        "retries": {"type": "int", "default": DEFAULT_RETRIES},
    }


def connection_argument_spec(products) -> dict:
    """Common options plus those of every product (names, or a mapping of names to :class:`Product`), for every
    module.

    Every module accepts the options of all products, so that one
    ``module_defaults: group/gravitee_community.mcp.gravitee`` block can carry the APIM and
    the AM connection (Ansible hands group defaults to each module unfiltered, and a module
    rejects options it does not know). A module checks only the products it talks to, see
    :func:`require_url`.
    """
    spec = common_argument_spec()
    for name in products:
        product = products[name] if isinstance(products, Mapping) else None
        spec.update(product_argument_spec(name, session_token=getattr(product, "session_token", False)))
    return spec


def require_url(params, product):
    """The ``<product>_url`` a module needs, or a usage error naming the option and its variable."""
    if not params.get("%s_url" % product):
        raise usage_error("%s_url is required by this module: set the %s_url option or the GRAVITEE_%s_URL "
                          "environment variable." % (product, product, product.upper()))


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
    raise usage_error(
        "ca_path (GRAVITEE_CA_PATH) is %s, which %s. Set ca_path to the PEM file of the CA certificates that sign "
        "the Gravitee servers' certificates (a path on the host that runs the module), or unset it to use the "
        "system's trusted CAs." % (path, problem))


def check_http_settings(params) -> None:
    """A usage error for a connection ``timeout`` or ``retries`` out of range (checked before any request)."""
    timeout, retries = params.get("timeout", DEFAULT_TIMEOUT), params.get("retries", DEFAULT_RETRIES)
    if timeout is None or timeout <= 0:
        raise usage_error("timeout must be a positive number of seconds, got %s." % timeout)
    if retries is None or retries < 0:
        raise usage_error("retries must be 0 or more, got %s." % retries)


def _http_settings(params) -> dict:
    check_http_settings(params)
    return {"timeout": params.get("timeout", DEFAULT_TIMEOUT), "retry": params.get("retries", DEFAULT_RETRIES),
            "validate_certs": params.get("validate_certs", True), "ca_path": params.get("ca_path")}


def build_client(product: Product, params, *, scrubber=None, auth=None, **http_kwargs) -> HttpClient:
    """Client on ``product.base_url(params)`` with the task's credentials, TLS, timeout and retries.

    ``client.scoped(other_base)`` reaches other routes of the same product with the same
    session, auth and request log.
    """
    auth = auth or product.auth(params)
    client = HttpClient(product.base_url(params), product=product.label, auth=auth, scrubber=scrubber,
                        **_http_settings(params), **http_kwargs)
    client.scrubber.register(*auth.secret_values())
    return client


def build_gateway_client(params, base_url, *, product, scrubber=None, **http_kwargs) -> HttpClient:
    """Client for a gateway (no management credentials), with the task's TLS, timeout and retries."""
    return HttpClient(base_url, product=product, auth=None, scrubber=scrubber, **_http_settings(params),
                      **http_kwargs)
