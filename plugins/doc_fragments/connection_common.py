# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # TLS, timeout and retry options shared by every module; must match
    # core.connection.common_argument_spec() exactly.
    # ansible-doc merges the fragment's requirements into every module that extends it (merge_fragment in
    # ansible/utils/plugin_docs.py), and ansible-builder's execution environment installs the same package.
    DOCUMENTATION = r"""
requirements:
  - requests (Python library)
options:
  validate_certs:
    description:
      - Whether to check the TLS certificate of the Gravitee servers.
      - Set to V(false) only for tests with self-signed certificates; prefer O(ca_path). The task then warns.
      - If not set, the value of the E(GRAVITEE_VALIDATE_CERTS) environment variable is used
        (V(false), V(no), V(0) and V(off) turn checking off).
    type: bool
    default: true
  ca_path:
    description:
      - Path of a PEM file with the CA certificates that sign the Gravitee servers' certificates.
      - Used only when O(validate_certs=true). A path that does not exist fails the task before any request.
      - If not set, the value of the E(GRAVITEE_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds to wait for the server to accept the connection and to send each answer.
    type: int
    default: 30
  retries:
    description:
      - How many times a failed request is retried, with exponential backoff and jitter (or the
        wait the server asks for in C(Retry-After), at most 30 seconds).
      - Reads, PUT and DELETE are retried on connection errors, timeouts and HTTP 429, 502, 503
        and 504. Requests that create something (POST, PATCH) are retried only when they never
        reached the server, so a change is never applied twice.
      - No retry starts later than 120 seconds after the first attempt.
      - V(0) disables retries.
    type: int
    default: 3
"""
