"""am_dcr through real ansible-playbook runs against the sandbox AM management API.

Each test groups several tasks in one play where it can (about 2-4 s per run). What reaches AM is read
from the sandbox request log: writes, token exchanges, and the PATCH bodies themselves.
"""

import copy

from tests.integration.harness import domain_task, token_exchanges
from tests.integration.test_am_mcp_server_errors import am_admin_call

DOMAIN = "mcp-domain"
MODULE = "gravitee_community.mcp.am_dcr"
MCP_READY = {"isDynamicClientRegistrationEnabled": True, "isOpenDynamicClientRegistrationEnabled": True,
             "allowLocalhostRedirectUri": True, "allowHttpSchemeRedirectUri": True}


task = domain_task(MODULE, DOMAIN)


def seeded(sandbox):
    return sandbox.am.domain_by_path(DOMAIN)


def registration_settings(sandbox):
    return copy.deepcopy(seeded(sandbox)["oidc"]["clientRegistrationSettings"])


def set_registration_settings(sandbox, **values):
    sandbox.call_soon(lambda: seeded(sandbox)["oidc"]["clientRegistrationSettings"].update(values))


def test_check_mode_then_apply_then_rerun(playbook, sandbox, bodies):
    domain_id = seeded(sandbox)["id"]
    run = playbook([task("check", check=True), task("apply"), task("rerun")], diff=True)

    assert run.rc == 0, run.output
    check, apply, rerun = run.result("check"), run.result("apply"), run.result("rerun")
    # Check mode predicts exactly what the real run then does.
    assert check["changed"] is True and apply["changed"] is True and rerun["changed"] is False
    assert check["dcr"] == apply["dcr"] == rerun["dcr"]
    assert apply["dcr"] == {**registration_settings(sandbox), "defaultScopes": [], "allowedScopes": []}
    assert {k: apply["dcr"][k] for k in MCP_READY} == MCP_READY and apply["dcr"]["allowWildCardRedirectUri"] is False
    # The diff shows exactly the managed keys; scopes and templates were not asked for.
    assert apply["diff"] == {
        "before": {**{k: False for k in MCP_READY}, "allowWildCardRedirectUri": False},
        "after": {**MCP_READY, "allowWildCardRedirectUri": False}}
    assert rerun["diff"]["before"] == rerun["diff"]["after"]
    # One write in three tasks, sent by the second one; one token exchange per task.
    tokens = token_exchanges(run)
    assert len(tokens) == 3
    [patch] = run.writes
    assert patch["method"] == "PATCH" and patch["path"].endswith("/domains/" + domain_id) and patch["status"] == 200
    assert tokens[1]["seq"] < patch["seq"] < tokens[2]["seq"]
    # Only the differing keys, under oidc.clientRegistrationSettings, with AM's real field names.
    assert bodies(patch) == {"oidc": {"clientRegistrationSettings": MCP_READY}}


def test_update_sends_only_the_changed_keys_and_scope_order_does_not_matter(playbook, sandbox, bodies):
    set_registration_settings(sandbox, **MCP_READY, isClientTemplateEnabled=True)
    options = {"open_registration": False, "allow_wildcard_redirect_uri": True, "client_templates": True,
               "default_scopes": ["openid", "profile"], "allowed_scopes": ["openid", "profile", "email"]}
    reordered = dict(options, default_scopes=["profile", "openid", "profile"],
                     allowed_scopes=["email", "openid", "profile"])
    run = playbook([task("update", **options), task("rerun", **reordered)], diff=True)

    assert run.rc == 0, run.output
    update, rerun = run.result("update"), run.result("rerun")
    assert update["changed"] is True and rerun["changed"] is False
    [patch] = run.writes
    assert bodies(patch) == {"oidc": {"clientRegistrationSettings": {
        "isOpenDynamicClientRegistrationEnabled": False, "allowWildCardRedirectUri": True,
        "defaultScopes": ["openid", "profile"], "isAllowedScopesEnabled": True,
        "allowedScopes": ["openid", "profile", "email"]}}}
    stored = registration_settings(sandbox)
    assert stored["defaultScopes"] == ["openid", "profile"] and stored["isAllowedScopesEnabled"] is True
    assert stored["isOpenDynamicClientRegistrationEnabled"] is False and stored["isDynamicClientRegistrationEnabled"]
    assert update["diff"]["before"]["allowedScopes"] == []
    assert update["diff"]["before"]["isAllowedScopesEnabled"] is False
    assert update["diff"]["after"]["allowedScopes"] == ["openid", "profile", "email"]
    # The scope keys were checked against the domain before the write, and not again when nothing changes.
    scope_reads = [e for e in run.exchanges if e["path"].endswith("/scopes")]
    assert len(scope_reads) == 1 and scope_reads[0]["seq"] < patch["seq"]


