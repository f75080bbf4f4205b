"""am_mcp_server against the sandbox AM with real ansible-playbook runs: lifecycle, credentials, rotation.

Each run groups several tasks; "rerun sends no write" is proved by the run's whole list of
write requests, which would hold more than the expected ones otherwise.
"""

import json

MODULE = "gravitee_community.mcp.am_mcp_server"
NO_LOG = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
URL = "https://apim-gw.example.com/weather-mcp"
BASE = "/management/organizations/DEFAULT/environments/DEFAULT/domains/"


def mcp(title, **options):
    """A task of the module; ``check_mode``/``ignore_errors``/``register`` go on the task."""
    task_keys = {k: options.pop(k) for k in ("check_mode", "ignore_errors", "register", "no_log", "diff")
                 if k in options}
    args = {"domain": "mcp-domain", "name": "Weather", "resource_identifier": [URL]}
    args.update(options)
    return {"name": title, MODULE: {k: v for k, v in args.items() if v is not None}, **task_keys}


def servers(sandbox):
    return list(sandbox.am.protected_resources.values())


def server_with(sandbox, identifier):
    found = [r for r in servers(sandbox) if identifier in r["resourceIdentifiers"]]
    assert len(found) == 1, found
    return found[0]


def write_lines(run):
    """``METHOD path-after-the-domain-id status`` for each write of the run."""
    lines = []
    for entry in run.writes:
        tail = entry["path"].split(BASE, 1)[-1].split("/", 1)[-1]
        lines.append("%s %s %s" % (entry["method"], tail, entry["status"]))
    return lines


def request_bodies(sandbox, run, method):
    """Bodies the sandbox received for ``method`` during ``run`` (bodies are captured for the contract checks)."""
    seqs = {e["seq"] for e in run.exchanges if e["method"] == method and e["component"] == "am_mgmt"}
    return [json.loads(e["_request_body"] or b"null") for e in sandbox.log.entries
            if e["seq"] in seqs and not e["path"].endswith("/auth/token")]


def token_requests(run):
    return [e for e in run.exchanges if e["path"] == "/management/auth/token"]


def test_create_rerun_update_with_one_token_per_task(sandbox, playbook):
    tools = [{"name": "get_forecast", "description": "Forecast", "scopes": ["profile"]}]
    new_tools = [{"name": "get_forecast"}, {"name": "get_alerts", "description": "Alerts"}]
    run = playbook([
        mcp("create", tools=tools),
        mcp("rerun", tools=tools),
        mcp("update in check mode", name="Weather 2", check_mode=True),
        mcp("update", name="Weather 2", description="Forecasts", tools=new_tools),
        mcp("rerun update", name="Weather 2", description="Forecasts", tools=new_tools),
    ])
    assert run.rc == 0, run.output
    create, rerun, check, update, rerun_update = (run.result(n) for n in (
        "create", "rerun", "update in check mode", "update", "rerun update"))
    stored = server_with(sandbox, URL)

    assert create["changed"] is True
    secret = create["client_secret"]
    assert sandbox.am.secret_matches(stored, secret)  # the returned secret is the one AM holds
    assert create["mcp_server"] == {
        "id": stored["id"], "name": "Weather", "description": None, "client_id": stored["clientId"],
        "resource_identifiers": [URL], "tools": [{"name": "get_forecast", "description": "Forecast",
                                                  "scopes": ["profile"]}]}
    assert json.dumps(create).count(secret) == 1

    assert rerun["changed"] is False and "client_secret" not in rerun
    assert check["changed"] is True and check["mcp_server"]["name"] == "Weather 2"
    assert check["diff"]["before"]["name"] == "Weather" and check["diff"]["after"]["name"] == "Weather 2"
    assert update["changed"] is True and "client_secret" not in update
    # The stored description of an existing tool survives a tools list that does not mention it.
    assert update["mcp_server"]["tools"] == [
        {"name": "get_forecast", "description": "Forecast", "scopes": ["profile"]},
        {"name": "get_alerts", "description": "Alerts", "scopes": []}]
    assert rerun_update["changed"] is False

    # One create, one PATCH: reruns and check mode wrote nothing.
    assert write_lines(run) == ["POST protected-resources 201", "PATCH protected-resources/%s 200" % stored["id"]]
    patch = request_bodies(sandbox, run, "PATCH")[0]
    assert sorted(patch) == ["description", "features", "name"]
    assert patch["features"][0] == {"key": "get_forecast", "type": "MCP_TOOL", "description": "Forecast",
                                    "scopes": ["profile"]}
    # One management token per module run, although each run makes several AM calls.
    assert len(token_requests(run)) == 5
    assert len([e for e in run.exchanges if e["component"] == "am_mgmt"]) > 15
    assert sandbox.am.secret_matches(server_with(sandbox, URL), secret)  # the update kept the secret


