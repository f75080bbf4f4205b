"""am_mcp_server ``url_forms``: the MCP server holds each identifier with and without its trailing slash; a server
made with one form gains the other once, then reruns send no write."""

from tests.integration.test_am_mcp_server import mcp, request_bodies, server_with, write_lines

SLASHED = "https://apim-gw.example.com/weather-mcp/"
BARE = SLASHED.rstrip("/")


def test_url_forms_adds_the_missing_form_once(sandbox, playbook):
    run = playbook([
        mcp("one form", resource_identifier=[SLASHED]),
        mcp("both forms in check mode", resource_identifier=[SLASHED], url_forms=True, check_mode=True, diff=True),
        mcp("both forms", resource_identifier=[SLASHED], url_forms=True),
        mcp("rerun", resource_identifier=[SLASHED], url_forms=True),
        mcp("rerun given the other form", resource_identifier=[BARE], url_forms=True),
    ])
    assert run.rc == 0, run.output
    stored = server_with(sandbox, SLASHED)
    assert stored["resourceIdentifiers"] == [SLASHED, BARE]

    check = run.result("both forms in check mode")
    assert check["changed"] is True and check["mcp_server"]["resource_identifiers"] == [SLASHED, BARE]
    assert check["diff"]["before"]["resource_identifiers"] == [SLASHED]
    assert run.result("both forms")["changed"] is True
    assert [run.result(n)["changed"] for n in ("rerun", "rerun given the other form")] == [False, False]
    # One create, one PATCH of the identifiers alone; check mode and the reruns wrote nothing.
    assert write_lines(run) == ["POST protected-resources 201", "PATCH protected-resources/%s 200" % stored["id"]]
    assert request_bodies(sandbox, run, "PATCH") == [{"resourceIdentifiers": [SLASHED, BARE]}]
