"""am_dcr_clients through real ansible-playbook runs: clients registered at the sandbox AM gateway's DCR endpoint
are pruned by age, name and software id; applications made through the management API never are."""

from tests.integration.harness import domain_task
from tests.integration.test_am_dcr_gateway import VSCODE_REGISTRATION, eventually, register
from tests.support.guide_http import Am

DOMAIN = "mcp-domain"
MODULE = "gravitee_community.mcp.am_dcr_clients"
DAY_MS = 86400 * 1000


task = domain_task(MODULE, DOMAIN)


def am(sandbox):
    return Am(sandbox.urls["am_url"], sandbox.seed["am_username"], sandbox.seed["am_password"])


def setup_clients(sandbox):
    """Open DCR, three registered clients (two 40 days old) and one application made by hand (40 days old)."""
    admin = am(sandbox)
    domain = admin.domain(DOMAIN)
    admin.enable_open_dcr(domain["id"])
    registered = {}
    for name, software in (("Visual Studio Code", "vscode"), ("Visual Studio Code", "vscode"), ("Cursor", None)):
        body = dict(VSCODE_REGISTRATION, client_name=name, **({"software_id": software} if software else {}))
        answer = eventually(lambda b=body: register(sandbox, b), lambda r: r.status_code == 201)
        assert answer.status_code == 201, answer.text
        registered.setdefault(name, []).append(answer.json())
    by_hand = admin.call("POST", "/domains/%s/applications" % domain["id"], 201, json={
        "name": "Visual Studio Code", "type": "NATIVE", "redirectUris": ["http://127.0.0.1:33418/"]})
    old = [registered["Visual Studio Code"][0]["id"], registered["Cursor"][0]["id"], by_hand["id"]]

    def age():
        for app_id in old:
            sandbox.am.applications[app_id]["createdAt"] -= 40 * DAY_MS
    sandbox.call_soon(age)
    return registered, by_hand


def remaining(sandbox):
    return {app["id"] for app in sandbox.am.applications.values()}


def test_prune_by_age_check_mode_diff_rerun_and_hand_made_apps_stay(playbook, sandbox):
    registered, by_hand = setup_clients(sandbox)
    old_vscode, new_vscode = registered["Visual Studio Code"]
    [cursor] = registered["Cursor"]
    run = playbook([task("check", check=True, older_than="30d"), task("prune", older_than="30d"),
                    task("rerun", older_than="30d")], diff=True)

    assert run.rc == 0, run.output
    check, prune, rerun = run.result("check"), run.result("prune"), run.result("rerun")
    assert check["changed"] is True and prune["changed"] is True and rerun["changed"] is False
    # Oldest first; the same list in check mode and for real; the hand-made one is not even listed.
    assert [c["client_id"] for c in check["dcr_clients"]] == [c["client_id"] for c in prune["dcr_clients"]]
    assert {c["client_id"] for c in prune["dcr_clients"]} == {old_vscode["client_id"], cursor["client_id"]}
    assert prune["kept"] == 1 and rerun["dcr_clients"] == [] and rerun["kept"] == 1
    assert prune["diff"]["before"] == {old_vscode["client_id"]: "Visual Studio Code", cursor["client_id"]: "Cursor"}
    assert prune["diff"]["after"] == {} and rerun["diff"] == {}
    # Two DELETEs, both from the "prune" task; check mode and rerun sent none.
    deletes = run.writes
    assert [w["method"] for w in deletes] == ["DELETE", "DELETE"]
    assert {w["path"].rsplit("/", 1)[1] for w in deletes} == {old_vscode["id"], cursor["id"]}
    assert remaining(sandbox) >= {new_vscode["id"], by_hand["id"]}
    assert old_vscode["id"] not in remaining(sandbox) and cursor["id"] not in remaining(sandbox)
    # The registration access tokens (credentials of those clients) never reach the output.
    for client in (old_vscode, new_vscode, cursor):
        assert client["registration_access_token"] not in run.output


def test_name_pattern_and_software_id_filters_combine(playbook, sandbox):
    registered, by_hand = setup_clients(sandbox)
    old_vscode, new_vscode = registered["Visual Studio Code"]
    run = playbook([task("by name", client_name="Visual*", software_id="vscode", older_than="1h"),
                    task("by software id", software_id="vscode")])

    assert run.rc == 0, run.output
    assert [c["client_id"] for c in run.result("by name")["dcr_clients"]] == [old_vscode["client_id"]]
    assert [c["client_id"] for c in run.result("by software id")["dcr_clients"]] == [new_vscode["client_id"]]
    assert run.result("by software id")["dcr_clients"][0]["software_id"] == "vscode"
    # Cursor (no software id) and the hand-made "Visual Studio Code" application are still there.
    assert by_hand["id"] in remaining(sandbox) and registered["Cursor"][0]["id"] in remaining(sandbox)


def test_bad_input_fails_clearly_without_writes(playbook, sandbox):
    setup_clients(sandbox)
    before = remaining(sandbox)
    run = playbook([task("no filter", ignore_errors=True), task("bad age", ignore_errors=True, older_than="30 days")])

    assert run.rc == 0, run.output
    no_filter, bad_age = run.result("no filter"), run.result("bad age")
    assert no_filter["failed"] and "older_than, client_name or software_id" in no_filter["msg"]
    assert bad_age["failed"] and "older_than" in bad_age["msg"] and "30d" in bad_age["msg"]
    assert run.writes == [] and remaining(sandbox) == before


def test_no_registration_access_token_in_the_most_verbose_output(playbook, sandbox):
    registered, _ = setup_clients(sandbox)
    run = playbook([task("check", check=True, older_than="1h"), task("prune", older_than="1h")], diff=True,
                   callback="default", verbosity=4)

    assert run.rc == 0, run.output
    assert [w["method"] for w in run.writes] == ["DELETE", "DELETE"]
    for clients in registered.values():
        for client in clients:
            assert client["registration_access_token"] not in run.output
            assert client["client_secret"] not in run.output
