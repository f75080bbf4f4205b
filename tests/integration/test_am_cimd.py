"""am_cimd through real ansible-playbook runs against the sandbox AM (AM 4.12.4 unless a test says otherwise)."""

import copy

from tests.integration.harness import domain_task
from tests.integration.test_am_dcr_clients import am

DOMAIN = "mcp-domain"
MODULE = "gravitee_community.mcp.am_cimd"
TEMPLATE = "MCP clients (CIMD template)"


task = domain_task(MODULE, DOMAIN)


def seeded(sandbox):
    return sandbox.am.domain_by_path(DOMAIN)


def cimd_settings(sandbox):
    return copy.deepcopy(seeded(sandbox)["oidc"].get("cimdSettings"))


def templates(sandbox):
    return [a for a in sandbox.am.applications.values() if a.get("template")]


def test_check_mode_then_apply_then_rerun(playbook, sandbox, bodies):
    run = playbook([task("check", check=True, allowed_domains=["*.example.com"]),
                    task("apply", allowed_domains=["*.example.com"]),
                    task("rerun", allowed_domains=["*.example.com"])], diff=True)

    assert run.rc == 0, run.output
    check, apply, rerun = run.result("check"), run.result("apply"), run.result("rerun")
    assert check["changed"] is True and apply["changed"] is True and rerun["changed"] is False
    [template] = templates(sandbox)
    stored = cimd_settings(sandbox)
    assert stored["enabled"] is True and stored["templateId"] == template["id"]
    assert stored["allowedDomains"] == ["*.example.com"] and apply["cimd"] == stored == rerun["cimd"]
    assert apply["template"] == {"id": template["id"], "name": TEMPLATE, "client_id": template["clientId"],
                                 "template": True} == rerun["template"]
    # Check mode predicted the same settings, with a placeholder for the id of the template to create.
    assert check["cimd"]["enabled"] is True and check["cimd"]["allowedDomains"] == ["*.example.com"]
    assert check["template"]["name"] == TEMPLATE and check["template"]["id"].startswith("(")
    assert apply["diff"]["before"]["enabled"] is False and apply["diff"]["after"]["enabled"] is True
    # The template: a public client with the domain's identity provider, marked as template.
    oauth = template["settings"]["oauth"]
    assert template["type"] == "native" and oauth["tokenEndpointAuthMethod"] == "none"
    assert set(oauth["grantTypes"]) == {"authorization_code", "refresh_token"}
    assert [i["identity"] for i in template["identityProviders"]] == ["default-idp-" + seeded(sandbox)["id"]]
    # Writes only in "apply": create the template, mark it, PATCH the domain with the differing keys only.
    assert [w["method"] for w in run.writes] == ["POST", "PATCH", "PATCH"]
    assert bodies(run.writes[2]) == {"oidc": {"cimdSettings": {"enabled": True, "templateId": template["id"],
                                                               "allowedDomains": ["*.example.com"]}}}


def test_absent_turns_off_and_keeps_the_rest(playbook, sandbox):
    assert playbook([task("on", fetch_timeout_ms=3000)]).rc == 0
    run = playbook([task("off", state="absent"), task("again", state="absent")])

    assert run.rc == 0, run.output
    assert run.result("off")["changed"] is True and run.result("again")["changed"] is False
    stored = cimd_settings(sandbox)
    assert stored["enabled"] is False and stored["fetchTimeoutMs"] == 3000 and stored["templateId"]
    assert run.result("off")["template"] is None and len(run.writes) == 1


def test_bad_input_and_a_non_template_application_are_refused_without_writes(playbook, sandbox):
    admin = am(sandbox)
    admin.call("POST", "/domains/%s/applications" % seeded(sandbox)["id"], 201, json={
        "name": "my app", "type": "NATIVE", "redirectUris": ["https://app.example.com/cb"]})
    run = playbook([task("timeout", ignore_errors=True, fetch_timeout_ms=0),
                    task("domains", ignore_errors=True, allowed_domains=["https://example.com"]),
                    task("both", ignore_errors=True, state="absent", enabled=True),
                    task("not a template", ignore_errors=True, template="my app")])

    assert run.rc == 0, run.output
    assert "fetch_timeout_ms must be higher than 0" in run.result("timeout")["msg"]
    assert "allowed_domains" in run.result("domains")["msg"]
    assert "state=absent" in run.result("both")["msg"]
    assert "'my app'" in run.result("not a template")["msg"] and "not a template" in run.result("not a template")["msg"]
    assert all(run.result(n)["failed"] for n in ("timeout", "domains", "both", "not a template"))
    assert run.writes == [] and cimd_settings(sandbox)["enabled"] is False


def test_am_below_4_12_is_refused_before_any_write(playbook, sandbox):
    sandbox.config.am_version = "4.11.14"
    run = playbook([task("on", ignore_errors=True)])

    assert run.rc == 0, run.output
    result = run.result("on")
    assert result["failed"] and "AM 4.12 or later" in result["msg"] and "404" in result["msg"]
    assert run.writes == []


def test_a_4_12_domain_without_cimd_settings_is_probed_and_accepted(playbook, sandbox):
    # A domain created before the upgrade to 4.12 has no oidc.cimdSettings yet; the route probe says 4.12+.
    sandbox.call_soon(lambda: seeded(sandbox)["oidc"].pop("cimdSettings"))
    run = playbook([task("on")])

    assert run.rc == 0, run.output
    probes = [e for e in run.exchanges if e["path"].endswith("/cimd/validate")]
    assert [(e["method"], e["status"]) for e in probes] == [("GET", 405)]
    assert cimd_settings(sandbox)["enabled"] is True
