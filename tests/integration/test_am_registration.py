"""am_registration through real ansible-playbook runs against the sandbox AM management API.

What reaches AM is read from the sandbox request log: writes, token exchanges and the PATCH bodies.
"""

import copy

from tests.integration.harness import domain_task, token_exchanges
from tests.integration.test_am_dcr import am_calls, domain_document

DOMAIN = "mcp-domain"
MODULE = "gravitee_community.mcp.am_registration"


task = domain_task(MODULE, DOMAIN)


def seeded(sandbox):
    return sandbox.am.domain_by_path(DOMAIN)


def login_settings(sandbox, domain=None):
    return copy.deepcopy((domain or seeded(sandbox)).get("loginSettings"))


def set_login_settings(sandbox, **values):
    sandbox.call_soon(lambda: seeded(sandbox)["loginSettings"].update(values))


def test_check_mode_then_apply_then_rerun(playbook, sandbox, bodies):
    before = login_settings(sandbox)
    run = playbook([task("check", check=True, forgot_password=True), task("apply", forgot_password=True),
                    task("rerun", forgot_password=True)], diff=True)

    assert run.rc == 0, run.output
    check, apply, rerun = run.result("check"), run.result("apply"), run.result("rerun")
    assert [check["changed"], apply["changed"], rerun["changed"]] == [True, True, False]
    assert check["registration"] == apply["registration"] == rerun["registration"] == login_settings(sandbox)
    assert apply["registration"] == dict(before, registerEnabled=True, forgotPasswordEnabled=True)
    assert apply["diff"] == {"before": {"registerEnabled": False, "forgotPasswordEnabled": False},
                             "after": {"registerEnabled": True, "forgotPasswordEnabled": True}}
    # forgot_password is not a secret: no no_log warning from Ansible.
    assert not any(r.get("warnings") for r in (check, apply, rerun))
    tokens = token_exchanges(run)
    [patch] = run.writes
    assert len(tokens) == 3 and tokens[1]["seq"] < patch["seq"] < tokens[2]["seq"]
    # AM replaces loginSettings whole: the body is the complete object read, managed keys changed.
    assert bodies(patch) == {"loginSettings": dict(before, registerEnabled=True, forgotPasswordEnabled=True)}


def test_unmanaged_login_switches_survive_and_a_rerun_changes_nothing(playbook, sandbox, bodies):
    set_login_settings(sandbox, registerEnabled=True, passwordlessEnabled=True, hideForm=True,
                       passwordlessEnforcePasswordMaxAge=3600)
    before = login_settings(sandbox)
    run = playbook([task("apply", forgot_password=True, remember_me=True),
                    task("rerun", forgot_password=True, remember_me=True)])

    assert run.rc == 0, run.output
    assert [run.result("apply")["changed"], run.result("rerun")["changed"]] == [True, False]
    [patch] = run.writes
    assert bodies(patch) == {"loginSettings": dict(before, forgotPasswordEnabled=True, rememberMeEnabled=True)}
    assert login_settings(sandbox) == dict(before, forgotPasswordEnabled=True, rememberMeEnabled=True)


def test_neighbour_switches_change_only_when_given_and_absent_turns_sign_up_off(playbook, sandbox, bodies):
    set_login_settings(sandbox, rememberMeEnabled=True, forgotPasswordEnabled=True)
    before = login_settings(sandbox)
    run = playbook([task("sign-up on"), task("remember me off", remember_me=False),
                    task("sign-up off", state="absent"), task("sign-up off again", state="absent", enabled=False)],
                   diff=True)

    assert run.rc == 0, run.output
    assert [run.result(n)["changed"] for n in ("sign-up on", "remember me off", "sign-up off",
                                               "sign-up off again")] == [True, True, True, False]
    steps = [dict(before, registerEnabled=True), dict(before, registerEnabled=True, rememberMeEnabled=False),
             dict(before, registerEnabled=False, rememberMeEnabled=False)]
    assert [bodies(w) for w in run.writes] == [{"loginSettings": step} for step in steps]
    stored = login_settings(sandbox)
    assert stored["registerEnabled"] is False and stored["rememberMeEnabled"] is False
    assert stored["forgotPasswordEnabled"] is True  # never asked for: left alone
    assert run.result("sign-up off")["diff"] == {"before": {"registerEnabled": True},
                                                 "after": {"registerEnabled": False}}


def test_a_domain_without_login_settings_counts_as_sign_up_off(playbook, sandbox, bodies):
    def fresh_enabled_domain():
        domain = sandbox.am.add_domain("Fresh Domain", None, "default", "fresh-domain")
        domain["enabled"] = True
        return domain

    fresh = sandbox.call_soon(fresh_enabled_domain)
    assert "loginSettings" not in fresh
    run = playbook([task("off", domain="Fresh Domain", enabled=False, remember_me=False),
                    task("absent", domain="fresh-domain", state="absent"),
                    task("on", domain="Fresh Domain")])

    assert run.rc == 0, run.output
    assert [run.result(n)["changed"] for n in ("off", "absent", "on")] == [False, False, True]
    assert run.result("off")["registration"] == {"registerEnabled": False, "forgotPasswordEnabled": False,
                                                 "rememberMeEnabled": False}
    [patch] = run.writes
    assert patch["path"].endswith("/domains/" + fresh["id"])
    assert bodies(patch) == {"loginSettings": {"registerEnabled": True}}
    assert login_settings(sandbox, sandbox.am.domains[fresh["id"]])["registerEnabled"] is True


