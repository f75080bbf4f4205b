"""The secure_mcp role on the guide's path without DCR (secure_mcp_dcr: false, secure_mcp_clients), and the
client configuration it hands out (secure_mcp_client_config, secure_mcp_client_config_file).

Proof: the official MCP SDK, configured with the static client id only (no registration), logs in through AM and
calls a tool through the gateway.
"""

import json

from tests.integration.role_support import ROLE, management_writes, mcp_url, role_vars, run_play, summaries
from tests.support.mcp_client import REDIRECT_URI, oauth_session, run

VSCODE = {"name": "VS Code", "client_id": "vscode-mcp", "type": "native",
          "redirect_uris": [REDIRECT_URI, "https://vscode.dev/redirect"]}
AGENT = {"name": "Reporting agent", "type": "web", "redirect_uris": ["https://agent.example.com/cb"]}
READ_SECRET = "Read the agent's secret (no_log)"


def play(sandbox, config_file, **overrides):
    values = role_vars(sandbox, **dict({"secure_mcp_dcr": False, "secure_mcp_verify": "discovery",
                                        "secure_mcp_clients": [VSCODE, AGENT],
                                        "secure_mcp_client_config_file": str(config_file)}, **overrides))
    return [{"name": "Secure an MCP server for two pre-registered clients", "hosts": "localhost",
             "connection": "local", "gather_facts": False,
             "tasks": [
                 {"name": "Secure MCP", "ansible.builtin.import_role": {"name": ROLE}, "vars": values},
                 # How a playbook reads a web client's secret: from the registered result, in a no_log task.
                 {"name": READ_SECRET, "no_log": True, "ansible.builtin.set_fact": {"agent_secret": (
                     "{{ secure_mcp_client_apps.results | selectattr('item.name', 'equalto', 'Reporting agent')"
                     " | map(attribute='client_secret') | select('defined') | first | default('') }}")}},
                 {"name": "Keep it where its owner wants it", "no_log": True, "ansible.builtin.copy": {
                     "content": "{{ agent_secret }}", "dest": str(config_file.parent / "agent.secret"), "mode": "0600"},
                  # Shown once: only the run that created the application has it.
                  "when": "agent_secret | length > 0"},
                 {"name": "Show the config", "ansible.builtin.debug": {"var": "secure_mcp_client_config"}},
                 {"name": "Secret length", "ansible.builtin.debug": {"msg": "{{ agent_secret | length }}"}},
             ]}]


def domain(sandbox):
    return sandbox.am.domain_by_path(sandbox.seed["am_domain"])


def test_static_clients_instead_of_dcr_and_the_sdk_logs_in_with_the_client_id(sandbox, tmp_path):
    url = mcp_url(sandbox)
    config_file = tmp_path / "mcp-client.json"
    first = run_play(sandbox, play(sandbox, config_file))
    assert first.rc == 0, first.output

    # AM: the two applications; DCR stays off, the loopback redirect flags are on for VS Code's redirect URI.
    apps = {a["name"]: a for a in sandbox.am.applications.values()}
    assert set(apps) == {"VS Code", "Reporting agent"}
    assert apps["VS Code"]["settings"]["oauth"]["clientId"] == "vscode-mcp"
    assert apps["VS Code"]["settings"]["oauth"]["tokenEndpointAuthMethod"] == "none"
    settings = domain(sandbox)["oidc"]["clientRegistrationSettings"]
    assert settings["isDynamicClientRegistrationEnabled"] is False
    assert settings["allowLocalhostRedirectUri"] is True and settings["allowHttpSchemeRedirectUri"] is True

    # The web client's secret reaches the playbook only through the no_log registered result.
    secret_length = next(r for r in first.results() if r["name"] == "Secret length")["msg"]
    assert int(secret_length) >= 8
    agent_secret = next(r for r in first.results() if r["name"] == READ_SECRET)
    assert "agent_secret" not in json.dumps(agent_secret.get("ansible_facts", {}))

    # The summary and the client configuration: URL and client ids, never a secret.
    (summary,) = summaries(first)
    clients = {c["name"]: c for c in summary["clients"]}
    assert clients["VS Code"]["client_id"] == "vscode-mcp" and clients["VS Code"]["mcp_url"] == url
    agent_id = apps["Reporting agent"]["settings"]["oauth"]["clientId"]
    assert clients["Reporting agent"]["client_id"] == agent_id
    assert "client id" in summary["client_setup"]
    config = next(r for r in first.results() if r["name"] == "Show the config")["secure_mcp_client_config"]
    assert config["vscode"] == {"servers": {"Sandbox MCP server": {"type": "http", "url": url}}}
    assert config["generic"]["url"] == url and config["generic"]["registration"] == "static"
    assert {c["name"]: c["client_id"] for c in config["generic"]["clients"]} == {
        "VS Code": "vscode-mcp", "Reporting agent": agent_id}
    assert json.loads(config_file.read_text()) == config
    secret = (tmp_path / "agent.secret").read_text()
    assert sandbox.am.secret_matches(apps["Reporting agent"], secret)
    assert secret not in first.stdout + first.stderr + config_file.read_text()
    assert "secret" not in config_file.read_text()

    # A rerun: nothing changes, not one write.
    again = run_play(sandbox, play(sandbox, config_file))
    assert again.rc == 0, again.output
    assert management_writes(again) == []
    assert again.changed == 0, [r["name"] for r in again.results() if r.get("changed")]

    # The official MCP SDK with the static client id: no registration, a login, a tool call through the gateway.
    since = sandbox.log.last_seq()
    client = run(oauth_session(url, sandbox.seed["am_user"], sandbox.seed["am_user_password"], "echo",
                               {"text": "static client"}, client_id="vscode-mcp"))
    assert client["client_id"] == "vscode-mcp"
    assert client["call"] and "static client" in client["call"][0]
    paths = [e["path"] for e in sandbox.log.since(since)]
    assert not [p for p in paths if p.endswith("/oidc/register")]
    assert any(p.endswith("/oauth/token") for p in paths)


def test_absent_removes_the_client_applications(sandbox, tmp_path):
    assert run_play(sandbox, play(sandbox, tmp_path / "c.json")).rc == 0
    gone = run_play(sandbox, play(sandbox, tmp_path / "c.json", secure_mcp_state="absent"))
    assert gone.rc == 0, gone.output
    assert list(sandbox.am.applications.values()) == []


def test_verify_with_dcr_refused_when_dcr_stays_off(sandbox, tmp_path):
    bad = run_play(sandbox, play(sandbox, tmp_path / "c.json", secure_mcp_verify="dcr"))
    assert bad.rc != 0
    assert "secure_mcp_verify" in bad.output and "secure_mcp_dcr" in bad.output
