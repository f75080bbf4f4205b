"""The engine's optional hooks: ``view`` (what the result and the diff show) and ``settle`` (a step after the write)."""

import pytest

from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.engine import ensure
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.scrub import MASK, Scrubber

CURRENT = {"id": "a1", "name": "old", "state": "STOPPED", "clientSecret": "s3cret"}


def run(check_mode=False, current=CURRENT, desired=None, **hooks):
    calls = []

    def update(cur, want):
        calls.append("update")
        return dict(cur, **want)

    outcome = ensure(check_mode=check_mode, scrubber=Scrubber(), key="api", current=current,
                     desired=desired or {"name": "new"}, create=lambda want: dict(want, id="n1"), update=update,
                     **hooks)
    return outcome, calls


def test_view_shapes_the_result_and_the_diff_but_not_the_raw_objects():
    outcome, _ = run(view=lambda api: {"name": api["name"], "secret": api["clientSecret"]})
    assert outcome.result["api"] == {"name": "new", "secret": MASK}
    assert outcome.result["diff"] == {"before": {"name": "old", "secret": MASK},
                                      "after": {"name": "new", "secret": MASK}}
    assert outcome.after["id"] == "a1" and outcome.before is CURRENT


@pytest.mark.parametrize("check_mode", [False, True])
def test_settle_follows_the_write_and_adds_its_changes_and_keys(check_mode):
    seen = []

    def settle(action, after):
        seen.append((action, after["name"]))
        return dict(after, state="STARTED"), True, {"deployment": {"started": True}}

    outcome, calls = run(check_mode=check_mode, settle=settle)
    assert seen == [("update", "new")]  # the written (or, in check mode, predicted) object
    assert calls == ([] if check_mode else ["update"])
    assert outcome.result["api"]["state"] == "STARTED" and outcome.after["state"] == "STARTED"
    assert outcome.result["deployment"] == {"started": True}


def test_settle_alone_can_make_a_change():
    def settle(action, after):
        return dict(after, state="STARTED"), True, {}

    outcome, calls = run(desired={"name": "old"}, settle=settle)
    assert calls == [] and outcome.action == "none"
    assert outcome.changed is True and outcome.result["changed"] is True
    diff = outcome.result["diff"]
    assert diff["before"]["state"] == "STOPPED" and diff["after"]["state"] == "STARTED"


def test_settle_that_changes_nothing_keeps_an_in_sync_object_unchanged():
    outcome, _ = run(desired={"name": "old"}, settle=lambda action, after: (after, False, {"extra": 1}))
    assert outcome.changed is False and outcome.result["changed"] is False and outcome.result["extra"] == 1


def test_settle_runs_after_a_deletion_with_nothing_left():
    seen = []

    def settle(action, after):
        seen.append((action, after))
        return after, False, {}

    outcome = ensure(check_mode=False, scrubber=Scrubber(), key="api", current=CURRENT, desired={}, state="absent",
                     delete=lambda cur: None, settle=settle)
    assert seen == [("delete", None)] and outcome.result["api"] is None and outcome.changed is True
