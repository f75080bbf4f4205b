# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""One settings section of an AM domain (``oidc.clientRegistrationSettings``, ``loginSettings`` ...),
brought to the values a task asks for with one PATCH of the domain.

Why it works this way:

* ``PATCH E/domains/{id}`` does not treat every section alike (AM's PatchDomain, measured on
  AM 4.10.8 and 4.11.1):

  - ``oidc.clientRegistrationSettings`` (am_dcr) MERGES key by key (PatchClientRegistrationSettings):
    a key left out is not changed, so the body holds only the differing keys, nested under the
    section's path (``merge``);
  - ``loginSettings`` (am_registration) is REPLACED whole (PatchDomain holds a plain
    ``LoginSettings``): a key left out becomes false. The body is therefore the complete
    section as AM returned it, with the managed keys changed, so that the switches the task
    does not manage (passwordless, hideForm, identifierFirst ...) survive (``replace``);
  - the collection's other writes: an AM MCP server's ``PATCH .../protected-resources/{id}``
    (am_mcp_server) merges key by key, each list (identifiers, features) replaced whole; APIM's
    API and plan updates are ``PUT`` of the whole definition (apim_api, apim_plan);
* a key sent as ``null`` is *not* "unchanged": it resets the key (or the whole section) to
  AM's default. Nothing here ever sends ``null``;
* AM leaves null fields out of its answers, and a domain may have no ``loginSettings`` at
  all: a missing flag means ``false`` and a missing list means "empty";
* the lists (scope keys) have no meaningful order, so they compare as sets, and a rerun with
  the same scopes in another order changes nothing.

The result carries the section as AM holds it after the task (predicted in check mode, with
the known keys filled in with their defaults), and a diff of exactly the keys the task manages.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping

from ..core.compare import build_diff
from ..core.errors import usage_error
from .client import domain_scope_keys


def section_of(domain, path) -> dict:
    """The section at ``path`` (a tuple of keys) of a domain document; ``{}`` when AM left it out."""
    node = domain
    for key in path:
        node = node.get(key) if isinstance(node, Mapping) else None
    return dict(node) if isinstance(node, Mapping) else {}


def unique(values) -> list:
    """The values without repeats, first occurrence first (what is sent for a list key)."""
    return list(dict.fromkeys(values))


def empty_like(value):
    """AM's value for a key it left out: ``false`` for a flag, an empty list for a list."""
    if isinstance(value, (list, tuple)):
        return []
    if isinstance(value, bool):
        return False
    return None


def effective(section, key, desired_value, defaults=None):
    """The value AM applies for ``key`` (a left-out key takes its default)."""
    if key in section and section[key] is not None:
        return section[key]
    if defaults and key in defaults:
        return copy.deepcopy(defaults[key])
    return empty_like(desired_value)


def same_value(desired, current) -> bool:
    """Lists compare as sets (scopes); flags strictly (``True`` is not ``1``); the rest by equality."""
    if isinstance(desired, (list, tuple)):
        return isinstance(current, (list, tuple)) and set(desired) == set(current)
    if isinstance(desired, bool) or isinstance(current, bool):
        return type(desired) is type(current) and desired == current
    return desired == current


def differing(desired, section, defaults=None) -> dict:
    """The keys of ``desired`` whose value AM does not hold yet (``None`` = not managed, never sent)."""
    patch = {}
    for key, value in desired.items():
        if value is None:
            continue
        if not same_value(value, effective(section, key, value, defaults)):
            patch[key] = unique(value) if isinstance(value, (list, tuple)) else value
    return patch


def nest(path, values) -> dict:
    """``{"a": {"b": values}}`` for ``path == ("a", "b")``."""
    body = values
    for key in reversed(path):
        body = {key: body}
    return body


def view(section, defaults=None) -> dict:
    """The section as returned to the user: AM's keys, plus the known ones AM left out."""
    shown = copy.deepcopy(dict(defaults or {}))
    shown.update({key: value for key, value in section.items() if value is not None})
    return shown


