"""Unit tests need no sandbox: only the collection import path (also set by tests/conftest.py)."""

from tests.collection_path import COLLECTIONS_ROOT  # noqa: F401  (makes ansible_collections.* importable)