def test_turning_dcr_off(playbook, sandbox, bodies):
    set_registration_settings(sandbox, **MCP_READY, defaultScopes=["openid"])
    run = playbook([task("off", state="absent"), task("off again", state="absent"),
                    task("present but disabled", enabled=False),
                    task("empty allow-list", enabled=False, allowed_scopes=[])], diff=True)

    assert run.rc == 0, run.output
    assert [run.result(n)["changed"] for n in ("off", "off again", "present but disabled", "empty allow-list")] == [
        True, False, False, False]
    [patch] = run.writes
    # state=absent touches the DCR switch only: the other settings stay for the day DCR comes back.
    assert bodies(patch) == {"oidc": {"clientRegistrationSettings": {"isDynamicClientRegistrationEnabled": False}}}
    stored = registration_settings(sandbox)
    assert stored["isDynamicClientRegistrationEnabled"] is False
    assert stored["isOpenDynamicClientRegistrationEnabled"] is True and stored["defaultScopes"] == ["openid"]
    assert run.result("off")["diff"] == {"before": {"isDynamicClientRegistrationEnabled": True},
                                         "after": {"isDynamicClientRegistrationEnabled": False}}


def test_bad_input_fails_with_the_option_named_and_changes_nothing(playbook, sandbox):
    before = registration_settings(sandbox)
    run = playbook([task("contradiction", ignore_errors=True, state="absent", enabled=True),
                    task("absent with scopes", ignore_errors=True, state="absent", default_scopes=["openid"]),
                    task("not a scope key", ignore_errors=True, allowed_scopes=["openid email"]),
                    task("unknown scope", default_scopes=["openid", "weather_read"])])

    assert run.rc != 0 and run.writes == []
    assert registration_settings(sandbox) == before
    assert run.result("contradiction")["msg"] == (
        "state=absent turns DCR off, but enabled=true asks for it on: remove one of the two.")
    assert run.result("absent with scopes")["msg"].startswith("default_scopes cannot be used with state=absent")
    assert "allowed_scopes holds 'openid email'" in run.result("not a scope key")["msg"]
    unknown = run.result("unknown scope")
    assert unknown["failed"] is True
    assert unknown["msg"].startswith("default_scopes: 'weather_read' is not a scope of AM domain 'mcp-domain' "
                                     "(known scopes: ")
    assert unknown["msg"].endswith("Create the scope in the domain first, or fix the key.")


def test_unknown_and_disabled_domains_are_refused(playbook, sandbox):
    closed = sandbox.call_soon(lambda: sandbox.am.add_domain("closed", None, "default", "closed"))
    closed_settings = copy.deepcopy(closed["oidc"])
    run = playbook([{**task("unknown", ignore_errors=True), MODULE: {"domain": "no-such-domain"}},
                    {**task("disabled"), MODULE: {"domain": "closed"}}])

    assert run.rc != 0 and run.writes == []
    assert run.result("unknown")["msg"] == (
        "AM domain 'no-such-domain' was not found in organization 'DEFAULT' / environment 'DEFAULT' (looked up by "
        "hrid, then by name). Check domain, and am_org / am_env (GRAVITEE_AM_ORG / GRAVITEE_AM_ENV); create the "
        "domain in AM first.")
    disabled = run.result("disabled")
    assert disabled["msg"].startswith("AM domain 'closed' (hrid 'closed', id '%s') is disabled." % closed["id"])
    assert disabled["kind"] == "lookup" and disabled["product"] == "AM"
    assert sandbox.am.domains[closed["id"]]["oidc"] == closed_settings


