# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""One error type for every failure talking to Gravitee, with one message shape:

``<status> from <product> at <METHOD> <url>: <Gravitee's message> (<technicalCode>). <what to do>``

APIM error bodies are ``{httpStatus, message, technicalCode, parameters, details}``,
AM error bodies are ``{message, http_status}``; both are read here. The hint names the
module options (and their environment variables) the user should look at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus

from .scrub import Scrubber
from .tls import tls_hint
from .wrong_server import wrong_server_hint


@dataclass(frozen=True)
class ProductOptions:
    """Names of the connection options of one product, for hints."""

    product: str
    prefix: str  # "apim" or "am"; "" for products without connection options (gateways)

    def opt(self, name: str) -> str:
        return "%s_%s" % (self.prefix, name)

    def env(self, name: str) -> str:
        return "GRAVITEE_%s_%s" % (self.prefix.upper(), name.upper())

    def both(self, name: str) -> str:
        """``apim_url (GRAVITEE_APIM_URL)``"""
        return "%s (%s)" % (self.opt(name), self.env(name))


def product_options(product: str) -> ProductOptions:
    return ProductOptions(product, {"APIM": "apim", "AM": "am"}.get(product, ""))


# Authentication modes, as reported by the _auth classes.
AUTH_BASIC = "basic"          # username/password sent on every call (APIM)
AUTH_TOKEN = "token"          # a bearer token the user supplied (APIM PAT, AM token)
AUTH_EXCHANGE = "exchange"    # username/password exchanged for a bearer token (AM)
AUTH_SESSION = "session"      # a token an earlier task logged in for, handed on without the login (AM)

KIND_HTTP = "http"
KIND_CONNECTION = "connection"
KIND_TLS = "tls"
KIND_TIMEOUT = "timeout"
KIND_LOOKUP = "lookup"        # the object the task refers to is not there or not usable
KIND_USAGE = "usage"          # the module or the collection was used wrongly


class GraviteeError(Exception):
    """A failed call (or lookup) with everything a user needs to fix it, secrets masked."""

    def __init__(self, message, *, product=None, kind=KIND_HTTP, method=None, url=None, status=None,
                 gravitee_message=None, technical_code=None, body=None, hint=None, attempts=1):
        super().__init__(message)
        self.message = message
        self.product = product
        self.kind = kind
        self.method = method
        self.url = url
        self.status = status
        self.gravitee_message = gravitee_message
        self.technical_code = technical_code
        self.body = body
        self.hint = hint
        self.attempts = attempts

    def __str__(self):
        return self.message

    def replace(self, **changes) -> GraviteeError:
        """A copy with some fields changed (e.g. a clearer ``message`` or ``hint``), every other field kept."""
        fields = {"product": self.product, "kind": self.kind, "method": self.method, "url": self.url,
                  "status": self.status, "gravitee_message": self.gravitee_message,
                  "technical_code": self.technical_code, "body": self.body, "hint": self.hint,
                  "attempts": self.attempts}
        message = changes.pop("message", self.message)
        fields.update(changes)
        return GraviteeError(message, **fields)

    def to_result(self) -> dict:
        """Structured fields for ``fail_json`` (only those that are known)."""
        fields = {
            "product": self.product, "kind": self.kind, "method": self.method, "url": self.url,
            "status": self.status, "gravitee_message": self.gravitee_message,
            "technical_code": self.technical_code, "body": self.body, "hint": self.hint,
            "attempts": self.attempts if self.attempts and self.attempts > 1 else None,
        }
        return {key: value for key, value in fields.items() if value is not None}


def usage_error(message, **fields) -> GraviteeError:
    """The module or the collection was used wrongly: the message names the option and the fix.

    ``fields`` are the other :class:`GraviteeError` fields that are known (``product``, ``url`` ...)."""
    return GraviteeError(message, kind=KIND_USAGE, **fields)


def with_hint(err: GraviteeError, hint: str) -> GraviteeError:
    """The same failure with a module-specific hint added to its message."""
    return err.replace(message="%s %s" % (str(err).rstrip(), hint), hint=hint)


def _join(text: str, hint: str | None) -> str:
    text = text.strip()
    if not hint:
        return text if text.endswith((".", "!", "?")) else text + "."
    return "%s%s %s" % (text, "" if text.endswith((".", "!", "?")) else ".", hint)


def parse_error_body(body):
    """(message, technical_code, detail strings) from an APIM or AM error body."""
    if isinstance(body, dict):
        message = body.get("message") or body.get("error_description") or body.get("error")
        code = body.get("technicalCode")
        details = []
        for detail in body.get("details") or []:
            if isinstance(detail, dict) and detail.get("message"):
                where = detail.get("location")
                details.append("%s: %s" % (where, detail["message"]) if where else str(detail["message"]))
        return (str(message) if message else None), code, details
    if isinstance(body, str) and body.strip():
        # Not JSON (a proxy's error page, plain text): keep it short.
        text = re.sub(r"<[^>]+>", " ", body)
        text = re.sub(r"\s+", " ", text).strip()
        return (text[:200] + ("..." if len(text) > 200 else "")) or None, None, []
    return None, None, []


def _status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "HTTP %s" % status


