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
on the first request of the task; the JWT is cached on the auth object for the rest of
the task. The exchange is a read-only POST: logged as a read, retried like a GET and
allowed in check mode.

AM session token (``am_access_token``): the JWT an earlier task of the play obtained (the
preflight returns it), handed on so that a play logs in once rather than once per task. It is
used instead of the exchange; when AM refuses it (401: expired, revoked) and am_username /
am_password are set too, the task logs in again, once, and sends the refused request again
(AM refuses a request it cannot authenticate before doing anything with it, so a write sent
again is still applied once). Without them, the 401 fails with a hint naming the option.

Each auth object exposes ``mode`` (for error hints), ``headers(client)``,
``secret_values()`` (everything that must be masked: passwords, tokens, encoded headers) and
``session_token()`` (a token this task logged in for, which a later task may be handed; None
otherwise). One that can log in again also has ``renew(client)``, which the HTTP client calls
on a 401 (see ``http.py``).
"""

from __future__ import annotations

import base64

from .errors import (
    AUTH_BASIC,
    AUTH_EXCHANGE,
    AUTH_SESSION,
    AUTH_TOKEN,
    GraviteeError,
    http_error,
    product_options,
    usage_error,
)


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

    def session_token(self):
        return None


class BearerAuth:
    mode = AUTH_TOKEN

    def __init__(self, token):
        self._token = token

    def headers(self, client) -> dict:
        return {"Authorization": "Bearer %s" % self._token}

    def secret_values(self) -> tuple:
        return (self._token,)

    def session_token(self):
        return None


class SessionTokenAuth(BearerAuth):
    """An AM session token handed on from an earlier task, without the login to renew it."""

    mode = AUTH_SESSION


class AmTokenExchangeAuth:
    """AM username/password, exchanged once per task for a management JWT, unless a session token
    (``handed``) was handed on: then that one is used, and the login happens only if AM refuses it."""

    mode = AUTH_EXCHANGE

    def __init__(self, token_url, username, password, org=None, handed=None):
        self.token_url = token_url
        self._password = password
        self._basic = basic_header(username, password)
        self._params = {"org": org} if org and org != "DEFAULT" else None
        self._token = handed or None
        self._handed = handed or None
        self.exchanges = 0  # how many times the exchange ran (tests assert 1)

    def headers(self, client) -> dict:
        if self._token is None:
            self._token = self._exchange(client)
        return {"Authorization": "Bearer %s" % self._token}

    def secret_values(self) -> tuple:
        values = (self._password, self._basic.split(" ", 1)[1])
        return values + tuple(t for t in (self._token, self._handed) if t)

    def session_token(self):
        """The JWT this task logged in for (never the handed one: the task that has it passes it on itself)."""
        return self._token if self.exchanges else None

    def renew(self, client) -> bool:
        """On a 401: True when the handed token was in use, so that the next attempt logs in (once)."""
        if self._handed is None or self._token != self._handed:
            return False
        self._token = None
        return True

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


def am_auth(token_url, username=None, password=None, token=None, org=None, access_token=None):
    """The AM auth object for the given options: am_token wins over everything; a session token
    (``access_token``) is used before logging in with username/password, which renew it if refused."""
    if token:
        return BearerAuth(token)
    if username and password is not None:
        return AmTokenExchangeAuth(token_url, username, password, org=org, handed=access_token)
    if access_token:
        return SessionTokenAuth(access_token)
    raise _missing_credentials("AM")
