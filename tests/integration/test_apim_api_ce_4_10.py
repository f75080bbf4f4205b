"""apim_api on APIM Community Edition 4.10.9, modelled on the measured server: a PROXY API with the AM resource.

There the resource-plugin list without /organizations/{org} answers 500 with an empty body, and APIM stores the
AM resource with the schema default "userClaim": "sub" added. apim_api never uses that list (it reads one
resource schema through the organisation form, when needed), and its merge treats the added key as APIM's own:
the rerun changes nothing.
"""

from tests.integration.apim_api_support import NAME, am_resource, api_task, stored_apis, write_paths


def test_proxy_api_with_the_am_resource_on_ce_4_10_9_then_rerun_changes_nothing(sandbox, playbook):
    sandbox.config.apim_edition, sandbox.config.apim_version = "ce", "4.10.9"
    task = api_task(sandbox, type="proxy", resources=[am_resource()])

    run = playbook([task, dict(task, name="rerun"), dict(task, name="rerun in check mode", check_mode=True)])

    assert run.rc == 0, run.output
    assert [run.result(n)["changed"] for n in ("api", "rerun", "rerun in check mode")] == [True, False, False]
    api_id = run.result("api")["api"]["id"]
    assert write_paths(run) == [("POST", "apis"), ("PUT", "apis/%s" % api_id)]
    stored = stored_apis(sandbox)[NAME]
    assert stored["type"] == "PROXY"
    assert stored["resources"][0]["configuration"]["userClaim"] == "sub"  # added by APIM, not sent
    # Nothing asked the broken list (500 on this version); a schema read would go through the organisation form.
    assert not [e for e in run.exchanges if e["path"].rstrip("/") == "/management/v2/plugins/resources"]