def _hint_401(opts: ProductOptions, auth_mode, on_token_endpoint: bool) -> str:
    login = "%s / %s (%s / %s)" % (opts.opt("username"), opts.opt("password"),
                                   opts.env("username"), opts.env("password"))
    token = opts.both("token")
    if on_token_endpoint:
        return "%s refused the login at its token endpoint. Check %s." % (opts.product, login)
    if auth_mode == AUTH_TOKEN:
        template = ("Check %s: %s does not accept it (unknown, expired or revoked). When both are set, %s is "
                    "used instead of %s / %s.")
        return template % (token, opts.product, opts.opt("token"), opts.opt("username"), opts.opt("password"))
    if auth_mode == AUTH_SESSION:
        template = ("Check %s: %s does not accept this management token handed on from an earlier task (expired or "
                    "revoked). Set %s / %s as well, so that the task logs in again when the token is refused, or "
                    "hand on a fresh token.")
        return template % (opts.both("access_token"), opts.product, opts.opt("username"), opts.opt("password"))
    if auth_mode == AUTH_EXCHANGE:
        template = ("%s refused the management token obtained for %s. Check that this user may use the "
                    "management API of %s / %s, or use %s.")
        return template % (opts.product, opts.opt("username"), opts.opt("org"), opts.opt("env"), token)
    return "Check %s or %s." % (login, token)


def hint_for_status(status, *, product, auth_mode=None, technical_code=None, attempts=1,
                    on_token_endpoint=False) -> str | None:
    opts = product_options(product)
    if not opts.prefix:
        if status >= 500 or status == 429:
            return "The server is failing or overloaded; retry later."
        return None
    if status == 401:
        return _hint_401(opts, auth_mode, on_token_endpoint)
    if status == 403:
        if technical_code == "feature.missing":
            return "The %s licence does not cover this feature or plugin (Enterprise Edition)." % opts.product
        return ("The credentials are valid but lack the permission for this call. Give the user a role with "
                "this permission in %s / %s, or use other credentials." % (opts.both("org"), opts.both("env")))
    if status == 404:
        return ("Check %s (the server root, without /management), %s and %s, and that the object still "
                "exists." % (opts.both("url"), opts.both("org"), opts.both("env")))
    if status == 412:
        return "The object changed since it was read; run the task again."
    if status == 429:
        return ("%s is rate limiting the calls (still after %d attempts). Raise retries or run fewer tasks "
                "in parallel." % (opts.product, attempts))
    if status >= 500:
        tried = " after %d attempts" % attempts if attempts > 1 else ""
        return ("The %s management API failed%s. Check its logs and that it is healthy, then run the task "
                "again." % (opts.product, tried))
    return None


def http_error(*, product, method, url, status, body, auth_mode=None, attempts=1, scrubber=None,
               on_token_endpoint=False) -> GraviteeError:
    """The error for an HTTP answer with status >= 400."""
    scrubber = scrubber or Scrubber()
    message, code, details = parse_error_body(body)
    message = scrubber.scrub_text(message) if message else None
    url = scrubber.scrub_text(url)
    reason = message or _status_phrase(status)
    after = " after %d attempts" % attempts if attempts > 1 else ""
    text = "%s from %s at %s %s%s: %s" % (status, product, method, url, after, reason)
    if code:
        text += " (%s)" % code
    if details:
        text += " [%s]" % "; ".join(scrubber.scrub_text(d) for d in details[:10])
    # A swapped URL (apim_url at AM, am_url at APIM, a gateway) is named before any credentials hint.
    hint = wrong_server_hint(product, status, body, url) or hint_for_status(
        status, product=product, auth_mode=auth_mode, technical_code=code, attempts=attempts,
        on_token_endpoint=on_token_endpoint)
    return GraviteeError(_join(text, hint), product=product, kind=KIND_HTTP, method=method, url=url,
                         status=status, gravitee_message=message, technical_code=code,
                         body=scrubber.scrub(body), hint=hint, attempts=attempts)


_ERRNO = re.compile(r"\[Errno -?\d+\] [^'\")\]]+")
# An ssl error text runs up to " (_ssl.c:NNNN)"; the host names inside it are quoted, so the
# match must not stop at a quote ("certificate is not valid for '10.0.0.5'.").
_SSL = re.compile(r"(certificate verify failed.*?|\[SSL[^\]]*\].*?|hostname '.*?)(?=\s*\(_ssl\.c:|['\"]\)+|\)\)|$)")


def describe_exception(exc: BaseException) -> str:
    """The useful part of a requests/urllib3 exception text, without object addresses."""
    text = str(exc)
    for pattern in (_SSL, _ERRNO):
        found = pattern.search(text)
        if found:
            return found.group(0).strip(" :")
    text = re.sub(r"<[^>]* at 0x[0-9a-f]+>:?\s*", "", text)
    return text[:300] or type(exc).__name__


def transport_error(*, product, kind, method, url, exc, timeout=None, attempts=1,
                    scrubber=None) -> GraviteeError:
    """The error for a request that got no HTTP answer (connection, TLS, timeout)."""
    scrubber = scrubber or Scrubber()
    opts = product_options(product)
    url = scrubber.scrub_text(url)
    reason = scrubber.scrub_text(describe_exception(exc))
    after = " (%d attempts)" % attempts if attempts > 1 else ""
    url_option = opts.both("url") if opts.prefix else "the URL"
    if kind == KIND_TLS:
        text = "TLS error talking to %s at %s %s%s: %s" % (product, method, url, after, reason)
        hint = tls_hint(url, reason, url_option, timeout=min(timeout or 5, 5))
    elif kind == KIND_TIMEOUT:
        text = "No answer from %s within %s s at %s %s%s" % (product, timeout, method, url, after)
        hint = ("Raise timeout (now %s s) if %s is just slow, or check %s and that it is reachable from the "
                "Ansible controller." % (timeout, product, url_option))
    else:
        text = "Could not connect to %s at %s %s%s: %s" % (product, method, url, after, reason)
        hint = ("Check %s and that %s is running and reachable from the Ansible controller (host, port, "
                "proxy, firewall)." % (url_option, product))
    return GraviteeError(_join(text, hint), product=product, kind=kind, method=method, url=url,
                         hint=hint, attempts=attempts)
