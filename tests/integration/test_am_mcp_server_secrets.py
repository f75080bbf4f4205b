"""No client secret, password or management token in am_mcp_server's output, even at -vvvv with --diff.

The secrets AM generates are returned under ``client_secret`` only, so the tasks that get them
use ``no_log: true`` (as the EXAMPLES do) and hand them to later tasks through a file; the
rest of those results is printed on purpose, to prove no other key carries a secret. The
task with a supplied secret runs *without* no_log, to prove the module masks it itself.
"""

from tests.integration.test_am_mcp_server import MODULE, URL, server_with


def test_no_secret_in_verbose_output(sandbox, playbook, tmp_path):
    created_file, rotated_file = tmp_path / "created", tmp_path / "rotated"
    supplied = "Supplied-Vvvv-Secret-9"
    other = URL + "-supplied"
    not_secret = "{{ %s | dict2items | rejectattr('key', 'equalto', 'client_secret') | items2dict }}"
    tasks = [
        {"name": "create", MODULE: {"domain": "mcp-domain", "name": "Weather", "resource_identifier": URL},
         "register": "created", "no_log": True},
        {"name": "keep the created secret", "ansible.builtin.copy": {
            "content": "{{ created.client_secret }}", "dest": str(created_file)}, "no_log": True},
        {"name": "show the created result but its secret", "ansible.builtin.debug": {"msg": not_secret % "created"}},
        {"name": "rotate", MODULE: {"domain": "mcp-domain", "name": "Weather", "resource_identifier": URL,
                                    "rotate_secret": True}, "register": "rotated", "no_log": True},
        {"name": "keep the rotated secret", "ansible.builtin.copy": {
            "content": "{{ rotated.client_secret }}", "dest": str(rotated_file)}, "no_log": True},
        {"name": "show the rotated result but its secret", "ansible.builtin.debug": {"msg": not_secret % "rotated"}},
        {"name": "supplied secret without no_log", MODULE: {
            "domain": "mcp-domain", "name": "Supplied", "resource_identifier": other, "client_id": "supplied-id",
            "client_secret": "{{ supplied_secret }}"}},
        {"name": "failure with the supplied secret", MODULE: {
            "domain": "mcp-domain", "name": "Supplied", "resource_identifier": other,
            "client_secret": "{{ supplied_secret }}", "update_secret": "always"}, "ignore_errors": True},
    ]
    # From a variable, as from a vault: on failure Ansible quotes the task's source lines.
    run = playbook(tasks, callback="default", verbosity=4, diff=True, env={"SUPPLIED_SECRET": supplied},
                   play_extra={"vars": {"supplied_secret": "{{ lookup('ansible.builtin.env', 'SUPPLIED_SECRET') }}"}})
    assert run.rc == 0, run.output[-3000:]
    created, rotated = created_file.read_text(), rotated_file.read_text()
    assert len(created) >= 16 and len(rotated) >= 16 and created != rotated
    assert sandbox.am.secret_matches(server_with(sandbox, URL), rotated)
    assert sandbox.am.secret_matches(server_with(sandbox, other), supplied)
    # The run did print the results (so the grep below is meaningful) ...
    assert "update_secret: always cannot be honoured" in run.output
    assert "'client_id': 'supplied-id'" in run.output or '"client_id": "supplied-id"' in run.output
    assert run.output.count("resource_identifiers") >= 4
    # ... and none of the secrets it handled.
    tokens = list(sandbox.am.mgmt_tokens)
    assert len(tokens) == 4  # one management JWT per module run (4 module tasks)
    for secret in [created, rotated, supplied, sandbox.seed["am_password"], *tokens]:
        assert secret not in run.output
