# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""The HTTP client every module uses: JSON in and out, TLS options, bounded retries,
one error type (:class:`GraviteeError`) and a log of every request made in the run.

Retry rules (why: a retried write must never be applied twice):

* GET, HEAD, OPTIONS, PUT, DELETE and POSTs marked ``read_only`` (APIM ``_search``, the AM
  token exchange) are retried on connection errors, timeouts and 429/502/503/504;
* other POSTs and PATCHes are retried only when the request provably never reached the
  server (refused connection, DNS failure, connect timeout), never after a read timeout
  or a 5xx, because the server may have applied them;
* TLS errors are never retried (they are configuration problems);
* at most ``retries`` retries, and none that would start after ``max_total`` seconds;
  the wait is exponential backoff with jitter, or ``Retry-After`` (seconds or HTTP date)
  when the server sends it, capped at ``retry_after_cap``.
"""

from __future__ import annotations

import copy
import json as _json
import random
import time
import traceback
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from .errors import (
    KIND_CONNECTION,
    KIND_HTTP,
    KIND_TIMEOUT,
    KIND_TLS,
    GraviteeError,
    http_error,
    transport_error,
    usage_error,
)
from .request_log import HttpResponse, RequestLog, RequestRecord
from .scrub import Scrubber

try:
    import requests
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

USER_AGENT = "ansible-collection-gravitee_community.mcp"
READ_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))
IDEMPOTENT_METHODS = frozenset(("GET", "HEAD", "OPTIONS", "PUT", "DELETE"))
RETRY_STATUSES = frozenset((429, 502, 503, 504))
_UNSET = object()


@dataclass
class RetryPolicy:
    retries: int = 3              # retries after the first attempt
    backoff_base: float = 0.5     # first backoff, doubled on each retry
    backoff_max: float = 8.0      # ceiling of one backoff
    retry_after_cap: float = 30.0  # ceiling of one Retry-After wait
    max_total: float = 120.0      # no retry may start later than this after the first attempt

    def backoff(self, retry_number: int, rand=random.random) -> float:
        """Delay before retry number ``retry_number`` (1-based): in [d/2, d], d = base * 2^(n-1)."""
        ceiling = min(self.backoff_max, self.backoff_base * (2 ** (retry_number - 1)))
        return ceiling / 2 + rand() * ceiling / 2


def parse_retry_after(value, cap: float, now=time.time) -> float | None:
    """Seconds to wait for a ``Retry-After`` header (delta-seconds or HTTP date), capped."""
    if value is None:
        return None
    value = str(value).strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - datetime.fromtimestamp(now(), tz=timezone.utc)).total_seconds()
    return max(0.0, min(seconds, cap))


def _chain(exc, depth=0):
    """The exception, its args, reasons, causes and contexts (urllib3 nests them deeply)."""
    if exc is None or depth > 8:
        return
    yield exc
    for nested in (getattr(exc, "reason", None), exc.__cause__, exc.__context__, *getattr(exc, "args", ())):
        if isinstance(nested, BaseException) and nested is not exc:
            yield from _chain(nested, depth + 1)


def classify_exception(exc) -> tuple[str, bool, bool]:
    """(kind, reached_server, worth_retrying) for a requests exception."""
    if isinstance(exc, requests.exceptions.SSLError):
        return KIND_TLS, False, False
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                        requests.exceptions.InvalidSchema, requests.exceptions.InvalidHeader)):
        return KIND_CONNECTION, False, False
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return KIND_TIMEOUT, False, True
    if isinstance(exc, requests.exceptions.Timeout):
        return KIND_TIMEOUT, True, True
    never_sent = any(isinstance(e, (NewConnectionError, ConnectTimeoutError, ConnectionRefusedError))
                     for e in _chain(exc))
    return KIND_CONNECTION, not never_sent, True


def _parse_body(response):
    text = response.text if response.content else ""
    if not text.strip():
        return None
    content_type = response.headers.get("Content-Type", "")
    if "json" in content_type or text.lstrip()[:1] in ("{", "["):
        try:
            return _json.loads(text)
        except ValueError:
            pass
    return text


class HttpVerbs:
    """``get``/``post``/``put``/``patch``/``delete`` as shorthands of ``self.request(method, target, ...)``."""

    def get(self, target, **kwargs):
        return self.request("GET", target, **kwargs)

    def post(self, target, **kwargs):
        return self.request("POST", target, **kwargs)

    def put(self, target, **kwargs):
        return self.request("PUT", target, **kwargs)

    def patch(self, target, **kwargs):
        return self.request("PATCH", target, **kwargs)

    def delete(self, target, **kwargs):
        return self.request("DELETE", target, **kwargs)


class HttpClient(HttpVerbs):
    """JSON client bound to a base URL; see the module docstring for the retry rules."""

    def __init__(self, base_url, *, product="APIM", auth=None, timeout=30, validate_certs=True, ca_path=None,
                 retry=None, scrubber=None, session=None, log=None, forbid_writes=False,
                 sleep=time.sleep, clock=time.monotonic, wall_clock=time.time, rand=random.random):
        if not HAS_REQUESTS:
            raise usage_error("The Python library requests is required.")
        self.base_url = base_url.rstrip("/")
        self.product = product
        self.auth = auth
        self.timeout = timeout
        self.verify = (ca_path or True) if validate_certs else False
        self.retry = retry if isinstance(retry, RetryPolicy) else RetryPolicy(
            **({} if retry is None else {"retries": int(retry)}))
        self.scrubber = scrubber if scrubber is not None else Scrubber()
        self.session = session or requests.Session()
        self.log = log if log is not None else RequestLog()
        # Set in check mode: any write request raises instead of reaching Gravitee.
        self.forbid_writes = forbid_writes
        self._sleep, self._clock, self._wall_clock, self._rand = sleep, clock, wall_clock, rand

    def url_for(self, path="") -> str:
        """Absolute URLs pass through; other paths are joined under the base URL (its path kept)."""
        path = str(path)
        if path.startswith(("http://", "https://")):
            return path
        return "%s/%s" % (self.base_url, path.lstrip("/")) if path else self.base_url

    def scoped(self, base_url, product=None) -> HttpClient:
        """A client for another base URL sharing session, auth, log, scrubber and settings."""
        clone = copy.copy(self)
        clone.base_url = base_url.rstrip("/")
        if product:
            clone.product = product
        return clone

    def is_write(self, method, read_only=False) -> bool:
        return method not in READ_METHODS and not read_only

    def request(self, method, path, *, params=None, json=_UNSET, data=None, headers=None, read_only=False,
                allow_status=(), authenticate=True) -> HttpResponse:
        """Send one logical request (with retries); raise :class:`GraviteeError` on failure.

        ``read_only=True`` marks a POST that changes nothing (search, token exchange): it is
        logged as a read, retried like a GET and allowed in check mode. ``allow_status``
        lists error statuses returned instead of raised (e.g. ``(404,)`` for lookups).
        """
        method = method.upper()
        url = self.url_for(path)
        write = self.is_write(method, read_only)
        idempotent = method in IDEMPOTENT_METHODS or read_only
        if write and self.forbid_writes:
            raise usage_error(
                "Internal error: %s %s was attempted in check mode; no change was made. Please report this "
                "bug of the gravitee_community.mcp collection." % (method, self.scrubber.scrub_text(url)),
                product=self.product, method=method, url=self.scrubber.scrub_text(url))
        send_headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        body = data
        if json is not _UNSET and json is not None:  # json=None means "no body", never a JSON null
            body = _json.dumps(json)
            send_headers["Content-Type"] = "application/json"
        send_headers.update(headers or {})
        started = self._clock()
        attempt = 0
        while True:
            attempt += 1
            if authenticate and self.auth is not None:
                send_headers.update(self.auth.headers(self))
            try:
                response = self.session.request(method, url, params=params, data=body, headers=send_headers,
                                                timeout=self.timeout, verify=self.verify, allow_redirects=False)
            except requests.exceptions.RequestException as exc:
                kind, reached, worth_retrying = classify_exception(exc)
                self.log.add(RequestRecord(method, urlsplit(url).path, None, write, attempt, kind))
                retryable = worth_retrying and (idempotent or not reached)
                delay = self.retry.backoff(attempt, self._rand)
                if retryable and self._may_retry(attempt, started, delay):
                    self._sleep(delay)
                    continue
                raise transport_error(product=self.product, kind=kind, method=method, url=url, exc=exc,
                                      timeout=self.timeout, attempts=attempt, scrubber=self.scrubber) from None
            status = response.status_code
            self.log.add(RequestRecord(method, urlsplit(url).path, status, write, attempt, KIND_HTTP))
            if status == 401 and authenticate and self._renew_auth():
                continue
            if status in RETRY_STATUSES and idempotent:
                delay = parse_retry_after(response.headers.get("Retry-After"), self.retry.retry_after_cap,
                                          self._wall_clock)
                if delay is None:
                    delay = self.retry.backoff(attempt, self._rand)
                if self._may_retry(attempt, started, delay):
                    self._sleep(delay)
                    continue
            parsed = _parse_body(response)
            if 300 <= status < 400:
                raise self._redirect_error(method, url, status, response.headers.get("Location"))
            if status >= 400 and status not in allow_status:
                mode = getattr(self.auth, "mode", None) if authenticate else None
                raise http_error(product=self.product, method=method, url=url, status=status, body=parsed,
                                 auth_mode=mode, attempts=attempt, scrubber=self.scrubber)
            return HttpResponse(status, parsed, response.headers)

    def _renew_auth(self) -> bool:
        """A 401 to a session token handed on from an earlier task (expired): the auth logs in again, once
        (``auth.py``). The server refused the request before doing anything with it, so sending it again, a
        write too, still applies it once."""
        renew = getattr(self.auth, "renew", None)
        return bool(renew is not None and renew(self))

    def _may_retry(self, attempt, started, delay) -> bool:
        if attempt > self.retry.retries:
            return False
        return (self._clock() - started) + delay <= self.retry.max_total

    def _redirect_error(self, method, url, status, location) -> GraviteeError:
        url = self.scrubber.scrub_text(url)
        option = {"APIM": "apim_url", "AM": "am_url"}.get(self.product, "the URL")
        hint = ("The server redirects to %s. Set %s to the address it redirects to (often https:// "
                "instead of http://)." % (self.scrubber.scrub_text(location) or "another address", option))
        return GraviteeError("%s from %s at %s %s: redirect. %s" % (status, self.product, method, url, hint),
                             product=self.product, kind=KIND_HTTP, method=method, url=url, status=status,
                             hint=hint)