def test_bad_credentials_name_the_login_options(playbook, sandbox):
    run = playbook([task("login")], env={"GRAVITEE_AM_PASSWORD": "not-the-password"})

    assert run.rc != 0 and run.writes == []
    result = run.result("login")
    assert result["status"] == 401 and result["url"].endswith("/management/auth/token")
    assert "am_username / am_password (GRAVITEE_AM_USERNAME / GRAVITEE_AM_PASSWORD)" in result["msg"]
    assert len(token_exchanges(run)) == 1  # a refused login is not retried
    assert "not-the-password" not in run.output


def test_no_secret_in_verbose_output(playbook, assert_no_am_login_secret):
    run = playbook([task("apply", default_scopes=["openid"]), task("fail", default_scopes=["nope"])],
                   callback="default", verbosity=4, diff=True)

    assert run.rc != 0  # the second task fails on purpose: failure output is checked too
    assert "isDynamicClientRegistrationEnabled" in run.output and "'nope' is not a scope" in run.output
    assert_no_am_login_secret(run.output, logins=2)


def test_module_defaults_for_the_gravitee_group(playbook, sandbox, group_defaults):
    # The environment points elsewhere: only the module_defaults block can make this work.
    env = {"GRAVITEE_AM_URL": "http://127.0.0.1:9", "GRAVITEE_AM_PASSWORD": "wrong"}
    run = playbook([task("via group defaults")], env=env,
                   play_extra=group_defaults(timeout=20))

    assert run.rc == 0, run.output
    assert run.result("via group defaults")["changed"] is True
    assert registration_settings(sandbox)["isDynamicClientRegistrationEnabled"] is True


# --- known_domain: the domain as an earlier task read it ------------------------------------------------------

ENV = "/management/organizations/DEFAULT/environments/DEFAULT"


def domain_document(sandbox, hrid=DOMAIN):
    """The domain as AM's management API returns it (what the preflight reads), fetched outside the run."""
    return am_admin_call(sandbox, "GET", "/domains/_hrid/" + hrid, None)


def am_calls(run):
    """``(method, path below the environment)`` of each AM management request of the run, login included."""
    return [(e["method"], e["path"].replace(ENV, "")) for e in run.exchanges if e["component"] == "am_mgmt"]


def test_with_known_domain_the_first_run_sends_only_the_patch_and_a_rerun_nothing(playbook, sandbox, bodies):
    known = domain_document(sandbox)
    first = playbook([task("check", check=True, known_domain=known), task("apply", known_domain=known)], diff=True)

    assert first.rc == 0, first.output
    check, apply = first.result("check"), first.result("apply")
    assert check["changed"] is apply["changed"] is True
    assert check["dcr"] == apply["dcr"] and check["diff"] == apply["diff"]
    # Check mode needs nothing from AM; the real run logs in and writes, without reading the domain.
    assert am_calls(first) == [("POST", "/management/auth/token"), ("PATCH", "/domains/" + known["id"])]
    assert bodies(first.writes[0]) == {"oidc": {"clientRegistrationSettings": MCP_READY}}

    rerun = playbook([task("rerun", known_domain=domain_document(sandbox))])
    assert rerun.rc == 0, rerun.output
    assert rerun.result("rerun")["changed"] is False and rerun.result("rerun")["dcr"] == apply["dcr"]
    assert am_calls(rerun) == []  # no domain read, and so no login either


def test_a_known_domain_that_is_not_the_domain_named_or_is_disabled_is_refused(playbook, sandbox):
    closed = sandbox.call_soon(lambda: sandbox.am.add_domain("closed", None, "default", "closed"))
    before = registration_settings(sandbox)
    run = playbook([task("other domain", ignore_errors=True, known_domain=domain_document(sandbox), domain="closed"),
                    task("no id", ignore_errors=True, known_domain={"hrid": DOMAIN, "enabled": True}),
                    task("disabled", known_domain=domain_document(sandbox, "closed"), domain="closed")])

    assert run.rc != 0 and run.writes == [] and am_calls(run) == []
    assert registration_settings(sandbox) == before
    assert run.result("other domain")["msg"].startswith(
        "known_domain is AM domain 'mcp-domain' (hrid 'mcp-domain', id '%s'), not domain 'closed' this task names"
        % seeded(sandbox)["id"])
    assert run.result("no id")["msg"].startswith("known_domain has no 'id'")
    # The very refusal of a read (test_unknown_and_disabled_domains_are_refused).
    assert run.result("disabled")["msg"].startswith(
        "AM domain 'closed' (hrid 'closed', id '%s') is disabled." % closed["id"])
