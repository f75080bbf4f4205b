"""Request log and fault injection, shared by every port of the sandbox.

Each app is wrapped by :class:`Recorder`, which records one entry per HTTP
exchange (method, port, component, path, status) and applies the fault rules
before the app sees the request. Paths under ``/_sandbox`` are control calls
and are never logged or faulted.
"""

import asyncio
import itertools
import random
import re
import time
from dataclasses import dataclass, field


@dataclass
class FaultRule:
    """One fault: requests matching ``component``/``method``/``path`` misbehave.

    ``times`` bounds how many requests the rule hits (None = unbounded);
    ``rate`` is the share of matching requests hit (seeded, so repeatable);
    ``status`` answers with that status instead of calling the app;
    ``latency_ms`` delays the request before anything else;
    ``drop`` starts a response and closes the connection before the body ends;
    ``retry_after`` adds a ``Retry-After`` header to a status answer.
    """

    component: str = "*"
    method: str = "*"
    path: str = ".*"
    times: int | None = None
    rate: float = 1.0
    status: int | None = None
    latency_ms: int = 0
    drop: bool = False
    retry_after: str | None = None
    hits: int = 0

    def matches(self, component, method, path):
        if self.component not in ("*", component):
            return False
        if self.method not in ("*", method.upper()):
            return False
        if not re.search(self.path, path):
            return False
        return self.times is None or self.hits < self.times

    def public(self):
        return {k: v for k, v in self.__dict__.items()}


@dataclass
class RequestLog:
    """Every exchange the sandbox served, in order."""

    capture_bodies: bool = False
    entries: list = field(default_factory=list)
    _seq: itertools.count = field(default_factory=lambda: itertools.count(1))
    listeners: list = field(default_factory=list)

    def add(self, entry):
        entry["seq"] = next(self._seq)
        self.entries.append(entry)
        for listener in self.listeners:
            listener(entry)

    def since(self, seq=0):
        return [self._public(e) for e in self.entries if e["seq"] > seq]

    def last_seq(self):
        return self.entries[-1]["seq"] if self.entries else 0

    def clear(self):
        self.entries.clear()

    @staticmethod
    def _public(entry):
        return {k: v for k, v in entry.items() if not k.startswith("_")}


class Faults:
    def __init__(self, seed=1234):
        self.rules = []
        self._random = random.Random(seed)

    def add(self, **kwargs):
        rule = FaultRule(**kwargs)
        self.rules.append(rule)
        return rule

    def clear(self):
        self.rules.clear()

    def pick(self, component, method, path):
        for rule in self.rules:
            if rule.matches(component, method, path):
                if rule.rate < 1.0 and self._random.random() >= rule.rate:
                    continue
                rule.hits += 1
                return rule
        return None


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Recorder:
    """ASGI middleware: log every exchange of one component, apply faults."""

    def __init__(self, app, component, port, log, faults):
        self.app = app
        self.component = component
        self.port = port
        self.log = log
        self.faults = faults

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith("/_sandbox"):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        path = scope["path"]
        query = scope.get("query_string", b"").decode("latin-1")
        entry = {
            "ts": time.time(),
            "component": self.component,
            "port": self.port,
            "method": method,
            "path": path,
            "query": query,
            "status": None,
        }
        if self.log.capture_bodies:
            entry["_request_headers"] = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
            entry["_request_body"] = b""
            entry["_response_headers"] = {}
            entry["_response_body"] = b""
        rule = self.faults.pick(self.component, method, path)
        if rule is not None:
            entry["fault"] = True
            if rule.latency_ms:
                await asyncio.sleep(rule.latency_ms / 1000.0)
            if rule.drop:
                self.log.add(entry)
                await send({"type": "http.response.start", "status": 200,
                            "headers": [(b"content-length", b"1000"), (b"content-type", b"application/json")]})
                await send({"type": "http.response.body", "body": b"{", "more_body": True})
                raise ConnectionAbortedError("sandbox fault: connection dropped")
            if rule.status is not None:
                entry["status"] = rule.status
                self.log.add(entry)
                headers = [(b"content-type", b"application/json")]
                if rule.retry_after is not None:
                    headers.append((b"retry-after", rule.retry_after.encode()))
                body = b'{"message":"sandbox fault injected","http_status":%d}' % rule.status
                headers.append((b"content-length", str(len(body)).encode()))
                await send({"type": "http.response.start", "status": rule.status, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return

        async def receive_logged():
            message = await receive()
            if self.log.capture_bodies and message["type"] == "http.request":
                entry["_request_body"] += message.get("body", b"")
            return message

        async def send_logged(message):
            if message["type"] == "http.response.start":
                entry["status"] = message["status"]
                if self.log.capture_bodies:
                    entry["_response_headers"] = {
                        k.decode("latin-1").lower(): v.decode("latin-1") for k, v in message.get("headers", [])
                    }
                self.log.add(entry)
            elif message["type"] == "http.response.body" and self.log.capture_bodies:
                entry["_response_body"] += message.get("body", b"")
            await send(message)

        await self.app(scope, receive_logged, send_logged)
