# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""The collection's version, for what the modules tell servers about themselves.

Modules run on the target without galaxy.yml, so the version is kept here;
tests/unit/module_utils/test_version.py fails when it differs from galaxy.yml's.
"""

COLLECTION_VERSION = "0.1.0"
