# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test-only stdout callback: the whole run as one JSON document (ansible-core has no json callback).

Shape read by tests/integration/harness.py::PlaybookRun:
``{"plays": [{"play": {"name"}, "tasks": [{"task": {"name", "action", "started"}, "hosts": {host: result}}]}],
"stats": {host: {"ok", "changed", "failures", "unreachable", "skipped", "rescued", "ignored"}}}``.
"""

from __future__ import annotations

import json
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: gravitee_json
type: stdout
short_description: One JSON document for the whole run (integration tests)
description: Collects every task result and prints them with the stats at the end.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "gravitee_json"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plays = []
        # A result goes to the entry of its own task: with the free strategy (the fleet playbook) hosts run different
        # tasks at once, so the task started last is not always the one a result belongs to.
        self._entries = {}

    def v2_playbook_on_play_start(self, play):
        self.plays.append({"play": {"name": play.get_name()}, "tasks": []})

    def _start_task(self, task):
        if not self.plays:
            self.plays.append({"play": {"name": ""}, "tasks": []})
        # "started" (epoch s) lets a test tell which task caused which sandbox exchange (entries carry "ts").
        entry = {"task": {"name": task.get_name(), "action": task.action, "started": time.time()}, "hosts": {}}
        self.plays[-1]["tasks"].append(entry)
        self._entries[task._uuid] = entry

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._start_task(task)

    def v2_playbook_on_handler_task_start(self, task):
        self._start_task(task)

    def _record(self, result, **extra):
        data = dict(self._convert(result._result))
        data.update(extra)
        entry = self._entries.get(result.task._uuid) or self.plays[-1]["tasks"][-1]
        entry["hosts"][result._host.get_name()] = data

    @staticmethod
    def _convert(value):
        # Results may hold ansible-specific str/dict subclasses: round-trip through the JSON encoder.
        return json.loads(json.dumps(value, default=str))

    def v2_runner_on_ok(self, result, **kwargs):
        self._record(result)

    def v2_runner_on_failed(self, result, ignore_errors=False, **kwargs):
        self._record(result, failed=True)

    def v2_runner_on_skipped(self, result, **kwargs):
        self._record(result, skipped=True)

    def v2_runner_on_unreachable(self, result, **kwargs):
        self._record(result, unreachable=True)

    def v2_playbook_on_stats(self, stats):
        summary = {host: stats.summarize(host) for host in sorted(stats.processed)}
        self._display.display(json.dumps({"plays": self.plays, "stats": summary}, indent=2, default=str))
