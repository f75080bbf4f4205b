import pytest

from tests.integration.harness import run_playbook


@pytest.fixture
def playbook(sandbox):
    """``playbook(tasks, check=..., diff=..., verbosity=...)`` runs ansible-playbook against the sandbox."""

    def run(tasks, **kwargs):
        return run_playbook(sandbox, tasks, **kwargs)

    return run
