"""GraviteeModule: the ensure engine (check mode, diff, masking) and the failure path, run as Ansible would."""

import pytest
import responses

from ansible_collections.gravitee_community.mcp.plugins.module_utils.core import module as _module
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.scrub import MASK
from ansible_collections.gravitee_community.mcp.plugins.module_utils.gravitee import GraviteeModule

CONN = {"am_url": "https://am.example.com", "am_token": "am-token-0001"}
APIM_CONN = {"apim_url": "https://apim.example.com", "apim_username": "admin", "apim_password": "apim-pass-77"}
APIS = "https://apim.example.com/management/v2/organizations/DEFAULT/environments/DEFAULT/apis"


class Recorder:
    """Writers that record their calls and answer like Gravitee would."""

    def __init__(self):
        self.calls = []

    def create(self, desired):
        self.calls.append(("create", desired))
        return dict(desired, id="r1", clientSecret="generated-secret-1", createdAt=1)

    def update(self, current, desired):
        self.calls.append(("update", current["id"]))
        return dict(current, **desired, updatedAt=2)

    def delete(self, current):
        self.calls.append(("delete", current["id"]))


def engine_module(recorder, current, desired, state="present", secret_out=False):
    def main():
        gm = GraviteeModule({"state": {"type": "str", "default": state}}, products=("am",))

        def run(gm):
            outcome = gm.ensure(key="mcp_server", current=current, desired=desired, state=gm.params["state"],
                                create=recorder.create, update=recorder.update, delete=recorder.delete)
            result = dict(outcome.result, action=outcome.action)
            if secret_out and outcome.action == "create" and not gm.check_mode:
                secret = outcome.after["clientSecret"]
                gm.register_secret(secret)
                result["client_secret"] = secret
            return result

        gm.run(run)
    return main


CURRENT = {"id": "r1", "name": "MCP", "description": "old", "clientId": "cid", "type": "mcp_server",
           "settings": {"oauth": {"clientSecret": "stored-secret"}}}


@pytest.mark.parametrize("check_mode", [False, True])
def test_create(run_module, check_mode):
    recorder = Recorder()
    desired = {"name": "MCP", "resourceIdentifiers": ["https://gw/mcp"]}
    out = run_module(engine_module(recorder, None, desired, secret_out=True),
                     dict(CONN, _ansible_check_mode=check_mode, _ansible_diff=True))
    assert out["changed"] is True and out["action"] == "create"
    assert out["diff"]["before"] == {}
    if check_mode:
        assert recorder.calls == []  # never a writer in check mode
        assert out["mcp_server"] == desired and out["diff"]["after"] == desired
        assert "client_secret" not in out
    else:
        assert recorder.calls == [("create", desired)]
        assert out["mcp_server"]["id"] == "r1" and out["mcp_server"]["clientSecret"] == MASK
        assert out["diff"]["after"]["clientSecret"] == MASK
        # The documented secret key still carries the value for the user to keep (no_log on the task).
        assert out["client_secret"] == "generated-secret-1"
        assert repr(out).count("generated-secret-1") == 1


@pytest.mark.parametrize("check_mode", [False, True])
def test_update(run_module, check_mode):
    recorder = Recorder()
    out = run_module(engine_module(recorder, CURRENT, {"name": "MCP", "description": "new"}),
                     dict(CONN, _ansible_check_mode=check_mode))
    assert out["changed"] is True and out["action"] == "update"
    assert out["diff"]["before"]["description"] == "old" and out["diff"]["after"]["description"] == "new"
    assert out["diff"]["before"]["settings"]["oauth"]["clientSecret"] == MASK
    assert "stored-secret" not in repr(out)
    if check_mode:
        assert recorder.calls == []
        assert out["mcp_server"] == dict(CURRENT, description="new", settings={"oauth": {"clientSecret": MASK}})
    else:
        assert recorder.calls == [("update", "r1")] and out["mcp_server"]["updatedAt"] == 2


