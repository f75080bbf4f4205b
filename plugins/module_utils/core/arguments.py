# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""``AnsibleModule`` whose argument-validation failures name the option.

ansible-core reports only the first validation error, and for a string given where a list of
dictionaries is expected (``resources: am``) that first error is a bare "dictionary requested,
could not parse JSON or key=value" from its no_log scan; the error that names the option comes
second. Here the errors that name an option go first, and a fix is added for that case.
"""

from __future__ import annotations

import re

from ansible.module_utils.basic import AnsibleModule

_ELEMENT = re.compile(r"Elements value for option '(?P<option>[^']+)'(?: found in '[^']*')? is of type (?P<got>\w+) "
                      r"and we were unable to convert to dict")


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
            msg = msg[: len(msg) - len(result.errors.msg)] + readable_validation_message(errors)
        super().fail_json(msg=msg, **kwargs)
