import json

import pytest

from tests.integration.harness import run_playbook


@pytest.fixture
def playbook(sandbox):
    """``playbook(tasks, check=..., diff=..., verbosity=...)`` runs ansible-playbook against the sandbox."""

    def run(tasks, **kwargs):
        return run_playbook(sandbox, tasks, **kwargs)

    return run


@pytest.fixture
def bodies(sandbox):
    """``bodies(exchange)``: the JSON request body of a logged exchange (body capture on for the test)."""
    previous = sandbox.log.capture_bodies
    sandbox.log.capture_bodies = True

    def body_of(exchange):
        raw = next(e for e in sandbox.log.entries if e["seq"] == exchange["seq"])
        return json.loads(raw["_request_body"])

    yield body_of
    sandbox.log.capture_bodies = previous
