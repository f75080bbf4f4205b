# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test-only callback: SIGKILL ansible-playbook right after its Nth executed task result (the kill-point tests).

``KILL_AFTER_LOG`` (a file path) receives one line per executed task (ok or failed; skipped tasks never ran),
``KILL_AFTER_N`` (an integer >= 1) kills the controller process after that many. Killing from inside the
controller, in the result callback, stops the run at an exact task boundary; a kill sent from outside would race
with the next task. The kill comes after the task's result reached the controller, so the task's HTTP requests are
done: what a crash of the controller (or of the machine) at that point leaves behind.
"""

from __future__ import annotations

import os
import signal

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: kill_after
type: aggregate
short_description: SIGKILL the controller after the Nth executed task (reliability tests)
description: Counts ok and failed task results, logs their names, kills ansible-playbook after the Nth.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "kill_after"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = 0
        self.limit = int(os.environ.get("KILL_AFTER_N") or 0)
        self.log = os.environ.get("KILL_AFTER_LOG")

    def _executed(self, result):
        self.count += 1
        if self.log:
            with open(self.log, "a", encoding="utf-8") as handle:
                handle.write(result._task.get_name() + "\n")
        if self.limit and self.count >= self.limit:
            os.kill(os.getpid(), signal.SIGKILL)

    def v2_runner_on_ok(self, result, **kwargs):
        self._executed(result)

    def v2_runner_on_failed(self, result, ignore_errors=False, **kwargs):
        self._executed(result)
