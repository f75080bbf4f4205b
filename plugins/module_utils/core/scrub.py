# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""Mask secrets before anything leaves a module (results, diffs, error messages).

Two independent rules, both applied by :meth:`Scrubber.scrub`:

* by key: any mapping key that names a secret (``clientSecret``, ``client_secret``,
  ``password``, ``access_token``, ``Authorization`` ...) gets its value replaced;
* by value: every secret value registered with the scrubber (passwords and tokens
  given as options, secrets AM generates during the run) is replaced wherever it
  appears inside a string, including URLs and free-text error messages.

The mask is :data:`MASK` (eight asterisks), the same text Ansible itself puts where a
no_log value appears *inside* a longer string. Ansible replaces a string that is
*exactly* a no_log value with ``VALUE_SPECIFIED_IN_NO_LOG_PARAMETER`` instead; by masking
first we make the output look the same whichever way a secret occurs. Consequence for
module authors: never compare masked data. Compare the raw objects, mask only what is
shown (diffs, results, errors). A user who feeds a masked value back as desired state
would see it reported as a change, which is the honest answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

MASK = "********"

# Key names (lower case, without "_" and "-") whose values are always secret.
_SECRET_KEYS = frozenset((
    "authorization",
    "proxyauthorization",
    "cookie",
    "setcookie",
    "secret",
    "password",
    "passwd",
    "token",
    "apikey",
    "privatekey",
    "clientsecret",
    "accesstoken",
    "refreshtoken",
    "idtoken",
    "registrationaccesstoken",
))
# Suffixes that make a key secret too (am_password, apim_token, newClientSecret ...).
# "tokens" (plural) and "...Settings" objects are deliberately not covered: they hold
# metadata, and AM's "secretSettings" is exactly such a case.
_SECRET_SUFFIXES = ("secret", "password", "token", "apikey", "privatekey")

# For text that is not parsed JSON (error pages, truncated bodies): "key": "value" pairs
# and key=value form/query pairs whose key looks secret.
_JSON_PAIR = re.compile(r'"(?P<key>[A-Za-z0-9_\-]+)"\s*:\s*"(?P<value>(?:[^"\\]|\\.)*)"')
_FORM_PAIR = re.compile(r"(?P<prefix>(?:^|[?&\s])(?P<key>[A-Za-z0-9_\-]+)=)(?P<value>[^&\s\"']+)")
# A credential after "Basic"/"Bearer": 8+ token characters including a digit, "_", "~",
# "+", "/" or "=", so prose such as "basic authentication." is left alone.
_AUTH_HEADER = re.compile(r"(?i)\b(?P<scheme>basic|bearer)\s+(?=[A-Za-z]*[0-9_~+/=])[A-Za-z0-9._~+/=\-]{8,}")


def normalise_key(name) -> str:
    return str(name).lower().replace("_", "").replace("-", "")


def is_secret_key(name) -> bool:
    """True when a mapping key names a secret (case, ``_`` and ``-`` ignored)."""
    key = normalise_key(name)
    return key in _SECRET_KEYS or key.endswith(_SECRET_SUFFIXES)


def secret_values(data) -> list:
    """The values under secret keys anywhere inside ``data`` (mappings and lists, at any depth), as text.

    Only scalar values count (a mapping under a secret-looking key is searched further), so that
    they can be registered with a :class:`Scrubber` or as no_log values."""
    found = []
    if isinstance(data, Mapping):
        for key, value in data.items():
            if is_secret_key(key) and isinstance(value, (str, int, float)) and not isinstance(value, bool):
                if value != "":
                    found.append(str(value))
            else:
                found += secret_values(value)
    elif isinstance(data, (list, tuple)):
        for item in data:
            found += secret_values(item)
    return found


def without_secrets(data):
    """A copy of ``data`` without the values under secret keys (the keys are left out, not masked), for state
    handed on to a later task: a left-out key can never be taken for a value, nor compare equal to one."""
    if isinstance(data, Mapping):
        return {key: without_secrets(value) for key, value in data.items()
                if not (is_secret_key(key) and isinstance(value, (str, int, float)) and not isinstance(value, bool))}
    if isinstance(data, (list, tuple)):
        return [without_secrets(item) for item in data]
    return data


class Scrubber:
    """Masks secrets by key name and by registered value. One per module run."""

    def __init__(self, values: Iterable = ()):
        self._values: set[str] = set()
        for value in values:
            self.register(value)

    def register(self, *values) -> None:
        """Remember secret values; empty values and ``None`` are ignored.

        Like Ansible's no_log, any non-empty value is masked wherever it occurs, however
        short: a one-letter password would mask that letter everywhere, which is safe.
        """
        for value in values:
            if value is None or isinstance(value, bool):
                continue
            text = str(value)
            if text:
                self._values.add(text)

    @property
    def values(self) -> frozenset:
        return frozenset(self._values)

    def scrub_text(self, text):
        """Mask registered values, secret-looking pairs and auth headers inside a string."""
        if not isinstance(text, str) or not text:
            return text
        # Longest first, so a secret that contains another one is masked whole.
        for value in sorted(self._values, key=len, reverse=True):
            if value in text:
                text = text.replace(value, MASK)
        text = _JSON_PAIR.sub(_mask_json_pair, text)
        text = _FORM_PAIR.sub(_mask_form_pair, text)
        return _AUTH_HEADER.sub(lambda m: m.group("scheme") + " " + MASK, text)

    def scrub(self, data):
        """A masked copy of ``data`` (mappings, lists, tuples, sets, strings, scalars)."""
        if isinstance(data, Mapping):
            masked = {}
            for key, value in data.items():
                if is_secret_key(key) and value not in (None, ""):
                    masked[key] = MASK
                else:
                    masked[key] = self.scrub(value)
            return masked
        if isinstance(data, (list, tuple, set, frozenset)):
            return [self.scrub(item) for item in data]
        if isinstance(data, str):
            return self.scrub_text(data)
        return data


def _mask_json_pair(match):
    if not is_secret_key(match.group("key")) or not match.group("value"):
        return match.group(0)
    return '"%s": "%s"' % (match.group("key"), MASK)


def _mask_form_pair(match):
    if not is_secret_key(match.group("key")):
        return match.group(0)
    return match.group("prefix") + MASK
