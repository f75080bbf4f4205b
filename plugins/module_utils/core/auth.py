# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""Authentication for the two management APIs.

APIM: HTTP Basic with apim_username/apim_password, or ``Bearer <apim_token>`` (a personal
access token). When both are given the token wins: it is the narrower, revocable
credential, and AWX/CI set ups that inject both keep working.

AM: ``Bearer <am_token>`` when given (same precedence), else am_username/am_password are
exchanged for a JWT at ``POST {am_url}/management/auth/token`` (Basic header, no body)
on the first request of the run; the JWT is cached on the auth object for the rest of
the run. The exchange is a read-only POST: logged as a read, retried like a GET and
allowed in check mode.

Each auth object exposes ``mode`` (for error hints), ``headers(client)`` and
``secret_values()`` (everything that must be masked: passwords, tokens, encoded headers).
"""

from __future__ import annotations

import base64

from .errors import AUTH_BASIC, AUTH_EXCHANGE, AUTH_TOKEN, GraviteeError, http_error, product_options, usage_error


def basic_header(username, password) -> str:
    raw = ("%s:%s" % (username, password)).encode("utf-8")
    return "Basic " + base64.b64encode(raw).decode("ascii")


class BasicAuth:
    mode = AUTH_BASIC

    def __init__(self, username, password):
        self._password = password
        self._header = basic_header(username, password)

    def headers(self, client) -> dict:
        return {"Authorization": self._header}

    def secret_values(self) -> tuple:
        return (self._password, self._header.split(" ", 1)[1])


class BearerAuth:
    mode = AUTH_TOKEN

    def __init__(self, token):
        self._token = token

    def headers(self, client) -> dict:
        return {"Authorization": "Bearer %s" % self._token}

    def secret_values(self) -> tuple:
        return (self._token,)


class AmTokenExchangeAuth:
    """AM username/password, exchanged once per run for a management JWT."""

    mode = AUTH_EXCHANGE

    def __init__(self, token_url, username, password, org=None):
        self.token_url = token_url
        self._password = password
        self._basic = basic_header(username, password)
        self._params = {"org": org} if org and org != "DEFAULT" else None
        self._token = None
        self.exchanges = 0  # how many times the exchange ran (tests assert 1)

    def headers(self, client) -> dict:
        if self._token is None:
            self._token = self._exchange(client)
        return {"Authorization": "Bearer %s" % self._token}

    def secret_values(self) -> tuple:
        values = (self._password, self._basic.split(" ", 1)[1])
        return values + ((self._token,) if self._token else ())

    def _exchange(self, client) -> str:
        self.exchanges += 1
        try:
            response = client.request("POST", self.token_url, params=self._params, read_only=True,
                                      authenticate=False, headers={"Authorization": self._basic})
        except GraviteeError as err:
            if err.status == 401:
                # Same call, but the hint must name the login options, not a token.
                raise http_error(product=client.product, method=err.method, url=err.url, status=401,
                                 body=err.body, attempts=err.attempts, scrubber=client.scrubber,
                                 on_token_endpoint=True) from None
            raise
        token = response.body.get("access_token") if isinstance(response.body, dict) else None
        if not token:
            raise usage_error(
                "%s at POST %s answered %s without an access_token. Check that am_url points at the AM management "
                "API (port 8093 by default), not at the AM gateway." % (client.product, self.token_url,
                                                                        response.status),
                product=client.product, method="POST", url=self.token_url,
                status=response.status)
        client.scrubber.register(token)
        return token


def _missing_credentials(product) -> GraviteeError:
    opts = product_options(product)
    return usage_error(
        "No %s credentials: set %s, or %s and %s (%s / %s)." % (
            product, opts.both("token"), opts.opt("username"), opts.opt("password"),
            opts.env("username"), opts.env("password")),
        product=product)


def apim_auth(username=None, password=None, token=None):
    """The APIM auth object for the given options (token wins over username/password)."""
    if token:
        return BearerAuth(token)
    if username and password is not None:
        return BasicAuth(username, password)
    raise _missing_credentials("APIM")


def am_auth(token_url, username=None, password=None, token=None, org=None):
    """The AM auth object for the given options (token wins over username/password)."""
    if token:
        return BearerAuth(token)
    if username and password is not None:
        return AmTokenExchangeAuth(token_url, username, password, org=org)
    raise _missing_credentials("AM")
