"""mcp_probe's failures against the sandbox, each with the cause a user needs: a URL without
its trailing slash, an issuer or resource changed by a proxy that rewrites Host, DCR off, a wrong password, APIM
before 4.10 and a non-MCP API type, a 5xx on the first AS discovery URL, and waiting for a deployment."""

from tests.integration.mcp_probe_support import (
    HostRewritingProxy,
    checks_by_name,
    login,
    netloc,
    open_api,
    probe_task,
    set_am_server_url,
    set_dcr,
)
from tests.support import guide_http


def failed(run, name):
    result = run.result(name)
    assert result["failed"] is True and result["changed"] is False and result["ok"] is False
    return result, checks_by_name(result)


def test_url_without_its_trailing_slash_fails_at_am_with_the_resource_cause(playbook, sandbox):
    url = guide_http.secure_by_hand(sandbox.urls, sandbox.seed)["mcp_url"].rstrip("/")

    run = playbook([probe_task("no slash", url, ignore_errors=True, probe_retries=0, **login(sandbox))])

    result, checks = failed(run, "no slash")
    # Gravitee builds the published resource from the request, so discovery agrees with the URL...
    assert checks["resource"]["ok"] and checks["resource"]["got"] == url
    # ...but AM knows the MCP server by the URL with the slash, and refuses resource=<url> after the sign-in.
    assert result["failed_checks"] == ["login", "initialize", "tools_list"]
    assert checks["login"]["got"].startswith("redirect to the redirect URI with error invalid_target")
    assert "resource identifier is %s " % url in checks["login"]["cause"]
    assert "trailing slash" in checks["login"]["cause"]
    assert result["registration"]["deleted"] is True


def test_issuer_mismatch_when_the_am_resource_points_at_a_proxy_that_rewrites_host(playbook, sandbox):
    secured = guide_http.secure_by_hand(sandbox.urls, sandbox.seed)
    with HostRewritingProxy(sandbox.urls["am_gateway_url"]) as proxy:
        set_am_server_url(sandbox, secured["api"]["id"], proxy.url)

        run = playbook([probe_task("issuer", secured["mcp_url"], ignore_errors=True, probe_retries=0)])

    result, checks = failed(run, "issuer")
    assert result["failed_checks"] == ["issuer"]
    issuer = checks["issuer"]
    assert issuer["expected"] == "issuer equal to authorization_servers[0] %s/mcp-domain/oidc, exactly" % proxy.url
    assert issuer["got"] == sandbox.urls["am_gateway_url"] + "/mcp-domain/oidc"
    assert "port (%s instead of %s)" % (netloc(sandbox.urls["am_gateway_url"]).split(":")[1],
                                        netloc(proxy.url).split(":")[1]) in issuer["cause"]
    assert "serverURL to the public AM gateway URL" in issuer["cause"]
    assert result["msg"].startswith("1 of 8 MCP checks failed. issuer:")


def test_resource_mismatch_when_the_gateway_sits_behind_a_proxy_that_rewrites_host(playbook, sandbox):
    guide_http.secure_by_hand(sandbox.urls, sandbox.seed)
    with HostRewritingProxy(sandbox.urls["apim_gateway_url"]) as proxy:
        url = proxy.url + "/mcp-proxy/"

        run = playbook([probe_task("resource", url, ignore_errors=True, probe_retries=0)])

    result, checks = failed(run, "resource")
    assert result["failed_checks"] == ["resource"]
    assert checks["resource"]["got"] == sandbox.urls["apim_gateway_url"] + "/mcp-proxy/"
    assert "port (" in checks["resource"]["cause"] and "does not pass the original Host" in checks["resource"]["cause"]


def test_dcr_off_fails_the_registration_with_its_cause(playbook, sandbox):
    url = guide_http.secure_by_hand(sandbox.urls, sandbox.seed)["mcp_url"]
    set_dcr(sandbox, False)

    run = playbook([probe_task("dcr", url, ignore_errors=True, probe_retries=0, register_client=True)])

    result, checks = failed(run, "dcr")
    assert result["failed_checks"] == ["registration"]
    assert checks["registration"]["got"].startswith("403: registration_forbidden")
    assert "Dynamic Client Registration is off" in checks["registration"]["cause"]
    assert result["registration"] is None


def test_wrong_password_fails_the_login_and_stays_hidden(playbook, sandbox):
    url = guide_http.secure_by_hand(sandbox.urls, sandbox.seed)["mcp_url"]
    wrong = "Wrong-Passw0rd-%d" % sandbox.config.base_port

    run = playbook([probe_task("login", url, ignore_errors=True, probe_retries=0, **login(sandbox, wrong))])

    result, checks = failed(run, "login")
    assert result["failed_checks"] == ["login", "initialize", "tools_list"]
    assert checks["login"]["got"].startswith("login_failed (Invalid or unknown user) at ")
    assert "refused the username or password" in checks["login"]["cause"]
    assert checks["initialize"]["got"] == "not checked"
    assert result["registration"]["deleted"] is True
    assert wrong not in run.output


