import json

import pytest

from tests.integration.apim_plan_support import Apim
from tests.integration.harness import run_playbook
from tests.reliability.secrets_scan import basic

# The collection's action group (meta/runtime.yml): one module_defaults block serves every module.
GRAVITEE_GROUP = "group/gravitee_community.mcp.gravitee"


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


@pytest.fixture
def apim(sandbox):
    """An APIM client of the sandbox that makes APIs and plans by plain HTTP (see apim_plan_support.Apim)."""
    return Apim(sandbox)


@pytest.fixture
def group_defaults(sandbox):
    """``group_defaults(**extra)``: play keywords whose module_defaults, on the collection's action group, hold
    the sandbox's APIM and AM URLs and logins, plus ``extra`` (e.g. ``timeout=20``)."""

    def play_extra(**extra):
        urls, seed = sandbox.urls, sandbox.seed
        defaults = {"apim_url": urls["apim_url"], "apim_username": seed["apim_username"],
                    "apim_password": seed["apim_password"], "am_url": urls["am_url"],
                    "am_username": seed["am_username"], "am_password": seed["am_password"], **extra}
        return {"module_defaults": {GRAVITEE_GROUP: defaults}}

    return play_extra


@pytest.fixture
def assert_no_am_login_secret(sandbox):
    """``assert_no_am_login_secret(output, logins)``: AM issued ``logins`` management tokens, and neither they,
    the AM password nor its Basic credential appear in ``output``."""

    def check(output, logins):
        management_tokens = list(sandbox.am.mgmt_tokens)
        assert len(management_tokens) == logins
        credential = basic(sandbox.seed["am_username"], sandbox.seed["am_password"])
        for secret in [sandbox.seed["am_password"], credential, *management_tokens]:
            assert secret not in output

    return check
