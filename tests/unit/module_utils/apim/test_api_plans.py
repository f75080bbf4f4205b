"""apim_api's inline plans (pure): input checks naming plans[i], the order of the plans, and checks across plans."""

import pytest

from ansible_collections.gravitee_community.mcp.plugins.module_utils.apim.api_plans import (
    InlinePlans,
    desired_plans,
    plans_view,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import GraviteeError

RESOURCE = {"name": "AM", "type": "oauth2-am-resource", "enabled": True, "configuration": {"clientSecret": "s"}}
STARTED = {"id": "a1", "name": "MCP", "state": "STARTED", "resources": [RESOURCE]}


def item(name, security="keyless", state="published", oauth2=None, replace=False):
    return {"name": name, "security": security, "state": state, "oauth2": oauth2,
            "replace_on_security_change": replace}


def plan(plan_id, name, status="PUBLISHED", security="KEY_LESS"):
    config = {"oauthResource": "AM"} if security == "OAUTH2" else {}
    return {"id": plan_id, "name": name, "status": status, "security": {"type": security, "configuration": config}}


class FakeModule:
    def __init__(self):
        self.warnings = []

    def warn(self, message):
        self.warnings.append(message)


class FakeGm:
    def __init__(self, check_mode=False):
        self.module = FakeModule()
        self.check_mode = check_mode


def decided(items, plans, api=STARTED, check_mode=False):
    inline = InlinePlans(FakeGm(check_mode), items)
    inline.decide(plans, api)
    return inline


@pytest.mark.parametrize("items, message", [
    ([item("A"), item("B"), item("A", state="staging")], r"plans\[2\]\.name 'A' is already the name of plans\[0\]"),
    ([item(" ")], r"plans\[0\]\.name must not be empty"),
    ([item("A"), item("B", security=None)], r"plans\[1\]\.security is required with state: published"),
    ([item("A", security="oauth2")], r"plans\[0\]\.security: oauth2 needs plans\[0\]\.oauth2\.resource"),
    ([item("A", oauth2={"resource": "AM"})], r"plans\[0\]\.oauth2 options apply only to security: oauth2"),
])
def test_input_errors_name_the_item_and_the_option(items, message):
    with pytest.raises(GraviteeError, match=message):
        desired_plans(items)


def test_not_set_means_not_managed():
    assert desired_plans(None) is None and InlinePlans(FakeGm(), None).managed is False
    assert InlinePlans(FakeGm(), []).managed is True


def test_closing_comes_after_publishing_whatever_the_list_order():
    """Closing the last published plan of a started API first would fail: the new plan is published first."""
    inline = decided([item("Keyless", state="closed"), item("OAuth2", "oauth2", oauth2={"resource": "AM"})],
                     [plan("k1", "Keyless")])
    assert [(index, [s.describe() for s in d.steps]) for index, _, d in inline.decisions] == [
        (1, ["create", "publish"]), (0, ["close k1"])]
    assert inline.steps == 3 and inline.touches is True
    assert {p["name"]: p["status"] for p in inline.after} == {"Keyless": "CLOSED", "OAuth2": "PUBLISHED"}


def test_two_new_keyless_plans_are_refused_before_any_write():
    """Each plan is checked against the plans as the earlier ones leave them, new ones included."""
    with pytest.raises(GraviteeError, match=r"plans\[1\] \(plan 'Second'\): Cannot publish keyless plan 'Second'"):
        decided([item("First"), item("Second")], [])


def test_an_oauth2_plan_needs_the_resource_and_check_mode_only_warns():
    """A missing resource is an error; in check mode a warning, as with apim_plan: an earlier task of the play
    (the role's AM resource step), not applied in check mode, may create it."""
    api = dict(STARTED, resources=[])
    with pytest.raises(GraviteeError, match=r"plans\[0\] \(plan 'O'\): .*has no resource named 'AM'"):
        decided([item("O", "oauth2", oauth2={"resource": "AM"})], [], api)
    checked = decided([item("O", "oauth2", oauth2={"resource": "AM"})], [], api, check_mode=True)
    (warning,) = checked.gm.module.warnings
    assert warning.startswith("plans[0]: ") and "has no resource named 'AM'" in warning and "check mode" in warning


def test_in_sync_plans_have_no_step_and_unlisted_plans_stay():
    plans = [plan("k1", "Keyless"), plan("c1", "Console", status="STAGING")]
    inline = decided([item("Keyless")], plans)
    assert inline.steps == 0 and inline.touches is False and inline.after == plans


def test_plans_view_shows_no_id_for_plans_to_create():
    inline = decided([item("A"), item("B", state="staging")], [])
    assert [(p["id"], p["name"], p["status"]) for p in plans_view(inline.after)] == [
        (None, "A", "PUBLISHED"), (None, "B", "STAGING")]
    assert len({p["id"] for p in inline.after}) == 2