def test_apim_4_9_sends_no_challenge(playbook, sandbox):
    sandbox.config.apim_version = "4.9.0"  # no MCP Proxy APIs and no WWW-Authenticate yet: a plain proxy API
    url = guide_http.secure_by_hand(sandbox.urls, sandbox.seed, api_type="PROXY")["mcp_url"]

    run = playbook([probe_task("4.9", url, ignore_errors=True, probe_retries=0, checks=["challenge"])])

    result, checks = failed(run, "4.9")
    assert checks["challenge"]["got"] == "401 without WWW-Authenticate"
    assert "APIM before 4.10" in checks["challenge"]["cause"]


def test_a_proxy_api_on_4_12_has_no_resource_metadata_and_no_prm(playbook, sandbox):
    url = guide_http.secure_by_hand(sandbox.urls, sandbox.seed, api_type="PROXY")["mcp_url"]

    run = playbook([probe_task("proxy", url, ignore_errors=True, probe_retries=0)])

    result, checks = failed(run, "proxy")
    assert checks["challenge"]["got"] == "401 with WWW-Authenticate: Bearer scope=\"openid\""
    assert "MCP Proxy (MCP_PROXY)" in checks["challenge"]["cause"]
    # Clients then try the well-known URLs: Gravitee serves the inserted form only for MCP Proxy APIs.
    assert checks["resource_metadata"]["got"].startswith("404 at ")
    assert checks["issuer"]["got"] == "not checked"
    assert "resource_metadata check failed" in checks["issuer"]["cause"]


def test_a_5xx_on_the_first_as_discovery_url_fails_although_am_serves_the_third(playbook, sandbox):
    url = guide_http.secure_by_hand(sandbox.urls, sandbox.seed)["mcp_url"]
    sandbox.faults.add(component="am_gateway", path=r"^/\.well-known/oauth-authorization-server/", status=503)

    run = playbook([probe_task("5xx", url, ignore_errors=True, probe_retries=0)])

    result, checks = failed(run, "5xx")
    got = checks["authorization_server"]["got"]
    assert got.startswith("503 at %s/.well-known/oauth-authorization-server/mcp-domain/oidc" % sandbox.urls[
        "am_gateway_url"])
    assert "200 at %s/mcp-domain/oidc/.well-known/openid-configuration" % sandbox.urls["am_gateway_url"] in got
    assert "stop at a 5xx" in checks["authorization_server"]["cause"]
    assert set(result["failed_checks"]) == {"authorization_server", "issuer", "registration_endpoint", "pkce"}


def test_retries_wait_for_the_gateway_to_serve_a_deployment(playbook, sandbox):
    # Ansible needs ~1 s from the start request to the probe's first request, more on a loaded machine: 6 s keeps a
    # margin, and the patient probe's budget (60 x 0.25 s) outlasts it. The second API's deployment is made visible
    # only after 600 s, so the impatient probe meets the unsynced gateway however slow the machine is.
    sandbox.config.sync_delay = 6
    first, first_url = open_api(sandbox, "First", "/first/", start=False)
    second, second_url = open_api(sandbox, "Second", "/second/", start=False)
    start = "%s/management/v2/environments/DEFAULT/apis/{id}/_start" % sandbox.urls["apim_url"]
    auth = {"url_username": sandbox.seed["apim_username"], "url_password": sandbox.seed["apim_password"],
            "force_basic_auth": True, "method": "POST", "status_code": 204}
    slow_sync = {"url": sandbox.urls["apim_url"] + "/_sandbox/config", "method": "POST", "body_format": "json",
                 "body": {"sync_delay": 600}}

    # Each probe runs right after its API is started, before the gateway's next sync.
    run = playbook([
        {"name": "start first", "ansible.builtin.uri": dict(auth, url=start.format(id=first["id"]))},
        probe_task("patient", first_url, expect="open", probe_retries=60, probe_delay=0.25),
        {"name": "slow sync", "ansible.builtin.uri": slow_sync},
        {"name": "start second", "ansible.builtin.uri": dict(auth, url=start.format(id=second["id"]))},
        probe_task("no patience", second_url, expect="open", ignore_errors=True, probe_retries=0),
    ])

    patient = run.result("patient")
    assert patient["ok"] is True and patient["attempts"] > 1 and "echo" in patient["tools"]
    assert patient["checks"][0]["attempts"] == patient["attempts"]
    statuses = [e["status"] for e in run.exchanges if e["component"] == "apim_gateway" and e["path"] == "/first/"
                and e["method"] == "POST"]
    assert statuses[:patient["attempts"]] == [404] * (patient["attempts"] - 1) + [200]
    impatient, checks = failed(run, "no patience")
    assert impatient["attempts"] == 1 and checks["initialize"]["got"].startswith("404: ")
    assert "gateway has not synced it yet" in checks["initialize"]["cause"]
