"""apim_plan against the sandbox: create, rerun, check mode, each option, staging/deprecated/closed/absent."""

from tests.integration.apim_plan_support import API_NAME, RESOURCE, keyless_task, oauth2_task, plan_task, write_paths


def test_create_publish_deploy_then_rerun_sends_no_write(playbook, apim):
    api = apim.make_api(started_with_keyless=True)
    first = playbook([oauth2_task(oauth2={"resource": RESOURCE, "required_scopes": ["mcp:tools"]})], diff=True)
    assert first.rc == 0, first.output
    result = first.result("oauth2")
    assert result["changed"] is True
    assert write_paths(first) == [("POST", "apis/{api}/plans"), ("POST", "apis/{api}/plans/{plan}/_publish"),
                                  ("POST", "apis/{api}/deployments")]
    plan = result["plan"]
    assert (plan["name"], plan["security"], plan["security_type"], plan["status"]) == (
        "OAuth2", "oauth2", "OAUTH2", "PUBLISHED")
    assert plan["configuration"]["oauthResource"] == RESOURCE
    assert plan["configuration"]["requiredScopes"] == ["mcp:tools"]
    assert result["api_id"] == api["id"] and result["api_deployment_state"] == "DEPLOYED"
    assert result["actions"] == ["create", "publish", "deploy"]
    assert result["diff"]["before"] == {} and result["diff"]["after"]["id"] == plan["id"]
    stored = apim.plans_named(api["id"], "OAuth2")
    assert [(p["id"], p["status"]) for p in stored] == [(plan["id"], "PUBLISHED")]
    assert stored[0]["validation"] == "AUTO" and stored[0]["mode"] == "STANDARD"
    assert apim.served(api["id"]) is not None and {p["name"] for p in apim.served(api["id"])["plans"]} == {
        "Keyless", "OAuth2"}

    second = playbook([oauth2_task(oauth2={"resource": RESOURCE, "required_scopes": ["mcp:tools"]})])
    assert second.rc == 0 and second.changed == 0, second.output
    assert second.writes == []
    again = second.result("oauth2")
    assert again["actions"] == [] and again["plan"]["id"] == plan["id"]
    assert again["api_deployment_state"] == "DEPLOYED"


def test_check_mode_on_a_fresh_system_predicts_and_writes_nothing(playbook, apim):
    # No API yet: check mode assumes an earlier task (apim_api) creates it.
    fresh = playbook([keyless_task()], check=True, diff=True)
    assert fresh.rc == 0, fresh.output
    result = fresh.result("keyless")
    assert result["changed"] is True and result["actions"] == ["create", "publish"]
    assert result["plan"]["id"] is None and result["plan"]["status"] == "PUBLISHED"
    assert result["plan"]["security"] == "keyless" and result["api_id"] is None
    assert any("does not exist (yet)" in w for w in result["warnings"])
    assert fresh.writes == [] and apim.sandbox.apim.apis == {}
    # Without check mode the same task fails: nothing created the API.
    real = playbook([keyless_task(ignore_errors=True)])
    assert "No API named 'API MCP Proxy'" in real.result("keyless")["msg"]
    assert real.writes == []

    # A started API: the prediction covers publishing and the redeployment, still without a write.
    api = apim.make_api(started_with_keyless=True)
    checked = playbook([oauth2_task()], check=True)
    result = checked.result("oauth2")
    assert result["changed"] is True and result["actions"] == ["create", "publish", "deploy"]
    assert result["api_deployment_state"] == "DEPLOYED" and result["api_id"] == api["id"]
    assert checked.writes == [] and apim.plans_named(api["id"], "OAuth2") == []
    # The real run does what check mode predicted.
    real = playbook([oauth2_task()])
    assert real.result("oauth2")["actions"] == ["create", "publish", "deploy"]


OPTION_UPDATES = [
    ("required_scopes", ["a", "b"], "requiredScopes"),
    ("check_required_scopes", True, "checkRequiredScopes"),
    ("mode_strict", False, "modeStrict"),
    ("propagate_auth_header", False, "propagateAuthHeader"),
    ("extract_payload", True, "extractPayload"),
]


def test_each_oauth2_option_is_updated_in_place_and_then_stable(playbook, apim):
    api = apim.make_api(started_with_keyless=True)
    apim.add_resource(api["id"], name="Other AM")
    assert playbook([oauth2_task()]).rc == 0
    plan_id = apim.plans_named(api["id"], "OAuth2")[0]["id"]
    # Something set in the Console and not managed by the task: must survive every update.
    stored = apim.ok("GET", f"/apis/{api['id']}/plans/{plan_id}", 200)
    stored["description"] = "made in the Console"
    stored["security"]["configuration"]["oauthCacheResource"] = "cache"
    apim.ok("PUT", f"/apis/{api['id']}/plans/{plan_id}", 200, json=stored)

    options = {"resource": RESOURCE}
    tasks = []
    for option, value, _key in OPTION_UPDATES:
        options = dict(options, **{option: value})
        tasks.append(oauth2_task(option, oauth2=dict(options)))
        tasks.append(oauth2_task(option + " again", oauth2=dict(options)))
    tasks.append(oauth2_task("resource", oauth2=dict(options, resource="Other AM")))
    tasks.append(oauth2_task("resource again", oauth2=dict(options, resource="Other AM")))
    run = playbook(tasks, diff=True)
    assert run.rc == 0, run.output
    for option, value, key in OPTION_UPDATES:
        changed = run.result(option)
        assert changed["changed"] is True and changed["actions"] == ["update " + plan_id, "deploy"], option
        assert changed["plan"]["configuration"][key] == value
        assert changed["diff"]["after"]["configuration"][key] == value
        assert run.result(option + " again")["changed"] is False, option
    assert run.result("resource")["plan"]["configuration"]["oauthResource"] == "Other AM"
    assert run.result("resource again")["changed"] is False
    # Each change was one PUT of the plan plus a deployment; the reruns wrote nothing.
    assert write_paths(run) == [("PUT", "apis/{api}/plans/{plan}"), ("POST", "apis/{api}/deployments")] * 6
    final = apim.ok("GET", f"/apis/{api['id']}/plans/{plan_id}", 200)
    assert final["description"] == "made in the Console"
    assert final["security"]["configuration"]["oauthCacheResource"] == "cache"
    assert final["status"] == "PUBLISHED" and len(apim.plans_named(api["id"], "OAuth2")) == 1
    served = [p for p in apim.served(api["id"])["plans"] if p["name"] == "OAuth2"][0]
    assert served["security"]["configuration"]["oauthResource"] == "Other AM"


