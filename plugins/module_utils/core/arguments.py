# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""``AnsibleModule`` whose argument-validation failures name the option.

ansible-core reports only the first validation error, and for a string given where a list of
dictionaries is expected (``resources: am``) that first error is a bare "dictionary requested,
could not parse JSON or key=value" from its no_log scan; the error that names the option comes
second. Here the errors that name an option go first, and a fix is added for that case.

For a list of dictionaries with sub-options (``plans``), ansible-core names the option but not the
item (``plans.foo``); :func:`item_error_message` validates each item on its own to say which one
(``plans[1].foo``).
"""

from __future__ import annotations

import copy
import re

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError

_ELEMENT = re.compile(r"Elements value for option '(?P<option>[^']+)'(?: found in '[^']*')? is of type (?P<got>\w+) "
                      r"and we were unable to convert to dict")


_SUB_OPTION = re.compile(r"value of (?P<a>\w+) must be|argument '(?P<b>\w+)' is of type|"
                         r"missing required arguments: (?P<c>\w+)")
_CONTEXT = re.compile(r" found in '?(?P<context>[\w >-]+?)'?\.?(?: |$)")


def _item_error(option, index, error) -> str:
    """``<option>[<index>].<sub-option>: <ansible-core's message>`` for one item's first error."""
    message = str(getattr(error, "msg", error))
    path = "%s[%d]" % (option, index)
    if isinstance(error, UnsupportedError):
        names, supported = message.split(". Supported parameters include: ", 1) if ". Supported" in message \
            else (message, "")
        return "Unsupported option %s: remove it or fix its spelling. Options of %s: %s." % (
            ", ".join("%s.%s" % (path, name) for name in names.split(", ")), path, supported.rstrip("."))
    found, context = _SUB_OPTION.search(message), _CONTEXT.search(message)
    if context:
        path += "." + context.group("context").replace(" -> ", ".")
    if found:
        path += "." + (found.group("a") or found.group("b") or found.group("c"))
    return "%s: %s" % (path, message)


def item_error_message(argument_spec, params, message) -> str | None:
    """The first refused item of a list-of-dictionaries option that ``message`` is about, named by its index."""
    for option, spec in argument_spec.items():
        items = params.get(option)
        if spec.get("elements") != "dict" or not spec.get("options") or option not in message \
                or not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if isinstance(item, dict):
                errors = ArgumentSpecValidator(spec["options"]).validate(copy.deepcopy(item)).errors.errors
                if errors:
                    return _item_error(option, index, errors[0])
    return None


def _names_an_option(text) -> bool:
    return "option" in text or "'" in text or "argument" in text


def readable_validation_message(errors) -> str | None:
    """The message for ansible-core's validation errors, option-naming ones first (None if there are none)."""
    messages = [str(getattr(error, "msg", error)) for error in errors]
    if not messages:
        return None
    named = [m for m in messages if _names_an_option(m)] or messages
    message = named[0]
    found = _ELEMENT.search(message)
    if found:
        message += (". %s must be a list of dictionaries (each with the sub-options the module documents), "
                    "not a %s." % (found.group("option"), found.group("got")))
    return message


class CollectionAnsibleModule(AnsibleModule):
    """``AnsibleModule`` with :func:`readable_validation_message` for argument errors."""

    def fail_json(self, msg=None, **kwargs):
        result = getattr(self, "validation_result", None)
        errors = list(getattr(result, "errors", None) or []) if result is not None else []
        # Only the failure ansible-core raises for argument validation ends with errors.msg.
        if errors and isinstance(msg, str) and msg.endswith(result.errors.msg):
            readable = readable_validation_message(errors)
            located = item_error_message(self.argument_spec, self.params or {}, readable)
            msg = located or msg[: len(msg) - len(result.errors.msg)] + readable
        super().fail_json(msg=msg, **kwargs)
