"""am_mcp_server refusals against the sandbox: bad identifiers, duplicates, domains, credentials.

Every refusal must name the option and the fix, exit non-zero, and leave AM unchanged.
"""

import requests

from tests.integration.test_am_mcp_server import URL, mcp, server_with, servers, write_lines


def am_admin_call(sandbox, method, path, body):
    """A call to the sandbox AM management API as its admin (test set-up, outside the playbook run)."""
    base = sandbox.urls["am_url"] + "/management"
    token = requests.post(base + "/auth/token", auth=(sandbox.seed["am_username"], sandbox.seed["am_password"]),
                          timeout=10).json()["access_token"]
    answer = requests.request(method, base + "/organizations/DEFAULT/environments/DEFAULT" + path, json=body,
                              headers={"Authorization": "Bearer " + token}, timeout=10)
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def seeded_domain_id(sandbox):
    return sandbox.am.domain_by_path(sandbox.seed["am_domain"])["id"]


def test_bad_identifiers_and_tools_fail_before_any_request(sandbox, playbook):
    run = playbook([
        mcp("upper case", resource_identifier=["https://APIM-gw.example.com/Weather-MCP"], ignore_errors=True),
        mcp("fragment", resource_identifier=[URL + "#tools"], ignore_errors=True),
        mcp("underscore host", resource_identifier=["https://apim_gw.example.com/weather-mcp"], ignore_errors=True),
        mcp("tool names", tools=[{"name": "get forecast"}, {"name": "a"}, {"name": "a"}], ignore_errors=True),
    ])
    upper = run.result("upper case")
    assert upper["failed"] is True
    assert upper["msg"].startswith("resource_identifier: 'https://APIM-gw.example.com/Weather-MCP' contains upper-case")
    assert "Use 'https://apim-gw.example.com/weather-mcp'" in upper["msg"] and "invalid_target" in upper["msg"]
    fragment = run.result("fragment")
    assert fragment["failed"] is True and "has a fragment" in fragment["msg"]
    underscore = run.result("underscore host")
    assert underscore["failed"] is True and "has '_' in its host 'apim_gw.example.com'" in underscore["msg"]
    names = run.result("tool names")
    assert names["failed"] is True
    assert "tools: name 'get forecast'" in names["msg"] and "listed more than once: a" in names["msg"]
    assert run.exchanges == []  # refused before even a read
    assert servers(sandbox) == []


def test_duplicate_client_id_and_identifier(sandbox, playbook):
    domain_id = seeded_domain_id(sandbox)
    am_admin_call(sandbox, "POST", "/domains/%s/applications" % domain_id,
                  {"name": "billing", "type": "SERVICE", "clientId": "app-client"})
    second = URL + "-2"
    run = playbook([
        mcp("server a", client_id="weather-a"),
        mcp("client id of server a", resource_identifier=[second], client_id="weather-a", ignore_errors=True),
        mcp("client id of an application", resource_identifier=[second], client_id="app-client",
            ignore_errors=True),
        mcp("server b", name="Other", resource_identifier=[second]),
        mcp("identifiers of a and b", resource_identifier=[URL, second], ignore_errors=True),
        mcp("absent of a and b", resource_identifier=[URL, second], state="absent", name=None, ignore_errors=True),
    ])
    a, b = server_with(sandbox, URL), server_with(sandbox, second)

    clash = run.result("client id of server a")
    assert clash["failed"] is True
    assert clash["msg"].startswith("client_id: 'weather-a' is already the client id of MCP server 'Weather' (id %s"
                                   % a["id"])
    app_clash = run.result("client id of an application")  # AM's own check (applications), explained
    assert app_clash["failed"] is True
    assert "A client [app-client] already exists for domain [%s]" % domain_id in app_clash["msg"]
    assert "client_id 'app-client' is already used by an application or another MCP server" in app_clash["msg"]

    for title in ("identifiers of a and b", "absent of a and b"):
        both = run.result(title)
        assert both["failed"] is True
        assert both["msg"].startswith("resource_identifier: the identifiers belong to 2 different MCP servers")
        assert "'%s' held by MCP server 'Weather' (id %s" % (URL, a["id"]) in both["msg"]
        assert "'%s' held by MCP server 'Other' (id %s" % (second, b["id"]) in both["msg"]
    # Only the two creations and AM's refusal of the application's client id reached AM as writes.
    assert write_lines(run) == ["POST protected-resources 201", "POST protected-resources 400",
                                "POST protected-resources 201"]
    assert len(servers(sandbox)) == 2 and a["resourceIdentifiers"] == [URL] and b["resourceIdentifiers"] == [second]


def test_unknown_domain_disabled_domain_and_bad_credentials(sandbox, playbook):
    am_admin_call(sandbox, "POST", "/domains", {"name": "sleeping", "dataPlaneId": "default"})  # created disabled
    run = playbook([
        mcp("unknown domain", domain="no-such-domain", ignore_errors=True),
        mcp("disabled domain", domain="sleeping", ignore_errors=True),
        mcp("bad credentials", am_password="not-the-password", ignore_errors=True),
    ])
    unknown = run.result("unknown domain")
    assert unknown["failed"] is True
    assert unknown["msg"].startswith("AM domain 'no-such-domain' was not found")
    disabled = run.result("disabled domain")
    assert disabled["failed"] is True
    assert "AM domain 'sleeping'" in disabled["msg"] and "is disabled" in disabled["msg"]
    bad = run.result("bad credentials")
    assert bad["failed"] is True and bad["status"] == 401
    assert "am_username / am_password" in bad["msg"]
    assert "not-the-password" not in run.output
    assert run.writes == [] and servers(sandbox) == []
