# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark-only notification callback: when each task started and ended, written as JSON to $BENCH_TIMES_FILE.

ansible.posix's profile_tasks does this too, but the benchmark must run offline with ansible-core alone.
"""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: bench_timer
type: aggregate
short_description: Task start and end times to a JSON file (benchmark)
description: Records each task's name, start and end (its last host result) and writes them at the end of the run.
requirements:
  - enabled in ANSIBLE_CALLBACKS_ENABLED, and BENCH_TIMES_FILE set
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tasks = []

    def _start(self, task):
        now = time.time()
        if self.tasks and self.tasks[-1]["end"] is None:
            self.tasks[-1]["end"] = now
        self.tasks.append({"name": task.get_name(), "action": task.action, "start": now, "end": None,
                           "ran": False})

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._start(task)

    def v2_playbook_on_handler_task_start(self, task):
        self._start(task)

    def _result(self, ran):
        if self.tasks:
            self.tasks[-1]["end"] = time.time()
            self.tasks[-1]["ran"] = self.tasks[-1]["ran"] or ran

    def v2_runner_on_ok(self, result, **kwargs):
        self._result(True)

    def v2_runner_on_failed(self, result, ignore_errors=False, **kwargs):
        self._result(True)

    def v2_runner_on_skipped(self, result, **kwargs):
        self._result(False)

    def v2_runner_on_unreachable(self, result, **kwargs):
        self._result(True)

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("BENCH_TIMES_FILE")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(self.tasks, handle)