def test_check_mode_then_absent(sandbox, playbook):
    check = playbook([mcp("create", tools=[{"name": "t1"}])], check=True)
    assert check.rc == 0, check.output
    result = check.result("create")
    assert result["changed"] is True and result["mcp_server"]["id"] is None and "client_secret" not in result
    assert check.writes == [] and servers(sandbox) == []

    run = playbook([
        mcp("create"),
        mcp("absent in check mode", state="absent", name=None, check_mode=True),
        mcp("absent", state="absent", name=None),
        mcp("absent again", state="absent", name=None),
    ])
    assert run.rc == 0, run.output
    assert [run.result(n)["changed"] for n in ("absent in check mode", "absent", "absent again")] == [True, True,
                                                                                                      False]
    assert run.result("absent")["mcp_server"] is None
    assert run.result("absent")["diff"]["before"]["resource_identifiers"] == [URL]
    assert [line.split(" ")[0] for line in write_lines(run)] == ["POST", "DELETE"]
    assert servers(sandbox) == []
    # Real AM answers a list, get or delete without ?type=MCP_SERVER with 500 "Internal error": always sent.
    untyped = [e for e in run.exchanges if e["method"] in ("GET", "DELETE") and "/protected-resources" in e["path"]
               and "/secrets" not in e["path"] and "type=MCP_SERVER" not in (e.get("query") or "")]
    assert untyped == [] and any(e["method"] == "DELETE" and "/protected-resources/" in e["path"]
                                 for e in run.exchanges)


def test_supplied_credentials_are_used_on_creation_only(sandbox, playbook):
    other = URL + "-2"
    run = playbook([
        mcp("create", client_id="weather-mcp", client_secret="Supplied-Secret-1"),
        mcp("another secret on rerun", client_id="weather-mcp", client_secret="Other-Secret-2"),
        mcp("always on existing", client_id="weather-mcp", client_secret="Other-Secret-2", update_secret="always",
            ignore_errors=True),
        mcp("another client id", client_id="weather-mcp-2", ignore_errors=True),
        mcp("always on creation", resource_identifier=[other], client_secret="Always-Secret-3",
            update_secret="always"),
    ])
    assert run.rc == 0, run.output
    stored = server_with(sandbox, URL)
    assert stored["clientId"] == "weather-mcp"
    assert sandbox.am.secret_matches(stored, "Supplied-Secret-1")
    assert not sandbox.am.secret_matches(stored, "Other-Secret-2")
    assert sandbox.am.secret_matches(server_with(sandbox, other), "Always-Secret-3")

    create = run.result("create")
    assert create["mcp_server"]["client_id"] == "weather-mcp"
    assert create["client_secret"] == NO_LOG  # Ansible hides a no_log option's value; the user has it
    assert run.result("another secret on rerun")["changed"] is False
    always = run.result("always on existing")
    assert always["failed"] is True and always["msg"].startswith("update_secret: always cannot be honoured")
    assert "rotate_secret: true" in always["msg"]
    other_id = run.result("another client id")
    assert other_id["failed"] is True
    assert "client_id: MCP server 'Weather'" in other_id["msg"] and "not 'weather-mcp-2'" in other_id["msg"]
    assert "AM cannot change the client id" in other_id["msg"]
    assert write_lines(run) == ["POST protected-resources 201", "POST protected-resources 201"]
    assert "Supplied-Secret-1" not in run.output and "Always-Secret-3" not in run.output


