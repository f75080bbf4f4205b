"""am_mcp_server add_secret / remove_secrets_except: a rotation where the old secret stays valid until retired."""

from tests.integration.test_am_mcp_server import MODULE, URL, server_with

BASE = {"domain": "mcp-domain", "name": "Weather", "resource_identifier": URL}


def step(name, register=None, **options):
    task = {"name": name, MODULE: dict(BASE, **options), "no_log": True}
    if register:
        task["register"] = register
    return task


def keep(var, path):
    return {"name": "keep " + var, "no_log": True,
            "ansible.builtin.copy": {"content": "{{ %s.client_secret }}" % var, "dest": str(path)}}


def test_add_keeps_the_old_secret_valid_and_remove_retires_it(sandbox, playbook, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    run = playbook([step("create", "created"), keep("created", first),
                    step("add", "added", add_secret="rotation-1"), keep("added", second),
                    step("add again", "again", add_secret="rotation-1")])
    assert run.rc == 0, run.output[-2000:]
    server = server_with(sandbox, URL)
    old, new = first.read_text(), second.read_text()
    assert old != new and sandbox.am.secret_matches(server, old) and sandbox.am.secret_matches(server, new)
    again = run.result("add again")
    assert again["changed"] is False  # a secret with that name exists: nothing added, nothing returned
    assert len(server["_secrets"]) == 2

    retire = playbook([step("retire", "retired", remove_secrets_except="rotation-1"),
                       step("retire again", "retired_again", remove_secrets_except="rotation-1")])
    assert retire.rc == 0, retire.output[-2000:]
    assert retire.result("retire")["changed"] is True and retire.result("retire again")["changed"] is False
    assert not sandbox.am.secret_matches(server, old) and sandbox.am.secret_matches(server, new)
    assert len([r for r in retire.writes if r["method"] == "DELETE"]) == 1


def test_removing_all_but_an_unknown_secret_is_refused_before_any_change(sandbox, playbook):
    made = playbook([step("create")])
    assert made.rc == 0
    refused = playbook([{**step("retire", remove_secrets_except="no-such-secret"), "no_log": False}])
    assert refused.rc != 0 and refused.writes == []
    msg = refused.result("retire")["msg"]
    assert "remove_secrets_except: MCP server 'Weather' has no client secret named 'no-such-secret'" in msg


def test_on_am_4_10_add_secret_fails_before_any_change(sandbox, playbook):
    sandbox.config.am_version = "4.10.6"
    made = playbook([step("create")])
    assert made.rc == 0
    refused = playbook([{**step("add", add_secret="rotation-1"), "no_log": False}])
    assert refused.rc != 0 and refused.writes == []
    assert refused.result("add")["msg"].startswith("add_secret: this AM has no secrets API")


def test_rotate_and_add_together_are_refused(sandbox, playbook):
    refused = playbook([{**step("both", rotate_secret=True, add_secret="x"), "no_log": False}])
    assert refused.rc != 0 and refused.writes == []
    assert "rotate_secret and add_secret: choose one" in refused.result("both")["msg"]


def test_a_short_client_secret_is_refused_with_a_message_ansible_does_not_garble(sandbox, playbook):
    # Ansible masks every occurrence of a no_log value: with "x" as a secret, "exists" would print "e********ists".
    refused = playbook([{"name": "short", MODULE: dict(BASE, client_secret="x")}])
    assert refused.rc != 0 and refused.writes == []
    msg = refused.result("short")["msg"]
    assert msg == ("client_secret: must be at least 8 characters long (got 1); a shorter one is weak, and Ansible "
                   "would mask its every occurrence in the task output, garbling messages.")