def managed_values(section, desired, defaults=None) -> dict:
    """``{key: value AM applies}`` for each key the task manages (for the diff)."""
    return {key: effective(section, key, value, defaults) for key, value in desired.items() if value is not None}


def patch_body(section, patch, replace, read_only=()) -> dict:
    """What is sent for a section: the differing keys (``merge``), or the whole section as AM
    holds it with those keys changed (``replace``; AM's nulls left out, they are its defaults;
    ``read_only``: keys AM computes and shows but refuses as unknown properties)."""
    if not replace:
        return copy.deepcopy(patch)
    body = {name: copy.deepcopy(value) for name, value in section.items()
            if value is not None and name not in read_only}
    body.update(copy.deepcopy(patch))
    return body


def ensure_domain_section(gm, domain, path, desired, *, key, defaults=None, replace=False, read_only=(),
                          before_write: Callable | None = None, fresh: Callable | None = None) -> dict:
    """Bring the section at ``path`` of ``domain`` (a full domain document) to ``desired``, through the engine.

    ``desired`` maps AM field names to values (``None``: leave alone). ``defaults``: AM's
    value for each known key it may leave out (filled into the returned section).
    ``replace``: AM replaces the section whole (``loginSettings``), so the PATCH carries it whole,
    except the ``read_only`` keys.
    ``before_write(patch)`` runs before the PATCH (and in check mode instead of it) and
    raises GraviteeError to refuse bad input while nothing has been changed.
    ``fresh()``: when ``domain`` came from an earlier task and the section differs, the domain read again;
    the decision is then made from that read (a ``replace`` body must not come from a stale copy, or
    it could undo a change made since). Without a difference nothing is read.
    Returns ``{"changed", key: section after, "diff": managed keys before/after}``.
    """
    section = section_of(domain, path)
    patch = differing(desired, section, defaults)
    if patch and fresh is not None:
        domain = fresh()
        section = section_of(domain, path)
        patch = differing(desired, section, defaults)
    if patch and before_write is not None:
        before_write(patch)

    def update(_current, _wanted):
        body = patch_body(section, patch, replace, read_only)
        answer = gm.am_domain_client(domain).patch("", json=nest(path, body)).body
        return view(section_of(answer, path) if isinstance(answer, Mapping) else dict(section, **body), defaults)

    outcome = gm.ensure(key=key, current=view(section, defaults), desired=desired,
                        compare=lambda wanted, held: not differing(wanted, held, defaults), update=update,
                        predict=lambda held, _wanted: view(dict(section, **copy.deepcopy(patch)), defaults))
    # The diff shows the managed keys only; the object under ``key`` is the whole section.
    return dict(outcome.result, diff=build_diff(managed_values(section, desired, defaults),
                                                managed_values(outcome.after, desired, defaults), gm.scrubber))


MAX_LISTED_SCOPES = 30  # in the error message; a domain can hold hundreds


def check_scopes_exist(gm, domain, lists) -> None:
    """Refuse scope keys the domain does not have, naming the option (``lists``: option -> keys).

    A domain setting that names an unknown scope makes the AM gateway refuse every client
    registration that relies on it, so it is caught here, before anything is written.
    """
    wanted = {option: keys for option, keys in lists.items() if keys}
    if not wanted:
        return
    client = gm.am_domain_client(domain)
    known = domain_scope_keys(client)
    listed = sorted(known)
    shown = ", ".join(listed[:MAX_LISTED_SCOPES])
    if len(listed) > MAX_LISTED_SCOPES:
        shown += ", ... (%d more)" % (len(listed) - MAX_LISTED_SCOPES)
    for option, keys in wanted.items():
        unknown = [key for key in keys if key not in known]
        if unknown:
            raise usage_error(
                "%s: %s %s not a scope of AM domain '%s' (known scopes: %s). Create the scope in the domain "
                "first, or fix the key." % (option, ", ".join(repr(k) for k in unknown),
                                            "is" if len(unknown) == 1 else "are",
                                            domain.get("hrid") or domain.get("name"), shown),
            ).replace(url=client.url_for("scopes"))
