#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: am_registration
short_description: Let users sign up on the login page of a Gravitee AM security domain
version_added: 0.1.0
description:
  - Turns user self-registration on or off in an AM security domain (C(loginSettings.registerEnabled),
    the C(Settings > Login > User registration) switch of the AM console). With it on, the AM login
    page an MCP client opens shows a sign-up link, and new users can create an account during the
    OAuth login.
  - Can also set the neighbouring login page switches, C(Forgot password) and C(Remember me); each is
    changed only when its option is set.
  - AM replaces the domain's C(loginSettings) whole on a C(PATCH) (a switch not sent is turned off), so
    when a managed switch differs the task sends the complete C(loginSettings) it read, with only the
    managed switches changed, so that the switches it does not manage (passwordless, hide form,
    identifier-first ...) keep their values. Every other domain setting is left alone. A domain without login settings
    counts as having every switch off. A rerun with the same options sends no write request.
  - The AM gateway picks the change up after its next sync (a few seconds).
  - Self-registered users go into the domain's identity provider for registration (the default one
    unless set otherwise in AM).
author:
  - gravitee_community.mcp contributors (@gravitee-community)
extends_documentation_fragment:
  - gravitee_community.mcp.am
  - gravitee_community.mcp.apim
  - gravitee_community.mcp.connection_common
  - gravitee_community.mcp.attributes
  - gravitee_community.mcp.attributes.am_group
  - gravitee_community.mcp.am_domain
  - gravitee_community.mcp.am_domain.known_domain
options:
  state:
    description:
      - V(present) turns self-registration on, unless O(enabled=false).
      - V(absent) turns it off (C(registerEnabled=false)). O(enabled=true) cannot be combined with it.
      - O(forgot_password) and O(remember_me) are applied with either state.
    type: str
    choices: [present, absent]
    default: present
  enabled:
    description:
      - Whether users may sign up from the login page (C(loginSettings.registerEnabled)).
      - Defaults to V(true) when O(state=present).
    type: bool
  forgot_password:
    description:
      - Whether the login page offers a "Forgot password" link (C(loginSettings.forgotPasswordEnabled)).
      - Not changed when not set.
    type: bool
  remember_me:
    description:
      - Whether the login page offers "Remember me" (C(loginSettings.rememberMeEnabled)).
      - Not changed when not set.
    type: bool
notes:
  - The AM user needs, on the domain, DOMAIN_SETTINGS[UPDATE] to change the login settings and
    DOMAIN_LOGIN_SETTINGS[READ] to see them (AM hides them from users without it, and the task would then
    take every switch for off, and, since AM replaces the login settings whole, turn off the switches it
    does not manage). An organization administrator has all of them.
seealso:
  - module: gravitee_community.mcp.am_dcr
"""

EXAMPLES = r"""
- name: Let people sign up during the OAuth login
  gravitee_community.mcp.am_registration:
    am_url: https://am.example.com
    am_username: admin
    am_password: "{{ vault_am_password }}"
    domain: mcp

- name: Sign-up and "forgot password" on, "remember me" left as it is
  gravitee_community.mcp.am_registration:
    domain: mcp
    forgot_password: true

- name: Accounts are created by administrators only
  gravitee_community.mcp.am_registration:
    domain: mcp
    state: absent
"""

RETURN = r"""
registration:
  description:
    - The domain's C(loginSettings) after the task (predicted in check mode), with AM's field names.
    - The three keys below are always there (V(false) when AM has no value); the other keys are shown
      as AM returns them.
  returned: success
  type: dict
  contains:
    registerEnabled:
      description: Users may sign up (O(enabled)).
      type: bool
      sample: true
    forgotPasswordEnabled:
      description: O(forgot_password).
      type: bool
      sample: false
    rememberMeEnabled:
      description: O(remember_me).
      type: bool
      sample: false
  sample:
    inherited: false
    registerEnabled: true
    forgotPasswordEnabled: false
    rememberMeEnabled: false
    passwordlessEnabled: false
    hideForm: false
    identifierFirstEnabled: false
diff:
  description:
    - The C(loginSettings) keys this task manages, before and after (a key AM left out shows V(false)).
      Ansible shows it with C(--diff).
  returned: always
  type: dict
  sample:
    before: {registerEnabled: false}
    after: {registerEnabled: true}
"""

# Ansible modules keep their documentation first, hence the late imports (E402).
from ansible_collections.gravitee_community.mcp.plugins.module_utils.am.registration import run  # noqa: E402
from ansible_collections.gravitee_community.mcp.plugins.module_utils.gravitee import GraviteeModule  # noqa: E402

ARGUMENT_SPEC = {
    "domain": {"type": "str", "required": True},
    # Not a secret: AM's domain document holds settings, no credential.
    "known_domain": {"type": "dict", "no_log": False},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "enabled": {"type": "bool"},
    # Not a secret: the name only looks like one to Ansible's no_log heuristic.
    "forgot_password": {"type": "bool", "no_log": False},
    "remember_me": {"type": "bool"},
}


def main():
    GraviteeModule(ARGUMENT_SPEC, products=("am",)).run(run)


if __name__ == "__main__":
    main()