def test_in_sync_is_unchanged_and_calls_nothing(run_module):
    recorder = Recorder()
    out = run_module(engine_module(recorder, CURRENT, {"name": "MCP", "description": None}), CONN)
    assert out["changed"] is False and out["action"] == "none" and recorder.calls == []
    assert out["diff"]["before"] == out["diff"]["after"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent(run_module, check_mode):
    recorder = Recorder()
    out = run_module(engine_module(recorder, CURRENT, {}, state="absent"), dict(CONN, _ansible_check_mode=check_mode))
    assert out["changed"] is True and out["mcp_server"] is None and out["diff"]["after"] == {}
    assert recorder.calls == ([] if check_mode else [("delete", "r1")])


def test_absent_when_already_gone(run_module):
    recorder = Recorder()
    out = run_module(engine_module(recorder, None, {}, state="absent"), CONN)
    assert out["changed"] is False and recorder.calls == [] and out["diff"] == {"before": {}, "after": {}}


def test_custom_compare_and_predict(run_module):
    recorder = Recorder()

    def main():
        gm = GraviteeModule({}, products=("am",))
        outcome = gm.ensure(key="x", current={"id": "r1", "ids": ["b", "a"]}, desired={"ids": ["a", "b"]},
                            create=recorder.create, update=recorder.update,
                            compare=lambda d, c: sorted(d["ids"]) == sorted(c["ids"]),
                            predict=lambda c, d: {"predicted": True})
        gm.exit(outcome.result)

    assert run_module(main, CONN)["changed"] is False
    assert recorder.calls == []


@responses.activate
def test_check_mode_blocks_writes_even_when_a_module_forgets(run_module):
    def main():
        gm = GraviteeModule({}, products=("apim",))
        gm.run(lambda gm: {"r": gm.apim.post("apis", json={"name": "x"}).body})

    out = run_module(main, dict(APIM_CONN, _ansible_check_mode=True))
    assert out["failed"] and "attempted in check mode" in out["msg"]
    assert len(responses.calls) == 0


@responses.activate
def test_gravitee_error_becomes_a_masked_structured_failure(run_module):
    responses.add(responses.GET, APIS, status=400, json={
        "httpStatus": 400, "message": "bad password apim-pass-77", "technicalCode": "x.bad",
        "parameters": {"clientSecret": "leaky-secret"}})

    def main():
        gm = GraviteeModule({}, products=("apim",))
        gm.run(lambda gm: {"r": gm.apim.get("apis").body})

    out = run_module(main, APIM_CONN)
    assert out["failed"] is True
    assert out["msg"] == "400 from APIM at GET %s: bad password %s (x.bad)." % (APIS, MASK)
    assert (out["status"], out["method"], out["url"], out["technical_code"]) == (400, "GET", APIS, "x.bad")
    assert out["body"]["parameters"]["clientSecret"] == MASK
    text = repr(out)
    assert "apim-pass-77" not in text and "leaky-secret" not in text
    assert "YWRtaW46YXBpbS1wYXNzLTc3" not in text  # base64 of admin:apim-pass-77


def test_register_no_log_hides_a_value_in_every_key(run_module):
    def main():
        gm = GraviteeModule({}, products=("am",))
        gm.register_no_log("fresh-token-123")
        gm.exit({"token_hint": "fresh-token-123", "nested": {"note": "x fresh-token-123 y"}})

    out = run_module(main, CONN)
    assert "fresh-token-123" not in repr(out)


def test_missing_requests_uses_missing_required_lib(run_module, monkeypatch):
    monkeypatch.setattr(_module, "HAS_REQUESTS", False)
    out = run_module(lambda: GraviteeModule({}, products=("am",)), CONN)
    assert out["failed"] and "Failed to import the required Python library (requests)" in out["msg"]


def test_redefining_a_connection_option_is_a_programming_error():
    with pytest.raises(ValueError, match="apim_url"):
        GraviteeModule({"apim_url": {"type": "str"}}, products=("apim",))


def test_fail_masks_message_and_fields(run_module):
    def main():
        gm = GraviteeModule({}, products=("am",))
        gm.register_secret("s-9876")
        gm.fail("boom s-9876", details={"client_secret": "zzz", "x": "s-9876"})

    out = run_module(main, CONN)
    assert out["msg"] == "boom " + MASK and out["details"] == {"client_secret": MASK, "x": MASK}


def test_probe_style_module_accepts_but_does_not_need_connection_options(run_module):
    def main():
        gm = GraviteeModule({"url": {"type": "str", "required": True}}, products=())
        gm.exit({"keys": sorted(k for k in gm.params)})

    out = run_module(main, {"url": "https://gw/mcp", "apim_url": "https://apim", "am_url": "https://am"})
    assert not out.get("failed"), out
    assert {"url", "validate_certs", "apim_url", "apim_token", "am_url", "am_password"} <= set(out["keys"])


@pytest.mark.parametrize("product, env", [("apim", "GRAVITEE_APIM_URL"), ("am", "GRAVITEE_AM_URL")])
def test_a_module_fails_clearly_without_the_url_of_its_product(run_module, monkeypatch, product, env):
    monkeypatch.delenv(env, raising=False)

    def main():
        GraviteeModule({}, products=(product,))

    out = run_module(main, {"apim_token": "pat", "am_token": "jwt"})
    assert out["failed"]
    assert out["msg"] == ("%s_url is required by this module: set the %s_url option or the %s environment variable."
                          % (product, product, env))


def test_an_apim_module_ignores_am_options_it_does_not_use(run_module, monkeypatch):
    monkeypatch.delenv("GRAVITEE_AM_URL", raising=False)

    def main():
        gm = GraviteeModule({}, products=("apim",))
        gm.exit({"am_url": gm.params["am_url"]})

    out = run_module(main, {"apim_url": "https://apim", "apim_token": "pat", "am_username": "someone"})
    assert not out.get("failed"), out and out["am_url"] is None
