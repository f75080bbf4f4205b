# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""The present/absent engine every state module goes through: find, compare, predict, write.

The caller finds ``current`` (``None`` when absent) and says what it wants; the engine decides
the action, calls the writer (never in check mode), and builds the result in the collection's
shape:

* ``changed``;
* the object under the module's key (``api``, ``plan``, ``mcp_server`` ...): what Gravitee
  holds after the task (predicted in check mode), secrets masked; ``None`` once absent;
* ``diff``: ``{"before": ..., "after": ...}``, masked, ``{}`` for "absent". Ansible shows it
  only with ``--diff``; ``diff.before`` is the object as found, so there is no ``existing`` key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from .compare import build_diff, deep_merge, is_subset
from .errors import usage_error

STATES = ("present", "absent")


class Outcome(NamedTuple):
    """What :func:`ensure` decided and did."""

    changed: bool
    action: str          # "create", "update", "delete" or "none"
    before: Any          # the object found (raw), or None
    after: Any           # the object after the task (raw; predicted in check mode), or None
    result: dict         # ready for exit_json: changed, <key>, diff (masked)


def ensure(*, check_mode: bool, scrubber, key: str, current, desired: dict, state: str = "present",
           create: Callable | None = None, update: Callable | None = None, delete: Callable | None = None,
           compare: Callable = is_subset, predict: Callable | None = None, view: Callable | None = None,
           settle: Callable | None = None) -> Outcome:
    """Bring one object to ``state``; writers are never called in check mode.

    ``create(desired)`` / ``update(current, desired)`` return the object as Gravitee now holds
    it (``None`` falls back to the prediction); ``delete(current)``'s return value is ignored.
    In sync means ``compare(desired, current)`` (default: desired is a subset of current).
    ``predict(current, desired)`` gives the expected end state for check mode (default:
    ``desired`` for a creation, ``deep_merge(current, desired)`` for an update).

    Optional hooks:

    * ``view(obj)``: what the result key and the diff show of a (non-None) object, e.g. a
      summary of a full definition (default: the object itself);
    * ``settle(action, after)``: a step that follows the write (or its prediction in check mode,
      and also when nothing was written), e.g. deploying what was written. It returns
      ``(after, changed, extra)``: the object as it is now, whether the step changed anything,
      and extra result keys. It must not write in check mode either.
    """
    if state not in STATES:
        raise usage_error("state must be one of %s, got %r." % (", ".join(STATES), state))
    predict = predict or _default_prediction
    if state == "absent":
        action = "none" if current is None else "delete"
        if action == "delete" and not check_mode:
            delete(current)
        after = None
    elif current is None:
        action = "create"
        after = None if check_mode else create(desired)
    elif not compare(desired, current):
        action = "update"
        after = None if check_mode else update(current, desired)
    else:
        action, after = "none", current
    if after is None and action in ("create", "update"):
        after = predict(current, desired)
    changed, extra = action != "none", {}
    if settle is not None:
        after, settled, extra = settle(action, after)
        changed = changed or settled
    view = view or _same
    before_view = view(current) if current is not None else None
    after_view = view(after) if after is not None else None
    result = {"changed": changed, key: scrubber.scrub(after_view) if after_view is not None else None,
              "diff": build_diff(before_view, after_view, scrubber)}
    result.update(extra)
    return Outcome(changed, action, current, after, result)


def _same(obj):
    return obj


def _default_prediction(current, desired):
    return deep_merge(current, desired) if current is not None else deep_merge({}, desired)
