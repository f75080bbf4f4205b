# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""Compare what the user wants with what Gravitee has, and describe the change.

Gravitee adds defaults and read-only fields to whatever it stores (and drops unknown
plugin keys), so a task is "in sync" when the desired state is a *subset* of the current
one, never when the two are equal:

* mappings: every desired key must be present in current with a matching value;
  a desired ``None`` means "not managed" and matches anything (AM leaves nulls out);
* lists: by default same length and element-wise match, in order. For lists whose order
  Gravitee does not keep, use :func:`is_subset_unordered` or :func:`is_subset_by_key`
  (or normalise both sides first and pass a custom ``compare`` to ``ensure``);
* anything else: equality (so ``1 == 1.0``, but ``"1" != 1`` and ``True != "true"``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

from .scrub import Scrubber


def is_subset(desired, current) -> bool:
    """True when ``desired`` is contained in ``current`` (rules in the module docstring)."""
    if desired is None:
        return True
    if isinstance(desired, Mapping):
        if not isinstance(current, Mapping):
            return False
        return all(value is None or (key in current and is_subset(value, current[key]))
                   for key, value in desired.items())
    if isinstance(desired, (list, tuple)):
        if not isinstance(current, (list, tuple)) or len(desired) != len(current):
            return False
        return all(is_subset(d, c) for d, c in zip(desired, current, strict=True))
    if isinstance(desired, bool) or isinstance(current, bool):
        # bool is an int in Python: keep True from matching 1.
        return type(desired) is type(current) and desired == current
    return desired == current


def is_subset_unordered(desired, current, compare=is_subset) -> bool:
    """Same length, and each desired element matches a distinct current element (any order)."""
    if desired is None:
        return True
    if not isinstance(current, (list, tuple)) or len(desired) != len(current):
        return False
    used = [False] * len(current)

    def place(index):
        if index == len(desired):
            return True
        for pos, item in enumerate(current):
            if not used[pos] and compare(desired[index], item):
                used[pos] = True
                if place(index + 1):
                    return True
                used[pos] = False
        return False

    return place(0)


def is_subset_by_key(desired, current, key, compare=is_subset) -> bool:
    """Lists of mappings matched by ``key`` (e.g. resources by ``name``): same keys, matching items."""
    if desired is None:
        return True
    if not isinstance(current, (list, tuple)) or len(desired) != len(current):
        return False
    by_key = {item.get(key): item for item in current if isinstance(item, Mapping)}
    if len(by_key) != len(current):
        return False
    return all(isinstance(item, Mapping) and item.get(key) in by_key and compare(item, by_key[item.get(key)])
               for item in desired)


def strip_none(value):
    """A copy without ``None`` values in mappings (unset module options), recursively."""
    if isinstance(value, Mapping):
        return {k: strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [strip_none(v) for v in value]
    return value


def changed_keys(desired, current, compare=is_subset) -> list:
    """Top-level keys of ``desired`` whose value is not already in ``current`` (desired order)."""
    current = current or {}
    return [key for key, value in desired.items()
            if value is not None and not (key in current and compare(value, current[key]))]


def minimal_patch(desired, current, recursive=False, compare=is_subset) -> dict:
    """The part of ``desired`` that differs from ``current``.

    Top level by default (each changed key with its whole desired value: what APIM PUT
    and AM PATCH of list fields need). ``recursive=True`` descends into mappings present on
    both sides and keeps only the differing leaves (AM PATCH merges nested settings).
    """
    current = current or {}
    patch = {}
    for key in changed_keys(desired, current, compare):
        value = desired[key]
        if recursive and isinstance(value, Mapping) and isinstance(current.get(key), Mapping):
            patch[key] = minimal_patch(value, current[key], recursive=True, compare=compare)
        else:
            patch[key] = copy.deepcopy(value)
    return patch


def deep_merge(base, override):
    """A new mapping: ``override`` on top of ``base``; mappings merge, lists and scalars replace.

    ``None`` in ``override`` leaves the base value alone (not managed). Used to predict the
    object Gravitee will hold after an update (check mode) and to build full PUT bodies.
    """
    if not isinstance(base, Mapping) or not isinstance(override, Mapping):
        return copy.deepcopy(override if override is not None else base)
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        if value is None:
            continue
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def build_diff(before, after, scrubber=None) -> dict:
    """``{"before": ..., "after": ...}`` for Ansible's --diff, secrets masked; absent is ``{}``."""
    scrubber = scrubber or Scrubber()
    return {"before": scrubber.scrub(before) if before is not None else {},
            "after": scrubber.scrub(after) if after is not None else {}}
