"""Unit tests need no sandbox: only the collection import path (also set by tests/conftest.py)."""

import pytest
from ansible.module_utils import _internal as module_internal

from tests.collection_path import COLLECTIONS_ROOT  # noqa: F401  (makes ansible_collections.* importable)


@pytest.fixture(autouse=True)
def module_world():
    """Modules see ``ansible.module_utils`` as a module does. Importing ansible's controller code (the action
    plugins' tests do, at collection) marks the whole test process as the controller, and modules would then send
    their warnings to the display instead of their result."""
    saved = module_internal.is_controller
    module_internal.is_controller = False
    yield
    module_internal.is_controller = saved
