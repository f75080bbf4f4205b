"""Gateway routing: only deployed, started APIs are served, after the sync delay, by longest context path."""

import time

import httpx2

from tests.sandbox.apim.gateway.routing import match_route, normalise_context_path, original_url
from tests.sandbox_tests.apim.gateway.helpers import deploy, initialize_body, mcp_api, plan, post, rpc_result

NOT_FOUND = "No context-path matches the request URI."


def _open_api(sandbox, context_path="/mcp-proxy/", api_type="MCP_PROXY", wait=True):
    api = mcp_api(sandbox.urls["upstream_url"], context_path, api_type)
    return deploy(sandbox, api, [plan(api, "KEY_LESS")], wait=wait)


def test_nothing_deployed_answers_gravitee_404(sandbox):
    response = httpx2.get(sandbox.urls["apim_gateway_url"] + "/mcp-proxy/")

    assert response.status_code == 404
    assert response.text == NOT_FOUND
    assert response.headers["content-type"] == "text/plain"


def test_api_created_but_never_deployed_is_not_served(sandbox):
    api = mcp_api(sandbox.urls["upstream_url"])
    sandbox.call_soon(lambda: sandbox.apim.apis.__setitem__(api["id"], api))

    response = post(sandbox.urls["apim_gateway_url"] + "/mcp-proxy/", initialize_body())

    assert response.status_code == 404


def test_deployment_is_visible_only_after_the_sync_delay(sandbox):
    sandbox.config.sync_delay = 1.0
    _open_api(sandbox, wait=False)
    url = sandbox.urls["apim_gateway_url"] + "/mcp-proxy/"

    assert post(url, initialize_body()).status_code == 404
    time.sleep(1.1)
    assert post(url, initialize_body()).status_code == 200


def test_stopped_api_is_no_longer_served(sandbox):
    api = _open_api(sandbox)
    url = sandbox.urls["apim_gateway_url"] + "/mcp-proxy/"
    assert post(url, initialize_body()).status_code == 200

    sandbox.call_soon(lambda: sandbox.apim.record_deploy_event(api["id"], started=False))
    time.sleep(sandbox.config.sync_delay + 0.05)

    assert post(url, initialize_body()).status_code == 404


def test_context_path_with_and_without_trailing_slash_and_below(sandbox):
    _open_api(sandbox)
    base = sandbox.urls["apim_gateway_url"]

    assert post(base + "/mcp-proxy", initialize_body()).status_code == 200
    assert post(base + "/mcp-proxy/", initialize_body()).status_code == 200
    # A sibling path that only shares the prefix is not the API's.
    assert post(base + "/mcp-proxyx", initialize_body()).status_code == 404
    # Below the context path the rest is appended to the target: /mcp/nope does not exist upstream.
    assert post(base + "/mcp-proxy/nope", initialize_body()).status_code == 404
    assert httpx2.get(base + "/mcp-proxy/nope").text != NOT_FOUND


def test_mcp_proxy_api_needs_the_enterprise_mcp_reactor(sandbox):
    _open_api(sandbox)
    url = sandbox.urls["apim_gateway_url"] + "/mcp-proxy/"

    sandbox.config.apim_edition = "ce"
    assert post(url, initialize_body()).status_code == 404
    sandbox.config.apim_edition = "ee"
    sandbox.config.apim_version = "4.9.8"
    assert post(url, initialize_body()).status_code == 404


def test_proxy_type_api_is_served_by_community_edition(sandbox):
    sandbox.config.apim_edition = "ce"
    _open_api(sandbox, api_type="PROXY")

    response = post(sandbox.urls["apim_gateway_url"] + "/mcp-proxy/", initialize_body())

    assert response.status_code == 200
    assert rpc_result(response)["result"]["serverInfo"]["name"] == "sandbox-upstream"


def test_longest_context_path_wins():
    short = {"id": "short", "listeners": [{"type": "HTTP", "paths": [{"path": "/mcp"}]}]}
    long = {"id": "long", "listeners": [{"type": "HTTP", "paths": [{"path": "/mcp/deep/"}]}]}

    assert match_route([short, long], "/mcp/deep/x").api["id"] == "long"
    assert match_route([long, short], "/mcp/deeper").api["id"] == "short"
    assert match_route([short, long], "/mcp/deep").api["id"] == "long"
    assert match_route([short, long], "/other") is None


def test_route_remainder_is_what_follows_the_context_path():
    api = {"listeners": [{"type": "HTTP", "paths": [{"path": "/ctx"}]}]}

    assert match_route([api], "/ctx").remainder("/ctx") == ""
    assert match_route([api], "/ctx/").remainder("/ctx/") == "/"
    assert match_route([api], "/ctx/a/b").remainder("/ctx/a/b") == "/a/b"


def test_context_paths_are_normalised():
    assert normalise_context_path("mcp") == "/mcp/"
    assert normalise_context_path("/a//b") == "/a/b/"
    assert normalise_context_path("") == "/"


def _scope(path, query=b""):
    return {"scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query,
            "server": ("127.0.0.1", 8082)}


def test_original_url_keeps_the_query_and_the_host_header():
    url = original_url(_scope("/mcp/", b"a=1"), [("host", "gw.local:8082")])

    assert url == "http://gw.local:8082/mcp/?a=1"


def test_original_url_honours_x_forwarded_headers():
    headers = [("host", "internal:8082"), ("x-forwarded-proto", "https"),
               ("x-forwarded-host", "api.example.com, proxy.local"), ("x-forwarded-prefix", "/gw")]

    assert original_url(_scope("/mcp"), headers) == "https://api.example.com/gw/mcp"


def test_original_url_adds_a_non_default_forwarded_port_and_reads_forwarded():
    with_port = [("host", "internal"), ("x-forwarded-proto", "https"), ("x-forwarded-host", "api.example.com"),
                 ("x-forwarded-port", "8443")]
    forwarded = [("host", "internal"), ("forwarded", "proto=https;host=edge.example.com")]

    assert original_url(_scope("/mcp"), with_port) == "https://api.example.com:8443/mcp"
    assert original_url(_scope("/mcp"), forwarded) == "https://edge.example.com/mcp"