def test_bad_input_unknown_and_disabled_domains_are_refused(playbook, sandbox):
    closed = sandbox.call_soon(lambda: sandbox.am.add_domain("closed", None, "default", "closed"))
    before = login_settings(sandbox)
    run = playbook([task("contradiction", ignore_errors=True, state="absent", enabled=True),
                    task("unknown", ignore_errors=True, domain="no-such-domain"),
                    task("disabled", domain="closed")])

    assert run.rc != 0 and run.writes == []
    assert login_settings(sandbox) == before and "loginSettings" not in sandbox.am.domains[closed["id"]]
    assert run.result("contradiction")["msg"] == (
        "state=absent turns self-registration off, but enabled=true asks for it on: remove one of the two.")
    assert run.result("unknown")["msg"].startswith(
        "AM domain 'no-such-domain' was not found in organization 'DEFAULT' / environment 'DEFAULT'")
    disabled = run.result("disabled")
    assert disabled["msg"] == (
        "AM domain 'closed' (hrid 'closed', id '%s') is disabled. Enable it in AM (domain settings) first: the AM "
        "gateway does not serve a disabled domain." % closed["id"])


def test_bad_credentials_name_the_login_options(playbook, sandbox):
    run = playbook([task("login")], env={"GRAVITEE_AM_USERNAME": "nobody"})

    assert run.rc != 0 and run.writes == []
    result = run.result("login")
    assert result["status"] == 401
    assert "am_username / am_password (GRAVITEE_AM_USERNAME / GRAVITEE_AM_PASSWORD)" in result["msg"]
    assert len(token_exchanges(run)) == 1


def test_no_secret_in_verbose_output(playbook, assert_no_am_login_secret):
    run = playbook([task("apply", forgot_password=True, remember_me=True), task("fail", domain="no-such-domain")],
                   callback="default", verbosity=4, diff=True)

    assert run.rc != 0
    assert "registerEnabled" in run.output and "'no-such-domain' was not found" in run.output
    assert_no_am_login_secret(run.output, logins=2)


def test_module_defaults_for_the_gravitee_group(playbook, sandbox, group_defaults):
    env = {"GRAVITEE_AM_URL": "http://127.0.0.1:9", "GRAVITEE_AM_PASSWORD": "wrong"}
    run = playbook([task("via group defaults")], env=env,
                   play_extra=group_defaults(validate_certs=True))

    assert run.rc == 0, run.output
    assert run.result("via group defaults")["changed"] is True
    assert login_settings(sandbox)["registerEnabled"] is True


def test_on_am_4_10_the_computed_enforce_password_policy_flag_is_not_sent_back(playbook, sandbox, bodies):
    sandbox.config.am_version = "4.10.8"
    set_login_settings(sandbox, passwordlessEnabled=True, passwordlessEnforcePasswordEnabled=True,
                       passwordlessEnforcePasswordMaxAge=600)
    run = playbook([task("apply", remember_me=True), task("rerun", remember_me=True)])

    assert run.rc == 0, run.output
    assert [run.result("apply")["changed"], run.result("rerun")["changed"]] == [True, False]
    assert run.result("apply")["registration"]["enforcePasswordPolicyEnabled"] is True  # shown by AM 4.10
    [patch] = run.writes
    sent = bodies(patch)["loginSettings"]
    assert "enforcePasswordPolicyEnabled" not in sent and sent["passwordlessEnforcePasswordMaxAge"] == 600


# --- known_domain: the domain as an earlier task read it ------------------------------------------------------

def test_with_known_domain_a_rerun_sends_nothing(playbook, sandbox):
    set_login_settings(sandbox, registerEnabled=True, forgotPasswordEnabled=True)
    run = playbook([task("check", check=True, forgot_password=True, known_domain=domain_document(sandbox)),
                    task("rerun", forgot_password=True, known_domain=domain_document(sandbox))], diff=True)

    assert run.rc == 0, run.output
    assert run.result("check")["changed"] is run.result("rerun")["changed"] is False
    assert run.result("rerun")["registration"] == login_settings(sandbox)
    assert am_calls(run) == []  # no domain read, and so no login either


def test_with_known_domain_a_write_is_built_from_a_fresh_read(playbook, sandbox, bodies):
    known = domain_document(sandbox)
    # Changed in AM after the earlier read: AM replaces loginSettings whole, so a body built from the known copy
    # would turn it off again.
    set_login_settings(sandbox, hideForm=True)
    now = login_settings(sandbox)
    run = playbook([task("check", check=True, known_domain=known), task("apply", known_domain=known)], diff=True)

    assert run.rc == 0, run.output
    check, apply = run.result("check"), run.result("apply")
    assert check["changed"] is apply["changed"] is True
    assert check["registration"] == apply["registration"] == login_settings(sandbox)
    assert apply["diff"] == {"before": {"registerEnabled": False}, "after": {"registerEnabled": True}}
    domain_read = ("GET", "/domains/_hrid/" + DOMAIN)
    # Check mode reads afresh too (a read), then predicts; the real run sends what it sends without known_domain.
    assert am_calls(run) == [("POST", "/management/auth/token"), domain_read,
                             ("POST", "/management/auth/token"), domain_read, ("PATCH", "/domains/" + known["id"])]
    [patch] = run.writes
    assert bodies(patch) == {"loginSettings": dict(now, registerEnabled=True)}
    assert login_settings(sandbox)["hideForm"] is True


def test_a_known_domain_that_is_not_the_domain_named_is_refused(playbook, sandbox):
    before = login_settings(sandbox)
    run = playbook([task("other domain", known_domain=domain_document(sandbox), domain="no-such-domain")])

    assert run.rc != 0 and run.writes == [] and am_calls(run) == []
    assert login_settings(sandbox) == before
    assert run.result("other domain")["msg"].startswith("known_domain is AM domain 'mcp-domain' (hrid 'mcp-domain', ")
