# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""HTTP for mcp_probe: the requests an MCP client makes, with the collection's TLS options.

Why not the engine's HttpClient: the gateway and the AM gateway are not management APIs. A probe
must see every status as it is (a 401 is the answer it wants), must never follow a redirect on its
own (MCP clients treat a 3xx during discovery as "try the next URL", and the login must stop at the
redirect URI), and keeps cookies for the login pages. Transport failures (refused connection,
TLS, timeout) are raised as :class:`TransportFailure`, which a check turns into its result.

Transient failures (a 5xx, a 429, no answer at all) are retried within the probe's ``probe_retries`` /
``probe_delay`` (:class:`Retrying`, one budget per check): a ``GET`` (a read: discovery documents, login
pages) is sent again here; any other request is left to the probe, which runs the whole check again
(a login restarts from the authorization request, a registration is sent again).
"""

from __future__ import annotations

import codecs
import json
import time

from ..core.errors import KIND_CONNECTION, KIND_TIMEOUT, KIND_TLS, describe_exception
from ..core.http import HAS_REQUESTS, USER_AGENT, HttpVerbs, classify_exception

if HAS_REQUESTS:
    import requests

PROBE_AGENT = USER_AGENT + " mcp_probe"
MAX_TEXT = 2 * 1024 * 1024  # a probe never needs more of a body than this


class TransportFailure(Exception):
    """No HTTP answer came back: ``kind`` is connection, tls or timeout."""

    def __init__(self, kind, method, url, reason, timeout=None):
        super().__init__(reason)
        self.kind, self.method, self.url, self.reason, self.timeout = kind, method, url, reason, timeout

    def describe(self) -> str:
        if self.kind == KIND_TIMEOUT:
            return "no answer within %s s from %s %s" % (self.timeout, self.method, self.url)
        if self.kind == KIND_TLS:
            return "TLS error at %s %s: %s" % (self.method, self.url, self.reason)
        return "could not connect for %s %s: %s" % (self.method, self.url, self.reason)

    def cause(self) -> str:
        if self.kind == KIND_TLS:
            return ("The server's certificate is not trusted: set ca_path to the CA bundle that signed it "
                    "(validate_certs=false only for tests), and use the host name the certificate names.")
        if self.kind == KIND_TIMEOUT:
            return "The server is too slow or a firewall drops the packets: check the URL, or raise probe_timeout."
        return ("Nothing answers at that address from the Ansible controller: check the host name and port, "
                "that the server is running, and proxies or firewalls in between.")


class Reply:
    """One HTTP answer: status, headers (case-insensitive), text, and the URL asked."""

    def __init__(self, method, url, status, headers, text):
        self.method = method
        self.url = url
        self.status = status
        self.headers = headers
        self.text = text

    def header(self, name, default=None):
        return self.headers.get(name, default)

    @property
    def content_type(self) -> str:
        return (self.header("Content-Type") or "").split(";")[0].strip().lower()

    def json(self):
        """The body as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.text) if self.text and self.text.strip() else None
        except ValueError:
            return None

    @property
    def is_redirect(self) -> bool:
        return 300 <= self.status < 400 and bool(self.header("Location"))

    def snippet(self, limit=200) -> str:
        """The start of the body on one line, for "got" texts."""
        text = " ".join((self.text or "").split())
        return text[:limit] + ("..." if len(text) > limit else "")


def is_transient(status) -> bool:
    """A status worth trying again: the server (or one in front of it) is busy, starting or redeploying."""
    return status is not None and (status >= 500 or status == 429)


class Retrying:
    """The retry budget of the check being run: ``retries`` more tries, ``delay`` seconds apart."""

    def __init__(self, retries=0, delay=0.0, sleep=time.sleep):
        self.retries = max(0, int(retries))
        self.delay = max(0.0, float(delay))
        self.sleep = sleep
        self.left = self.retries
        self.transient = None   # the last transient failure met by the current check

    def begin(self):
        """A new check: a full budget, nothing met yet."""
        self.left = self.retries
        self.transient = None

    def note(self, what):
        self.transient = what

    def take(self) -> bool:
        """Use one retry (after the delay); False when the budget is spent."""
        if self.left <= 0:
            return False
        self.left -= 1
        self.sleep(self.delay)
        return True


