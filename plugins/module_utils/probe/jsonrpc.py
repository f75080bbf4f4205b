# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""MCP over streamable HTTP, as a client speaks it (the MCP specification 2025-11-25,
"Transports" and "Lifecycle").

Every message is a POST of one JSON-RPC object with ``Accept: application/json, text/event-stream``.
The server answers a request either with ``application/json`` or with a Server-Sent Events stream
whose ``data:`` lines carry JSON-RPC messages (notifications may come before the response). The
first ``initialize`` may hand out an ``Mcp-Session-Id``; later requests send it back together with
``MCP-Protocol-Version``. A notification is answered ``202 Accepted``.
"""

from __future__ import annotations

import codecs
import json

from .http import TransportFailure, charset_of, iter_chunks, read_text

PROTOCOL_VERSION = "2025-11-25"
MCP_ACCEPT = "application/json, text/event-stream"
SESSION_HEADER = "Mcp-Session-Id"
VERSION_HEADER = "MCP-Protocol-Version"
MAX_TOOL_PAGES = 20


class SseParser:
    """Incremental Server-Sent Events parser (WHATWG rules): feed text, get complete events.

    An event is ``{"event": <type, default "message">, "data": <data lines joined by \\n>, "id": ...}``.
    Lines end with CRLF, LF or CR; a line starting with ``:`` is a comment; one space after the
    colon is dropped; a blank line dispatches the event (an event without data is not dispatched).
    """

    def __init__(self):
        self._buffer = ""
        self._pending_cr = False
        self._reset()

    def _reset(self):
        self._event = None
        self._data = []
        self._id = None

    def feed(self, text):
        """Events completed by ``text``, in order."""
        if self._pending_cr and text.startswith("\n"):
            text = text[1:]  # the LF of a CRLF split across two chunks
        self._pending_cr = text.endswith("\r")
        self._buffer += text
        lines = self._buffer.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self._buffer = lines.pop()  # an unfinished line waits for the next chunk
        events = []
        for line in lines:
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    def close(self):
        """Events still pending at the end of the stream (a last event without its blank line)."""
        events = self.feed("\n") if self._buffer else []
        if self._data:
            events.append(self._dispatch())
        return events

    def _line(self, line):
        if line == "":
            return self._dispatch() if self._data else self._reset()
        if line.startswith(":"):
            return None
        name, _sep, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            self._id = value
        return None

    def _dispatch(self):
        event = {"event": self._event or "message", "data": "\n".join(self._data), "id": self._id}
        self._reset()
        return event


def jsonrpc_messages(events):
    """The JSON-RPC objects carried by ``message`` events (anything unparsable is skipped)."""
    for event in events:
        if event["event"] != "message" or not event["data"].strip():
            continue
        try:
            payload = json.loads(event["data"])
        except ValueError:
            continue
        for message in payload if isinstance(payload, list) else [payload]:
            if isinstance(message, dict):
                yield message


def response_for(messages, request_id):
    """The JSON-RPC response (result or error) with ``request_id``, or None."""
    for message in messages:
        if message.get("id") == request_id and ("result" in message or "error" in message):
            return message
    return None


class McpAnswer:
    """What one MCP POST gave: HTTP status and headers, and the JSON-RPC response if one came."""

    def __init__(self, status, headers, content_type, message=None, text=""):
        self.status = status
        self.headers = headers
        self.content_type = content_type
        self.message = message
        self.text = text

    @property
    def result(self):
        return (self.message or {}).get("result")

    @property
    def error(self):
        return (self.message or {}).get("error")

    def snippet(self, limit=200):
        text = " ".join((self.text or "").split())
        return text[:limit] + ("..." if len(text) > limit else "")


class McpSession:
    """One MCP session over streamable HTTP: initialize, notifications/initialized, tools/list, close."""

    def __init__(self, http, url, token=None, client_name="gravitee-mcp-probe", client_version="0"):
        self.http = http
        self.url = url
        self.token = token
        self.client_info = {"name": client_name, "version": client_version}
        self.session_id = None
        self.protocol_version = None
        self._next_id = 0

    def _headers(self):
        headers = {"Accept": MCP_ACCEPT, "Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        if self.session_id:
            headers[SESSION_HEADER] = self.session_id
        if self.protocol_version:
            headers[VERSION_HEADER] = self.protocol_version
        return headers

    def post(self, method, params=None, notification=False) -> McpAnswer:
        message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        request_id = None
        if not notification:
            self._next_id += 1
            request_id = message["id"] = self._next_id
        response = self.http.open("POST", self.url, headers=self._headers(), json_body=message, stream=True)
        try:
            return self._read(response, request_id)
        finally:
            response.close()

    def _read(self, response, request_id):
        content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type == "text/event-stream" and response.status_code == 200 and request_id is not None:
            return self._read_stream(response, request_id, content_type)
        text = read_text(response, "POST", self.url)
        message = None
        if content_type == "application/json" and request_id is not None:
            try:
                payload = json.loads(text) if text.strip() else None
            except ValueError:
                payload = None
            candidates = payload if isinstance(payload, list) else [payload]
            message = response_for([m for m in candidates if isinstance(m, dict)], request_id)
        return McpAnswer(response.status_code, response.headers, content_type, message, text)

    def _read_stream(self, response, request_id, content_type):
        """Read events until the response to ``request_id`` arrives; the rest of the stream is dropped."""
        parser, seen = SseParser(), []
        decoder = codecs.getincrementaldecoder(charset_of(response))(errors="replace")
        for raw in iter_chunks(response, "POST", self.url):
            chunk = decoder.decode(raw)
            seen.append(chunk)
            found = response_for(jsonrpc_messages(parser.feed(chunk)), request_id)
            if found is not None:
                return McpAnswer(response.status_code, response.headers, content_type, found, "".join(seen))
        found = response_for(jsonrpc_messages(parser.close()), request_id)
        return McpAnswer(response.status_code, response.headers, content_type, found, "".join(seen))

    def initialize(self) -> McpAnswer:
        answer = self.post("initialize", {"protocolVersion": PROTOCOL_VERSION, "capabilities": {},
                                          "clientInfo": self.client_info})
        if answer.status == 200 and isinstance(answer.result, dict):
            self.session_id = answer.headers.get(SESSION_HEADER) or None
            self.protocol_version = answer.result.get("protocolVersion") or PROTOCOL_VERSION
        return answer

    def initialized(self) -> McpAnswer:
        return self.post("notifications/initialized", notification=True)

    def list_tools(self):
        """(answer of the last page, every tool object) following ``nextCursor`` a bounded number of times."""
        tools, params = [], None
        for _page in range(MAX_TOOL_PAGES):
            answer = self.post("tools/list", params)
            result = answer.result
            if answer.status != 200 or not isinstance(result, dict):
                return answer, tools
            tools.extend(t for t in result.get("tools") or [] if isinstance(t, dict))
            cursor = result.get("nextCursor")
            if not cursor:
                break
            params = {"cursor": cursor}
        return answer, tools

    def close(self):
        """End the session (DELETE); servers may refuse it (405), which is fine."""
        if not self.session_id:
            return
        try:
            self.http.request("DELETE", self.url, headers=self._headers())
        except TransportFailure:
            pass
