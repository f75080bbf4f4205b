# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""What :class:`~.http.HttpClient` returns, and the log of every HTTP attempt of a run.

The log is shared by all clients of a module run; it tells reads from writes, so that a rerun or a
check-mode run can be shown to send no write request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class HttpResponse(NamedTuple):
    """What :meth:`HttpClient.request` returns; unpacks as ``status, body, headers``."""

    status: int
    body: Any          # parsed JSON, or text, or None for an empty body
    headers: Mapping   # case-insensitive


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str
    status: int | None   # None when no HTTP answer came back
    write: bool
    attempt: int         # 1 for the first try, 2 for the first retry ...
    outcome: str         # "http", "connection", "timeout" or "tls"


@dataclass
class RequestLog:
    """Every HTTP attempt of the run (retries included), shared by all clients of a run."""

    records: list = field(default_factory=list)

    def add(self, record: RequestRecord) -> None:
        self.records.append(record)

    @property
    def total(self) -> int:
        return len(self.records)

    @property
    def reads(self) -> int:
        return sum(1 for r in self.records if not r.write)

    @property
    def writes(self) -> int:
        return sum(1 for r in self.records if r.write)

    @property
    def retries(self) -> int:
        return sum(1 for r in self.records if r.attempt > 1)

    def summary(self) -> dict:
        return {"total": self.total, "reads": self.reads, "writes": self.writes, "retries": self.retries}
