"""What the secure_mcp role asks AM, counted in the sandbox's request log (issue 14): one AM login per role call,
handed on to every AM task (never printed, even with -vvvv), the domain looked up once for the MCP server, and a
token that AM refuses half way (expired) renewed once with the login."""

from tests.integration.harness import token_exchanges
from tests.integration.role_support import management_writes, run_playbook_file

FAST = {"secure_mcp_probe_delay": 0.5, "secure_mcp_verify": "discovery"}


def am_requests(run):
    return [(e["method"], e["path"].rsplit("/", 1)[-1]) for e in run.exchanges if e["component"] == "am_mgmt"]


def apim_requests(run):
    """(method, path below the environment) of every APIM management request, ids replaced by {id}."""
    base = "/management/v2/organizations/DEFAULT/environments/DEFAULT"
    found = []
    for entry in run.exchanges:
        if entry["component"] == "apim_mgmt":
            path = entry["path"][len(base):] if entry["path"].startswith(base) else entry["path"]
            found.append((entry["method"], "/".join("{id}" if len(p) >= 32 else p for p in path.split("/"))))
    return found


def test_a_first_run_and_a_rerun_each_log_in_to_am_once_and_print_no_token(sandbox, assert_no_am_login_secret):
    first = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert first.rc == 0, first.output
    assert len(token_exchanges(first)) == 1
    domain_id = next(iter(sandbox.am.domains))
    # Preflight: login, domain, MCP servers; MCP server: list, create (its answer is not read back); DCR: the
    # PATCH, decided from the preflight's domain (known_domain); registration: the domain read again before its
    # PATCH (AM replaces loginSettings whole); the secret check after the API's resource was written: MCP servers.
    assert am_requests(first) == [
        ("POST", "token"), ("GET", "mcp-domain"), ("GET", "protected-resources"),
        ("GET", "protected-resources"), ("POST", "protected-resources"),
        ("PATCH", domain_id),
        ("GET", "mcp-domain"), ("PATCH", domain_id),
        ("GET", "protected-resources")]

    rerun = run_playbook_file(sandbox, "secure_mcp.yml", FAST, callback="default", verbosity=4)
    assert rerun.rc == 0, rerun.output
    assert management_writes(rerun) == []
    assert am_requests(rerun) == [
        ("POST", "token"), ("GET", "mcp-domain"), ("GET", "protected-resources"),  # preflight
        ("GET", "protected-resources")]  # MCP server, by the domain id the preflight found; DCR, registration: none
    # Two logins in all, and neither token (nor the AM password) is in the -vvvv output.
    assert_no_am_login_secret(rerun.output, logins=2)


def test_the_role_reads_the_api_once_and_again_only_to_put_it(sandbox):
    first = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert first.rc == 0, first.output
    # Preflight: environment, _search (no match: every API listed once, for the name and for the context path);
    # step 1 creates the API the preflight did not find (APIM refuses a second one on its path); from then on each
    # apim_api task starts from the API as the task before it left it (known_api), reads the API again only to PUT
    # it and the plans only to create one (APIM would take a duplicate); the secret check reads the API by id.
    assert apim_requests(first) == [
        ("GET", ""), ("POST", "/apis/_search"), ("GET", "/apis"),  # preflight
        ("POST", "/apis"),  # 1: the API
        ("GET", "/apis/{id}/plans"), ("POST", "/apis/{id}/plans"),  # 1: Keyless, started
        ("POST", "/apis/{id}/plans/{id}/_publish"), ("POST", "/apis/{id}/_start"),
        ("GET", "/apis/{id}"), ("PUT", "/apis/{id}"),  # 5: AM resource
        ("GET", "/apis/{id}"),  # 5: secret check
        ("GET", "/apis/{id}/plans"), ("POST", "/apis/{id}/plans"),  # 5: OAuth2, Keyless
        ("POST", "/apis/{id}/plans/{id}/_publish"), ("POST", "/apis/{id}/plans/{id}/_close"),
        ("POST", "/apis/{id}/deployments")]

    rerun = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert rerun.rc == 0 and management_writes(rerun) == [], rerun.output
    # Preflight: environment, _search, the API (it holds the context path: no list of every API) and its plans
    # (known_api); steps 1 and 5 decide from what the preflight read and send nothing.
    assert apim_requests(rerun) == [("GET", ""), ("POST", "/apis/_search"), ("GET", "/apis/{id}"),
                                    ("GET", "/apis/{id}/plans")]


def test_removal_logs_in_once(sandbox):
    secured = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_verify="none"))
    assert secured.rc == 0, secured.output
    removed = run_playbook_file(sandbox, "secure_mcp.yml", dict(FAST, secure_mcp_state="absent"))
    assert removed.rc == 0, removed.output
    assert len(token_exchanges(removed)) == 1
    deletes = [e["path"] for e in removed.exchanges if e["component"] == "am_mgmt" and e["method"] == "DELETE"]
    assert len(deletes) == 1 and "/protected-resources/" in deletes[0]


def test_a_token_am_refuses_half_way_is_renewed_once_with_the_login(sandbox):
    # AM refuses the handed token on the DCR step's write, as it does once the token expired.
    sandbox.faults.add(component="am_mgmt", method="PATCH", path=r"/domains/[^/]+$", status=401, times=1)
    run = run_playbook_file(sandbox, "secure_mcp.yml", FAST)
    assert run.rc == 0, run.output
    assert len(token_exchanges(run)) == 2  # the preflight's login, and one renewal
    patches = [e["status"] for e in run.exchanges if e["component"] == "am_mgmt" and e["method"] == "PATCH"]
    assert patches == [401, 200, 200]  # the refused DCR write sent again once, then the registration's
    domain = next(iter(sandbox.am.domains.values()))
    assert domain["oidc"]["clientRegistrationSettings"]["isDynamicClientRegistrationEnabled"] is True