def test_defaults_and_scope_order_are_not_changes(playbook, apim):
    api = apim.make_api(started_with_keyless=True)
    # Stored without the policy defaults (as APIM keeps a plan's configuration), scopes in another order, and a
    # key APIM 4.10.0-4.10.11 knows (addWwwAuthenticateHeader) that 4.12 ignores.
    apim.plan_in(api["id"], "OAuth2", "PUBLISHED", "OAUTH2", {"oauthResource": RESOURCE, "requiredScopes": ["b", "a"],
                                                              "addWwwAuthenticateHeader": True})
    apim.ok("POST", f"/apis/{api['id']}/deployments", 202, json={})
    run = playbook([oauth2_task(oauth2={"resource": RESOURCE, "required_scopes": ["a", "b"], "mode_strict": True,
                                        "propagate_auth_header": True, "extract_payload": False,
                                        "check_required_scopes": False})])
    assert run.rc == 0 and run.changed == 0 and run.writes == [], run.output


def test_staging_deprecated_closed_and_absent(playbook, apim):
    api = apim.make_api(started_with_keyless=True)
    run = playbook([
        keyless_task("staging", name="Trial", state="staging"),
        keyless_task("staging again", name="Trial", state="staging"),
        plan_task("close staging", name="Trial", state="closed"),
        plan_task("close again", name="Trial", state="closed"),
        keyless_task("published anew", name="Trial", security="oauth2", oauth2={"resource": RESOURCE}),
        plan_task("deprecate", name="Trial", security="oauth2", oauth2={"resource": RESOURCE}, state="deprecated"),
        plan_task("deprecate again", name="Trial", security="oauth2", oauth2={"resource": RESOURCE},
                  state="deprecated"),
        plan_task("absent", name="Trial", state="absent"),
        plan_task("absent again", name="Trial", state="absent"),
    ])
    assert run.rc == 0, run.output
    staging = run.result("staging")
    assert staging["plan"]["status"] == "STAGING" and staging["actions"] == ["create"]
    # A staging plan is not deployed, so no redeployment either.
    assert staging["api_deployment_state"] == "DEPLOYED"
    assert run.result("staging again")["changed"] is False
    closed = run.result("close staging")
    # APIM counts a closed plan as a plan change (NEED_REDEPLOY), so the API is redeployed right away.
    assert closed["plan"]["status"] == "CLOSED" and closed["actions"] == ["close " + staging["plan"]["id"], "deploy"]
    assert closed["api_deployment_state"] == "DEPLOYED"
    assert run.result("close again")["changed"] is False
    assert run.result("close again")["plan"]["id"] == staging["plan"]["id"]
    # Only a closed plan of that name: a new one is created (a closed plan never reopens).
    anew = run.result("published anew")
    assert anew["actions"] == ["create", "publish", "deploy"] and anew["plan"]["id"] != staging["plan"]["id"]
    deprecated = run.result("deprecate")
    assert deprecated["plan"]["status"] == "DEPRECATED"
    assert deprecated["actions"] == ["deprecate " + anew["plan"]["id"], "deploy"]
    assert run.result("deprecate again")["changed"] is False
    absent = run.result("absent")
    assert absent["plan"] is None and absent["diff"]["after"] == {}
    # Every plan named Trial goes, the closed one included.
    assert sorted(absent["actions"]) == sorted(["delete " + staging["plan"]["id"], "delete " + anew["plan"]["id"],
                                                "deploy"])
    assert run.result("absent again")["changed"] is False and run.result("absent again")["actions"] == []
    assert apim.plans_named(api["id"], "Trial") == []
    assert [p["name"] for p in apim.served(api["id"])["plans"]] == ["Keyless"]


def test_api_by_id_and_module_defaults_for_the_gravitee_group(playbook, apim, sandbox):
    api = apim.make_api(started_with_keyless=True)
    defaults = {"group/gravitee_community.mcp.gravitee": {
        "apim_url": sandbox.urls["apim_url"], "apim_token": sandbox.seed["apim_token"],
        "am_url": sandbox.urls["am_url"], "am_username": "admin", "am_password": "not-used-by-apim_plan"}}
    # Wrong connection settings in the environment: only module_defaults can make the task succeed.
    env = {"GRAVITEE_APIM_URL": "http://127.0.0.1:9", "GRAVITEE_APIM_USERNAME": "nobody",
           "GRAVITEE_APIM_PASSWORD": "wrong"}
    run = playbook([oauth2_task(api_id=api["id"])], play_extra={"module_defaults": defaults}, env=env)
    assert run.rc == 0, run.output
    assert run.result("oauth2")["api_id"] == api["id"] and run.result("oauth2")["plan"]["status"] == "PUBLISHED"
    assert API_NAME == api["name"]
