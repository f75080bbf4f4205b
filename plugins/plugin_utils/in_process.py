# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run this collection's modules in the controller's worker process when the task runs on the controller.

Every module only talks HTTP to Gravitee, and the role runs them with ``connection: local``. The normal path
packages each task's module (AnsiballZ), writes it to a temporary directory and starts a Python that imports
ansible, requests and the module utilities again. Here, for a local connection, the worker that ansible forks
for the task runs the same module code through ansible-core's own AnsiballZ entry point
(``_loader.run_module``: the module runs as ``__main__``, with the arguments, serialization profile and
exception handling a packaged module gets), and the printed result is parsed by the action base like a
module's output. So ``AnsibleModule``'s argument validation, ``no_log`` masking, check and diff mode are the
module's own. Anything else (another connection, become, async, ``GRAVITEE_MCP_IN_PROCESS=false``, an
ansible-core this was not built against, or no ``requests`` on the controller) takes the normal path.

The module code must see a module's world, not the controller's: ``ansible.module_utils`` behaves differently
once ansible's controller code is imported (warnings go to the display instead of the result, tracebacks
follow the controller's settings). Those globals, the module arguments, stdout/stderr and the task's
``environment`` are set for the module's run and restored afterwards, although ansible forks a fresh worker
per task (``WorkerProcess``), so nothing would outlive the task anyway.
"""

from __future__ import annotations

import contextlib
import io
import json
import locale
import os
import sys

from ansible.errors import AnsibleActionFail
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.release import __version__ as ANSIBLE_VERSION
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

# Imported here, in the controller, so every forked worker inherits requests and the module utilities.
from ansible_collections.gravitee_community.mcp.plugins.module_utils import gravitee  # noqa: F401 pylint: disable=unused-import

# The flows of the modules the role runs most, which gravitee does not import: compiled once, not in every worker.
from ansible_collections.gravitee_community.mcp.plugins.module_utils.am import mcp_server  # noqa: F401 pylint: disable=unused-import
from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim import api_flow, plan_model  # noqa: F401 pylint: disable=unused-import
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.http import HAS_REQUESTS
from ansible_collections.gravitee_community.mcp.plugins.module_utils.preflight import checks, flow  # noqa: F401 pylint: disable=unused-import
from ansible_collections.gravitee_community.mcp.plugins.module_utils.probe import task  # noqa: F401 pylint: disable=unused-import

try:  # ansible-core internals of the module runtime; their shape is the one of ansible-core 2.21.
    from ansible.module_utils import _internal as module_internal
    from ansible.module_utils import basic
    from ansible.module_utils._internal import _traceback
    from ansible.module_utils._internal._ansiballz import _loader
    from ansible.module_utils.common import warnings as module_warnings
    from ansible.module_utils.common.json import Direction, get_module_encoder
except ImportError:  # older ansible-core: the modules run the normal way
    _loader = None

ENV_SWITCH = "GRAVITEE_MCP_IN_PROCESS"
COLLECTION = "gravitee_community.mcp"
MODULES_PACKAGE = "ansible_collections.gravitee_community.mcp.plugins.modules"
# A module without METADATA is serialized with the 'legacy' profile (ansible-core executor/module_common.py).
PROFILE = "legacy"
# The ansible-core versions whose module runtime this mirrors (checked by the integration tests).
SUPPORTED_CORE = ((2, 21),)

display = Display()


def core_supported(version=None):
    major_minor = tuple(int(part) for part in (version or ANSIBLE_VERSION).split(".")[:2])
    return _loader is not None and major_minor in SUPPORTED_CORE


def switch_on(environ=None):
    """The value of GRAVITEE_MCP_IN_PROCESS (default on); a value that is no boolean fails the task."""
    raw = (os.environ if environ is None else environ).get(ENV_SWITCH, "true")
    try:
        return boolean(raw, strict=True)
    except TypeError:
        message = ("%s=%r is not a boolean: set it to true (run the modules in the controller's process) or false "
                   "(run them as separate processes), or unset it." % (ENV_SWITCH, raw))
        raise AnsibleActionFail(message) from None


@contextlib.contextmanager
def patched(*changes):
    """Set ``(obj, attribute, value)`` for the block, then put every old value back."""
    saved = [(change[0], change[1], getattr(change[0], change[1])) for change in changes]
    try:
        for obj, name, value in changes:
            setattr(obj, name, value)
        yield
    finally:
        for obj, name, value in reversed(saved):
            setattr(obj, name, value)


@contextlib.contextmanager
def environment(extra):
    """``os.environ`` plus the task's ``environment``, restored afterwards with the locale (AnsibleModule sets it)."""
    saved, saved_locale = dict(os.environ), locale.setlocale(locale.LC_ALL)
    os.environ.update({key: str(value) for key, value in extra.items()})
    try:
        yield
    finally:
        locale.setlocale(locale.LC_ALL, saved_locale)
        for key in set(os.environ) - set(saved):
            del os.environ[key]
        for key, value in saved.items():
            if os.environ.get(key) != value:
                os.environ[key] = value