def test_rotation_on_am_411(sandbox, playbook):
    sandbox.config.am_version = "4.11.14"
    run = playbook([
        mcp("create"),
        mcp("rotate in check mode", rotate_secret=True, check_mode=True),
        mcp("rotate", rotate_secret=True),
        mcp("rerun"),
    ])
    assert run.rc == 0, run.output
    stored = server_with(sandbox, URL)
    first, rotated = run.result("create")["client_secret"], run.result("rotate")["client_secret"]
    assert first != rotated
    assert sandbox.am.secret_matches(stored, rotated) and not sandbox.am.secret_matches(stored, first)
    check = run.result("rotate in check mode")
    assert check["changed"] is True and "client_secret" not in check
    assert run.result("rotate")["changed"] is True and run.result("rerun")["changed"] is False
    assert "client_secret" not in run.result("rerun")
    secrets = sandbox.am.protected_resources[stored["id"]]["_secrets"]
    assert write_lines(run) == ["POST protected-resources 201",
                                "POST protected-resources/%s/secrets/%s/_renew 200" % (stored["id"],
                                                                                     secrets[0]["id"])]


def test_am_410_creates_and_updates_but_refuses_rotation(sandbox, playbook):
    sandbox.config.am_version = "4.10.20"
    tools = [{"name": "get_forecast", "scopes": ["profile"]}]
    run = playbook([
        mcp("create", tools=tools),
        mcp("rerun", tools=tools),
        mcp("rotate and rename", name="Renamed", rotate_secret=True, ignore_errors=True),
        mcp("update tools", tools=[{"name": "get_forecast", "description": "Forecast"}]),
    ])
    assert run.rc == 0, run.output
    stored = server_with(sandbox, URL)
    refused = run.result("rotate and rename")
    assert refused["failed"] is True
    assert refused["msg"].startswith("rotate_secret: this AM has no secrets API for MCP servers")
    assert "needs AM 4.11 or later" in refused["msg"] and "delete the MCP server (state: absent)" in refused["msg"]
    assert run.result("rerun")["changed"] is False
    assert stored["name"] == "Weather"  # the refused task did not rename either
    assert [(f["key"], f.get("description")) for f in stored["features"]] == [("get_forecast", "Forecast")]
    assert write_lines(run) == ["POST protected-resources 201", "PATCH protected-resources/%s 200" % stored["id"]]
    # The version was learnt from a read: the secrets list answered 404 (no such route on 4.10).
    probes = [e for e in run.exchanges if e["path"].endswith("/secrets")]
    assert [(e["method"], e["status"]) for e in probes] == [("GET", 404)]


def test_am_older_than_410_is_refused(sandbox, playbook):
    sandbox.config.am_version = "4.9.5"
    run = playbook([mcp("create", ignore_errors=True)])
    result = run.result("create")
    assert result["failed"] is True and "MCP servers need AM 4.10 or later" in result["msg"]
    assert run.writes == []


def test_module_defaults_for_the_gravitee_group(sandbox, playbook, group_defaults):
    """One group/gravitee_community.mcp.gravitee block with APIM and AM options serves this AM module."""
    # The environment points nowhere: only module_defaults can make the task work.
    dead = {"GRAVITEE_AM_URL": "http://127.0.0.1:9", "GRAVITEE_AM_USERNAME": "nobody",
            "GRAVITEE_AM_PASSWORD": "wrong"}
    run = playbook([mcp("create")], env=dead,
                   play_extra=group_defaults(timeout=20))
    assert run.rc == 0, run.output
    assert run.result("create")["changed"] is True
    assert server_with(sandbox, URL)["name"] == "Weather"
