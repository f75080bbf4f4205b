# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""Changes to an existing MCP server's client secrets (AM 4.11+ secrets API), decided before any write.

Measured on AM 4.11: after ``_renew`` the old value stops and the new one starts at the same gateway sync, so
the API's resource (which still holds the old one until it is redeployed) fails for a while. Adding a secret
keeps the old one valid: add, put the new one on the API and redeploy, then remove the others. That is
``add_secret`` followed, once the gateway serves the new deployment, by ``remove_secrets_except``.
"""

from __future__ import annotations

from typing import NamedTuple

from ..core.errors import GraviteeError, usage_error
from .mcp_rules import rotation_unsupported_error
from .resources import (
    add_secret,
    delete_secret,
    is_missing_route,
    list_secrets,
    pick_secret_to_renew,
    renew_secret,
)


class SecretChanges(NamedTuple):
    renew: dict | None      # the secret record to renew
    add: str | None         # the name of a secret to add
    remove: list            # the secret records to delete

    @property
    def any(self) -> bool:
        return bool(self.renew or self.add or self.remove)


NONE = SecretChanges(None, None, [])
# The options that change the secrets of an existing server.
SECRET_ACTIONS = ("rotate_secret", "add_secret", "remove_secrets_except")


def _secrets(client, server, option) -> list:
    try:
        return list_secrets(client, server["id"])
    except GraviteeError as err:
        if is_missing_route(err):
            raise rotation_unsupported_error(err, option) from None
        raise


def plan_secret_changes(gm, client, server, params) -> SecretChanges:
    """What to change on an existing ``server`` (None: created in this task, nothing to change). Reads only."""
    wanted = [o for o in SECRET_ACTIONS if params.get(o)]
    if server is None or not wanted:
        return NONE
    secrets = _secrets(client, server, wanted[0])
    names = [s.get("name") for s in secrets]
    renew = add = None
    if params.get("rotate_secret"):
        renew = pick_secret_to_renew(secrets)
        if renew is None:
            raise usage_error("rotate_secret: AM lists no secret for MCP server '%s' (id %s), so there is none to "
                              "renew." % (server["name"], server["id"]))
        if len(secrets) > 1:
            gm.module.warn("MCP server '%s' has %d client secrets; rotate_secret renews '%s' only, the others stay "
                           "valid until you delete them in AM." % (server["name"], len(secrets), renew.get("name")))
    if params.get("add_secret") and params["add_secret"].strip() not in names:
        add = params["add_secret"].strip()
    remove = []
    keep = (params.get("remove_secrets_except") or "").strip()
    if keep:
        if keep not in names and keep != add:
            raise usage_error("remove_secrets_except: MCP server '%s' has no client secret named '%s' (it has %s), "
                              "so removing the others could leave it without a working one. Name the secret to "
                              "keep." % (server["name"], keep, ", ".join(repr(n) for n in names) or "none"))
        remove = [s for s in secrets if s.get("name") != keep]
    return SecretChanges(renew, add, remove)


def apply_secret_changes(gm, client, server, changes) -> str | None:
    """Carry out ``changes`` (not in check mode); the new plain secret, if one was made."""
    if gm.check_mode or not changes.any:
        return None
    new = None
    if changes.renew is not None:
        new = renew_secret(client, server["id"], changes.renew["id"]).get("secret")
    if changes.add:
        new = add_secret(client, server["id"], changes.add).get("secret")
    for record in changes.remove:
        delete_secret(client, server["id"], record["id"])
    gm.register_secret(new)
    return new