def run_module(fqn, params, extra_env):
    """Run module ``fqn`` with the encoded ``params`` as a packaged module runs; ``(rc, stdout, stderr)``."""
    stdout, stderr = io.StringIO(), io.StringIO()
    module_world = patched(
        (basic, "_ANSIBLE_ARGS", params), (basic, "_ANSIBLE_PROFILE", PROFILE), (basic, "_PARSED_MODULE_ARGS", None),
        (module_internal, "is_controller", False),
        (_traceback, "_is_traceback_enabled", _traceback._is_module_traceback_enabled),
        (_traceback, "_module_tracebacks_enabled_events", None),
        (module_warnings, "_global_warnings", {}), (module_warnings, "_global_deprecations", {}),
        (sys, "stdout", stdout), (sys, "stderr", stderr),
    )
    rc = 0
    with environment(extra_env), module_world:
        try:
            _loader.run_module(json_params=params, profile=PROFILE, module_fqn=fqn, modlib_path="", extensions={})
        except SystemExit as exit_:
            rc = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return rc, stdout.getvalue(), stderr.getvalue()


class ModuleAction(ActionBase):
    """The action of every module of the collection: the module in-process when it may, else as usual."""

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        if self._in_process():
            return merge_hash(result, self._execute_in_process(task_vars))
        # What ansible.builtin.normal does.
        wrap_async = self._task.async_val
        result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _module_name(self):
        """This module's short name, from the resolved FQCN (the task may use the short name or a redirect)."""
        resolved = self._task.resolved_action or ""
        prefix = COLLECTION + "."
        return resolved[len(prefix):] if resolved.startswith(prefix) else None

    def _in_process(self):
        # The switch first, so a wrong value fails on every connection.
        return (switch_on() and core_supported() and HAS_REQUESTS and self._module_name() is not None
                and getattr(self._connection, "transport", None) == "local"
                and not self._task.async_val and not self._play_context.become)

    def _execute_in_process(self, task_vars):
        # A copy: _execute_module adds the _ansible_* keys to the task's own args.
        module_args = dict(self._task.args)
        self._update_module_args(self._task.action, module_args, task_vars)
        encoder = get_module_encoder(PROFILE, Direction.CONTROLLER_TO_MODULE)
        params = json.dumps({"ANSIBLE_MODULE_ARGS": module_args}, cls=encoder).encode("utf-8")
        extra_env = {}
        self._compute_environment_string(raw_environment_out=extra_env)
        fqn = "%s.%s" % (MODULES_PACKAGE, self._module_name())
        display.vvv("Running %s in the controller's process (%s=false runs it as a separate process)"
                    % (self._task.resolved_action, ENV_SWITCH), host=self._play_context.remote_addr)
        rc, stdout, stderr = run_module(fqn, params, extra_env)
        # Parsed like a packaged module's output (ActionBase._execute_module).
        outcome = self._parse_returned_data(dict(rc=rc, stdout=stdout, stdout_lines=stdout.splitlines(),
                                                 stderr=stderr, stderr_lines=stderr.splitlines()), PROFILE)
        outcome.remove_internal_keys()
        return outcome.as_result_dict(for_round_trip=True)
