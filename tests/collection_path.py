"""Make this checkout importable as ``ansible_collections.gravitee_community.mcp``.

Unit tests import module_utils by their collection path, and integration tests
point ``ANSIBLE_COLLECTIONS_PATH`` at :data:`COLLECTIONS_ROOT`. The link lives
outside the checkout so that nothing walking the tree loops through it.
"""

import hashlib
import os
import sys
import tempfile

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_key = hashlib.sha1(REPO_ROOT.encode()).hexdigest()[:10]
COLLECTIONS_ROOT = os.path.join(tempfile.gettempdir(), f"gravitee-mcp-collections-{_key}")
_namespace_dir = os.path.join(COLLECTIONS_ROOT, "ansible_collections", "gravitee_community")
_link = os.path.join(_namespace_dir, "mcp")

os.makedirs(_namespace_dir, exist_ok=True)
if os.path.realpath(_link) != REPO_ROOT:
    # Several processes (pytest-xdist workers) may get here at once: make the link under a name of this
    # process and rename it into place, which replaces any link atomically.
    _pending = f"{_link}.{os.getpid()}"
    if os.path.lexists(_pending):
        os.unlink(_pending)
    os.symlink(REPO_ROOT, _pending)
    os.replace(_pending, _link)
if COLLECTIONS_ROOT not in sys.path:
    sys.path.insert(0, COLLECTIONS_ROOT)
