"""The collection under measurement: this checkout, or the collection as it was at a git ref (the baseline).

A baseline is exported with ``git archive <ref>`` into a temporary ``ansible_collections/gravitee_community/mcp``,
and its runs point ANSIBLE_COLLECTIONS_PATH there and use its own playbooks, so one benchmark run measures both
versions against the same sandbox. The test helpers (inventory, callbacks, request classification) are always this
checkout's.
"""

import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass

from tests.collection_path import COLLECTIONS_ROOT, REPO_ROOT


@dataclass
class Code:
    label: str
    collections_root: str
    root: str  # the collection's own tree (playbooks/, roles/, plugins/)
    temp: str | None = None

    @property
    def playbooks(self):
        return os.path.join(self.root, "playbooks")

    def env(self):
        """What an ansible-playbook run of this code needs on top of the harness's environment."""
        return {"ANSIBLE_COLLECTIONS_PATH": self.collections_root}

    def close(self):
        if self.temp:
            shutil.rmtree(self.temp, ignore_errors=True)


def current():
    return Code("current", COLLECTIONS_ROOT, REPO_ROOT)


def resolve(ref):
    """The commit ``ref`` names (a clear error when it names none)."""
    proc = subprocess.run(["git", "-C", REPO_ROOT, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                          capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"--baseline {ref}: no such git ref in {REPO_ROOT} (try a tag, e.g. bench-baseline)")
    return proc.stdout.strip()


def export(ref):
    """The collection at ``ref``, exported into a temporary collections root."""
    commit = resolve(ref)
    temp = tempfile.mkdtemp(prefix="gravitee-mcp-bench-")
    root = os.path.join(temp, "ansible_collections", "gravitee_community", "mcp")
    os.makedirs(root)
    archive = subprocess.run(["git", "-C", REPO_ROOT, "archive", "--format=tar", commit], capture_output=True,
                             check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(root, filter="data")
    return Code(f"{ref} ({commit[:8]})", temp, root, temp)
