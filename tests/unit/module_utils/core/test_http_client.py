"""HttpClient behaviour other than retries: JSON, statuses, redirects, URL joining, request log,
check-mode write blocking, TLS/timeout settings and secret masking."""

from unittest import mock

import pytest
import requests
import responses

from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import GraviteeError

from ..support import APIM_ENV

SEARCH = APIM_ENV + "/apis/_search"
APIS = APIM_ENV + "/apis"


@responses.activate
def test_json_in_and_out_and_headers(make_client):
    responses.add(responses.POST, APIS, json={"id": "a1"}, status=201)
    client = make_client()
    status, body, headers = client.post("apis", json={"name": "API MCP Proxy"})
    sent = responses.calls[0].request
    assert sent.headers["Content-Type"] == "application/json" and sent.headers["Accept"] == "application/json"
    assert sent.body in (b'{"name": "API MCP Proxy"}', '{"name": "API MCP Proxy"}')
    assert (status, body, headers["Content-Type"]) == (201, {"id": "a1"}, "application/json")


@responses.activate
def test_text_and_empty_bodies(make_client):
    responses.add(responses.GET, APIS + "/t", body="plain words", content_type="text/plain")
    responses.add(responses.POST, APIS + "/a1/deployments", body="", status=202)
    client = make_client()
    assert client.get("apis/t").body == "plain words"
    assert client.post("apis/a1/deployments", json={}).body is None


@responses.activate
def test_allow_status_returns_instead_of_raising(make_client):
    responses.add(responses.GET, APIS + "/gone", json={"message": "nope"}, status=404)
    response = make_client().get("apis/gone", allow_status=(404,))
    assert response.status == 404 and response.body == {"message": "nope"}


@responses.activate
def test_redirect_is_an_error_naming_the_url_option(make_client):
    responses.add(responses.GET, "http://apim.example.com/management/v2/apis", status=301,
                  headers={"Location": "https://apim.example.com/management/v2/apis"})
    with pytest.raises(GraviteeError) as caught:
        make_client("http://apim.example.com/management/v2").get("apis")
    assert "Set apim_url" in str(caught.value) and "https://apim.example.com" in str(caught.value)


def test_url_joining_keeps_the_base_path_prefix(make_client):
    client = make_client("https://gw.example.com/gravitee/management/v2/organizations/DEFAULT/environments/DEFAULT/")
    assert client.url_for("/apis/_search") == (
        "https://gw.example.com/gravitee/management/v2/organizations/DEFAULT/environments/DEFAULT/apis/_search")
    assert client.url_for("apis") == client.base_url + "/apis"
    assert client.url_for("") == client.base_url
    assert client.url_for("https://other.example.com/x") == "https://other.example.com/x"


@responses.activate
def test_scoped_client_shares_the_request_log(make_client):
    responses.add(responses.GET, "https://apim.example.com/management/v2/organizations/DEFAULT/plugins/resources",
                  json=[])
    responses.add(responses.GET, APIS, json={})
    client = make_client()
    org = client.scoped("https://apim.example.com/management/v2/organizations/DEFAULT")
    org.get("plugins/resources")
    client.get("apis")
    assert client.log.total == 2 and org.log is client.log
    assert [r.path for r in client.log.records] == [
        "/management/v2/organizations/DEFAULT/plugins/resources", "/management/v2/organizations/DEFAULT/environments/"
        "DEFAULT/apis"]


@responses.activate
def test_request_log_classifies_reads_and_writes(make_client):
    responses.add(responses.GET, APIS, json={})
    responses.add(responses.POST, SEARCH, json={})
    responses.add(responses.POST, APIS, json={}, status=201)
    responses.add(responses.DELETE, APIS + "/a1", status=204)
    client = make_client()
    client.get("apis")
    client.post("apis/_search", json={}, read_only=True)
    client.post("apis", json={})
    client.delete("apis/a1")
    assert client.log.summary() == {"total": 4, "reads": 2, "writes": 2, "retries": 0}
    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in (r for r in client.log.records if r.write)] == [
        ("POST", "apis"), ("DELETE", "a1")]


@responses.activate
def test_forbid_writes_blocks_writes_before_they_leave(make_client):
    responses.add(responses.POST, SEARCH, json={})
    client = make_client(forbid_writes=True)
    client.post("apis/_search", json={}, read_only=True)  # reads are fine
    with pytest.raises(GraviteeError) as caught:
        client.put("apis/a1", json={})
    assert caught.value.kind == "usage" and "check mode" in str(caught.value)
    assert len(responses.calls) == 1 and client.log.writes == 0


@pytest.mark.parametrize("validate_certs, ca_path, expected", [
    (True, None, True), (True, "/etc/ssl/private-ca.pem", "/etc/ssl/private-ca.pem"), (False, "/x.pem", False)])
def test_tls_and_timeout_settings_reach_requests(make_client, validate_certs, ca_path, expected):
    answer = requests.Response()
    answer.status_code = 200
    answer._content = b"{}"
    session = mock.Mock()
    session.request.return_value = answer
    make_client(session=session, validate_certs=validate_certs, ca_path=ca_path, timeout=12).get("apis")
    kwargs = session.request.call_args.kwargs
    assert kwargs["verify"] == expected and kwargs["timeout"] == 12 and kwargs["allow_redirects"] is False


@responses.activate
def test_auth_headers_are_sent_and_masked_in_errors(make_client):
    class StaticAuth:
        mode = "token"

        def headers(self, client):
            return {"Authorization": "Bearer pat-1234567890"}

    responses.add(responses.GET, APIS, json={"message": "echo pat-1234567890"}, status=500)
    client = make_client(auth=StaticAuth(), retry=0)
    client.scrubber.register("pat-1234567890")
    with pytest.raises(GraviteeError) as caught:
        client.get("apis")
    assert responses.calls[0].request.headers["Authorization"] == "Bearer pat-1234567890"
    assert "pat-1234567890" not in str(caught.value) and "pat-1234567890" not in str(caught.value.to_result())


@responses.activate
def test_no_json_means_no_body(make_client):
    responses.add(responses.POST, APIS + "/a1/_start", status=204)
    make_client().post("apis/a1/_start", json=None)
    sent = responses.calls[0].request
    assert sent.body is None and "Content-Type" not in sent.headers
