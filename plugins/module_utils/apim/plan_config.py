# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""APIM plan security: type names and the comparison of security configurations.

Facts (gravitee-policy-oauth2 ``schema-form.json``, 5.1.4 and 5.3.1; apim-mapi.md §2 and §6):

* the security type of a plan is fixed at creation (``KEY_LESS``, ``OAUTH2`` ...);
* the oauth2 configuration has defaults (extractPayload false, checkRequiredScopes false, modeStrict
  true, propagateAuthHeader true). Depending on the APIM version and code path the stored
  configuration may or may not have them filled in, and keys the schema does not know
  (``addWwwAuthenticateHeader`` outside 4.10.0-4.10.11) may be dropped. So the current configuration
  is read *with the defaults filled in* and the desired one must be a subset of it: a task never
  reports a change APIM would not make;
* ``requiredScopes`` is a set for the policy (order does not matter), so it is compared as one.
"""

from __future__ import annotations

import copy
import json

SECURITY_TYPES = {"keyless": "KEY_LESS", "oauth2": "OAUTH2"}
SECURITY_LABELS = {value: key for key, value in SECURITY_TYPES.items()}

# Defaults the oauth2 policy applies to a missing key (schema defaults; requiredScopes: none).
OAUTH2_DEFAULTS = {
    "extractPayload": False,
    "checkRequiredScopes": False,
    "modeStrict": True,
    "propagateAuthHeader": True,
    "requiredScopes": [],
}
DEFAULTS_BY_TYPE = {"OAUTH2": OAUTH2_DEFAULTS}
UNORDERED_KEYS = frozenset(("requiredScopes",))


def security_type(plan) -> str:
    """``KEY_LESS``, ``OAUTH2`` ... of a plan (upper case, as mAPI v2 spells it)."""
    return str(((plan or {}).get("security") or {}).get("type") or "").upper().replace("-", "_")


def security_label(type_name) -> str:
    """The module's word for a security type (``keyless``, ``oauth2``), else the type in lower case."""
    return SECURITY_LABELS.get(type_name, str(type_name or "").lower())


def security_configuration(plan) -> dict:
    """The plan's security configuration as a dict (APIM may hand it back as a JSON string)."""
    config = ((plan or {}).get("security") or {}).get("configuration")
    if isinstance(config, str):
        try:
            config = json.loads(config) if config.strip() else {}
        except ValueError:
            config = {}
    return dict(config) if isinstance(config, dict) else {}


def effective_configuration(type_name, config) -> dict:
    """The configuration the policy runs with: stored keys over the policy defaults."""
    merged = copy.deepcopy(DEFAULTS_BY_TYPE.get(type_name, {}))
    merged.update({k: v for k, v in (config or {}).items() if v is not None})
    return merged


def _same(key, desired, current) -> bool:
    if key in UNORDERED_KEYS and isinstance(desired, list) and isinstance(current, list):
        return sorted(set(map(str, desired))) == sorted(set(map(str, current)))
    if isinstance(desired, bool) or isinstance(current, bool):
        return type(desired) is type(current) and desired == current
    return desired == current


def changed_configuration_keys(type_name, desired, current) -> list:
    """Keys of ``desired`` whose value the plan does not already have (defaults counted as set)."""
    effective = effective_configuration(type_name, current)
    return [key for key, value in (desired or {}).items()
            if value is not None and not (key in effective and _same(key, value, effective[key]))]


def configuration_in_sync(type_name, desired, current) -> bool:
    return not changed_configuration_keys(type_name, desired, current)


def merged_configuration(desired, current) -> dict:
    """What to PUT: the stored configuration with the managed keys replaced (unmanaged keys survive)."""
    merged = copy.deepcopy(current or {})
    merged.update({k: copy.deepcopy(v) for k, v in (desired or {}).items() if v is not None})
    return merged