def _no_auth(request):
    return request


def iter_chunks(response, method, url):
    """The body's bytes as they arrive; a connection cut in the middle is a :class:`TransportFailure`."""
    try:
        yield from response.iter_content(chunk_size=None)
    except requests.exceptions.RequestException as exc:
        raise TransportFailure(KIND_CONNECTION, method, url, "answer cut off: %s" % describe_exception(exc)) from None


def read_text(response, method, url, limit=MAX_TEXT) -> str:
    """The body as text (UTF-8 unless the answer names another charset), at most ``limit`` bytes."""
    raw = b""
    for chunk in iter_chunks(response, method, url):
        raw += chunk
        if len(raw) > limit:
            break
    return raw.decode(charset_of(response), errors="replace")


def charset_of(response) -> str:
    """The charset the Content-Type names, else UTF-8 (JSON, SSE and AM's pages are UTF-8)."""
    for part in (response.headers.get("Content-Type") or "").split(";")[1:]:
        name, _sep, value = part.strip().partition("=")
        if name.lower() == "charset" and value.strip('"'):
            try:
                codecs.lookup(value.strip('"'))
                return value.strip('"')
            except LookupError:
                break
    return "utf-8"


class ProbeHttp(HttpVerbs):
    """A requests session with the module's TLS options and timeout; redirects are never followed."""

    def __init__(self, *, timeout=30, validate_certs=True, ca_path=None, session=None, retrying=None):
        self.timeout = timeout
        self.verify = (ca_path or True) if validate_certs else False
        self.retrying = retrying if retrying is not None else Retrying()
        self.session = session if session is not None else requests.Session()
        # Proxy variables apply as for every module, but never .netrc credentials: an unauthenticated
        # request must go out without any Authorization header (requests adds netrc's when auth is unset).
        self.session.auth = _no_auth

    def browser(self) -> ProbeHttp:
        """Another client with its own cookie jar, as a browser has (the login pages need it)."""
        return ProbeHttp(timeout=self.timeout, validate_certs=self.verify is not False,
                         ca_path=self.verify if isinstance(self.verify, str) else None, retrying=self.retrying)

    def open(self, method, url, *, headers=None, json_body=None, data=None, params=None, auth=None, stream=False):
        """The raw ``requests`` response (for streamed bodies), or :class:`TransportFailure`."""
        send = {"User-Agent": PROBE_AGENT}
        send.update(headers or {})
        body = data
        if json_body is not None:
            body = json.dumps(json_body)
            send.setdefault("Content-Type", "application/json")
        try:
            response = self.session.request(method, url, headers=send, data=body, params=params, auth=auth,
                                            timeout=self.timeout, verify=self.verify, allow_redirects=False,
                                            stream=stream)
        except requests.exceptions.RequestException as exc:
            kind = classify_exception(exc)[0]
            if kind not in (KIND_TLS, KIND_TIMEOUT):
                kind = KIND_CONNECTION
            failure = TransportFailure(kind, method, url, describe_exception(exc), self.timeout)
            if kind != KIND_TLS:  # a certificate problem does not go away by itself
                self.retrying.note(failure.describe())
            raise failure from None
        if is_transient(response.status_code):
            self.retrying.note("%s %s answered %s" % (method, url.split("?")[0], response.status_code))
        return response

    def request(self, method, url, **kwargs) -> Reply:
        """One request; a ``GET`` meeting a transient failure is sent again within the check's budget."""
        while True:
            try:
                response = self.open(method, url, stream=True, **kwargs)
                try:
                    text = read_text(response, method, url)
                finally:
                    response.close()
            except TransportFailure as failure:
                if failure.kind != KIND_TLS:
                    self.retrying.note(failure.describe())
                if method == "GET" and failure.kind != KIND_TLS and self.retrying.take():
                    continue
                raise
            if method == "GET" and is_transient(response.status_code) and self.retrying.take():
                continue
            return Reply(method, url, response.status_code, response.headers, text)
