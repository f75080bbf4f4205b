"""Wrong input met as a new user meets it: each failure names the option and the fix, writes nothing and
fails the run. One playbook carries every case (each task fails on its own; the last one ends the run)."""

from tests.integration.apim_api_support import api_task

MCP_SERVER = "gravitee_community.mcp.am_mcp_server"


def mcp_server_task(name, **options):
    args = {"domain": "mcp-domain", "name": "Weather", "resource_identifier": ["https://gw.example.com/weather"]}
    args.update(options)
    return {"name": name, MCP_SERVER: args, "ignore_errors": True}


def test_wrong_urls_and_bad_input_name_the_option_and_the_fix(sandbox, playbook, tmp_path):
    urls = sandbox.urls
    tasks = [
        api_task(sandbox, "apim_url at AM", ignore_errors=True, apim_url=urls["am_url"]),
        api_task(sandbox, "apim_url at the APIM gateway", ignore_errors=True, apim_url=urls["apim_gateway_url"]),
        mcp_server_task("am_url at APIM", am_url=urls["apim_url"]),
        mcp_server_task("am_url at the AM gateway", am_url=urls["am_gateway_url"]),
        api_task(sandbox, "https to plain HTTP", ignore_errors=True,
                 apim_url=urls["apim_url"].replace("http://", "https://")),
        api_task(sandbox, "resources as a string", ignore_errors=True, resources="am"),
        api_task(sandbox, "missing ca_path", ignore_errors=True, ca_path=str(tmp_path / "no-such-ca.pem")),
        api_task(sandbox, "upper-case context_path", context_path="/MCP-Proxy"),
    ]
    run = playbook(tasks)
    assert run.rc != 0
    expected = {
        "apim_url at AM": ["No Bearer token found", "apim_url seems to point at the AM management API",
                           "Set apim_url (GRAVITEE_APIM_URL) to the root URL of the APIM management API"],
        "apim_url at the APIM gateway": ["apim_url seems to point at an APIM gateway, not at the APIM management"],
        "am_url at APIM": ["am_url seems to point at the APIM management API, not at the AM management API",
                           "Set am_url (GRAVITEE_AM_URL) to the root URL of the AM management API"],
        "am_url at the AM gateway": ["am_url seems to point at an AM gateway"],
        "https to plain HTTP": ["answers in plain HTTP, not TLS: apim_url (GRAVITEE_APIM_URL) uses https://",
                                "Set apim_url (GRAVITEE_APIM_URL) to %s" % urls["apim_url"]],
        "resources as a string": ["Elements value for option 'resources' is of type str",
                                  "resources must be a list of dictionaries"],
        "missing ca_path": ["ca_path (GRAVITEE_CA_PATH) is %s, which does not exist." % (tmp_path / "no-such-ca.pem"),
                            "Set ca_path to the PEM file"],
        "upper-case context_path": ["context_path must be lower case, got '/MCP-Proxy'",
                                    "Use context_path: /mcp-proxy."],
    }
    for name, parts in expected.items():
        result = run.result(name)
        assert result.get("failed") is True, (name, result)
        for part in parts:
            assert part in result["msg"], (name, result["msg"])
        assert "Check apim_username" not in result["msg"] and "********" not in result["msg"]
    assert run.writes == []
    # The input checks come before any request; the sandbox saw only the wrong-URL calls.
    assert sandbox.apim.apis == {}


def test_module_output_is_not_masked_by_the_seeded_passwords(sandbox, playbook):
    """Ansible masks every no_log value wherever it occurs: with a password such as "admin", this description
    would come back as "Run by the ******** team"."""
    description = "Run by the admin team; admin contact: alice"
    run = playbook([api_task(sandbox, description=description, deployed=False)])
    assert run.rc == 0, run.output
    assert run.result("api")["api"]["description"] == description
    assert sandbox.seed["apim_password"] not in run.output
