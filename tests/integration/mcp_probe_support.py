"""Helpers shared by the mcp_probe integration tests (no tests here): sandbox set-up by plain HTTP, the probe
task, and a reverse proxy that does not pass the Host header on (nginx's ``proxy_pass`` default)."""

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import requests

from tests.support import guide_http

MODULE = "gravitee_community.mcp.mcp_probe"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "host", "content-length", "content-encoding"}


def probe_task(name, url, ignore_errors=False, **options):
    """One mcp_probe task. Failure cases set probe_retries=0 so that they do not wait for a state that never comes."""
    args = {"url": url, "probe_delay": 0.3}
    args.update(options)
    task = {"name": name, MODULE: args}
    if ignore_errors:
        task["ignore_errors"] = True
    return task


def login(sandbox, password=None):
    return {"username": sandbox.seed["am_user"], "password": password or sandbox.seed["am_user_password"]}


def checks_by_name(result):
    return {check["name"]: check for check in result["checks"]}


def apim(sandbox):
    return guide_http.Apim(sandbox.urls["apim_url"], sandbox.seed["apim_username"], sandbox.seed["apim_password"])


def am(sandbox):
    return guide_http.Am(sandbox.urls["am_url"], sandbox.seed["am_username"], sandbox.seed["am_password"])


def open_api(sandbox, name="Open MCP", context_path="/open-mcp/", start=True):
    """An MCP Proxy API with a published Keyless plan (started and served unless ``start=False``)."""
    client = apim(sandbox)
    api = client.create_api(name, context_path, sandbox.urls["upstream_url"])
    client.create_published_plan(api["id"], "Keyless", "KEY_LESS", {})
    url = sandbox.urls["apim_gateway_url"] + context_path
    if start:
        client.call("POST", f"/apis/{api['id']}/_start", 204)
        assert guide_http.wait_for_status(url, 200).status_code == 200
    return api, url


def set_am_server_url(sandbox, api_id, server_url):
    """Point the API's AM resource at ``server_url`` and redeploy; wait until the gateway publishes it."""
    client = apim(sandbox)
    api = client.call("GET", f"/apis/{api_id}", 200)
    for resource in api["resources"]:
        resource["configuration"]["serverURL"] = server_url
    client.call("PUT", f"/apis/{api_id}", 200, json=api)
    client.call("POST", f"/apis/{api_id}/deployments", 202, json={"deploymentLabel": "serverURL"})
    prm = sandbox.urls["apim_gateway_url"] + "/.well-known/oauth-protected-resource/mcp-proxy/"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if requests.get(prm, timeout=5).json()["authorization_servers"][0].startswith(server_url):
            return
        time.sleep(0.1)
    raise AssertionError("the gateway never published serverURL " + server_url)


def set_dcr(sandbox, enabled):
    """Turn DCR on or off in the seeded domain and give the AM gateway time to sync it."""
    client = am(sandbox)
    domain = client.domain(sandbox.seed["am_domain"])
    client.call("PATCH", f"/domains/{domain['id']}", 200, json={"oidc": {"clientRegistrationSettings": {
        "isDynamicClientRegistrationEnabled": enabled}}})
    time.sleep(float(sandbox.config.sync_delay) + 0.3)


def am_applications(sandbox):
    return list(sandbox.am.applications.values())


@contextlib.contextmanager
def captured_bodies(sandbox):
    previous = sandbox.log.capture_bodies
    sandbox.log.capture_bodies = True
    try:
        yield
    finally:
        sandbox.log.capture_bodies = previous


def response_bodies(sandbox, since, component):
    return [e.get("_response_body", b"").decode("utf-8", "replace") for e in sandbox.log.entries
            if e["seq"] > since and e["component"] == component]


class HostRewritingProxy:
    """A reverse proxy in front of ``target`` that sends ``Host: <target host:port>`` instead of the client's Host,
    like nginx's ``proxy_pass`` without ``proxy_set_header Host $host``. Bodies are buffered (fine for discovery)."""

    def __init__(self, target):
        self.target = target.rstrip("/")
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                answer = requests.request(self.command, proxy.target + self.path, headers=headers, data=body,
                                          allow_redirects=False, timeout=30)
                self.send_response(answer.status_code)
                for name, value in answer.headers.items():
                    if name.lower() not in HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def netloc(url):
    return urlsplit(url).netloc
