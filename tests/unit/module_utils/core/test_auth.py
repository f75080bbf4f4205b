"""Authentication: APIM Basic vs PAT, AM token exchange (once per task) vs supplied token vs handed session token."""

import base64

import pytest
import responses
from responses import matchers

from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.auth import (
    AmTokenExchangeAuth,
    BasicAuth,
    BearerAuth,
    SessionTokenAuth,
    am_auth,
    apim_auth,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import GraviteeError

from ..support import AM_ENV, AM_TOKEN_URL, APIM_ENV


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


def test_apim_auth_choice():
    assert isinstance(apim_auth("admin", "pw"), BasicAuth)
    assert isinstance(apim_auth(token="pat"), BearerAuth)
    both = apim_auth("admin", "pw", "pat")
    assert isinstance(both, BearerAuth) and both.headers(None) == {"Authorization": "Bearer pat"}  # token wins
    assert apim_auth("admin", "").headers(None) == {"Authorization": basic("admin", "")}


@pytest.mark.parametrize("kwargs", [{}, {"username": "admin"}, {"password": "pw"}])
def test_missing_apim_credentials_name_options_and_env(kwargs):
    with pytest.raises(GraviteeError) as caught:
        apim_auth(**kwargs)
    assert str(caught.value) == ("No APIM credentials: set apim_token (GRAVITEE_APIM_TOKEN), or apim_username and "
                                 "apim_password (GRAVITEE_APIM_USERNAME / GRAVITEE_APIM_PASSWORD).")


def test_missing_am_credentials():
    with pytest.raises(GraviteeError, match=r"No AM credentials: set am_token \(GRAVITEE_AM_TOKEN\)"):
        am_auth(AM_TOKEN_URL)


def test_secret_values_cover_password_and_encoded_header():
    auth = BasicAuth("admin", "pw-123")
    assert set(auth.secret_values()) == {"pw-123", basic("admin", "pw-123").split(" ")[1]}


@responses.activate
def test_apim_basic_header_on_every_call(make_client):
    responses.add(responses.GET, APIM_ENV + "/apis", json={})
    client = make_client(auth=apim_auth("admin", "admin"))
    client.get("apis")
    client.get("apis")
    assert [c.request.headers["Authorization"] for c in responses.calls] == [basic("admin", "admin")] * 2


@responses.activate
def test_apim_token_is_sent_as_bearer(make_client):
    responses.add(responses.GET, APIM_ENV + "/apis", json={},
                  match=[matchers.header_matcher({"Authorization": "Bearer my-pat"})])
    make_client(auth=apim_auth("admin", "admin", "my-pat")).get("apis")


@responses.activate
def test_am_token_is_exchanged_exactly_once_across_many_calls(make_client):
    responses.add(responses.POST, AM_TOKEN_URL, json={"access_token": "jwt-abc.def.ghi", "token_type": "bearer"},
                  match=[matchers.header_matcher({"Authorization": basic("admin", "adminadmin")})])
    responses.add(responses.GET, AM_ENV + "/domains", json={"data": [], "totalCount": 0},
                  match=[matchers.header_matcher({"Authorization": "Bearer jwt-abc.def.ghi"})])
    responses.add(responses.PATCH, AM_ENV + "/domains/d1", json={},
                  match=[matchers.header_matcher({"Authorization": "Bearer jwt-abc.def.ghi"})])
    auth = am_auth(AM_TOKEN_URL, "admin", "adminadmin", org="DEFAULT")
    client = make_client(AM_ENV, product="AM", auth=auth)
    for _ in range(3):
        client.get("domains")
    client.patch("domains/d1", json={"enabled": True})
    domain_client = client.scoped(AM_ENV + "/domains/d1")
    domain_client.patch("", json={"enabled": True})
    token_calls = [c for c in responses.calls if c.request.url.startswith(AM_TOKEN_URL)]
    assert len(token_calls) == 1 and auth.exchanges == 1
    assert token_calls[0].request.body is None and "org=" not in token_calls[0].request.url
    # The exchange is a read: logged as one, so a run that only reads reports zero writes.
    assert client.log.records[0].method == "POST" and client.log.records[0].write is False
    assert client.log.writes == 2
    assert "jwt-abc.def.ghi" in client.scrubber.values


@responses.activate
def test_am_exchange_passes_a_non_default_org(make_client):
    responses.add(responses.POST, AM_TOKEN_URL, json={"access_token": "t"},
                  match=[matchers.query_param_matcher({"org": "ACME"})])
    responses.add(responses.GET, AM_ENV + "/domains", json={})
    make_client(AM_ENV, product="AM", auth=am_auth(AM_TOKEN_URL, "admin", "pw", org="ACME")).get("domains")


@responses.activate
def test_am_exchange_is_retried_like_a_read(make_client):
    responses.add(responses.POST, AM_TOKEN_URL, status=503)
    responses.add(responses.POST, AM_TOKEN_URL, json={"access_token": "t"})
    responses.add(responses.GET, AM_ENV + "/domains", json={})
    make_client(AM_ENV, product="AM", auth=am_auth(AM_TOKEN_URL, "admin", "pw")).get("domains")
    assert len(responses.calls) == 3


@responses.activate
def test_am_exchange_allowed_in_check_mode(make_client):
    responses.add(responses.POST, AM_TOKEN_URL, json={"access_token": "t"})
    responses.add(responses.GET, AM_ENV + "/domains", json={})
    client = make_client(AM_ENV, product="AM", auth=am_auth(AM_TOKEN_URL, "admin", "pw"), forbid_writes=True)
    client.get("domains")
    assert client.log.writes == 0


@responses.activate
def test_am_exchange_without_access_token_points_at_the_gateway_mixup(make_client):
    responses.add(responses.POST, AM_TOKEN_URL, body="<html>gateway</html>", content_type="text/html")
    client = make_client(AM_ENV, product="AM", auth=AmTokenExchangeAuth(AM_TOKEN_URL, "admin", "pw"))
    with pytest.raises(GraviteeError, match="without an access_token. Check that am_url points at the AM management"):
        client.get("domains")


@responses.activate
def test_supplied_am_token_skips_the_exchange(make_client):
    responses.add(responses.GET, AM_ENV + "/domains", json={},
                  match=[matchers.header_matcher({"Authorization": "Bearer am-pat"})])
    make_client(AM_ENV, product="AM", auth=am_auth(AM_TOKEN_URL, "admin", "pw", token="am-pat")).get("domains")
    assert len(responses.calls) == 1


# --- a session token handed on from an earlier task (am_access_token) -------------------------------------------


@responses.activate
def test_a_handed_session_token_is_used_without_logging_in(make_client):
    responses.add(responses.GET, AM_ENV + "/domains", json={},
                  match=[matchers.header_matcher({"Authorization": "Bearer handed-jwt"})])
    auth = am_auth(AM_TOKEN_URL, "admin", "pw", access_token="handed-jwt")
    client = make_client(AM_ENV, product="AM", auth=auth)
    client.get("domains")
    client.get("domains")
    assert len(responses.calls) == 2 and auth.exchanges == 0
    # Nothing to hand on: the task that holds the handed token passes it on itself.
    assert auth.session_token() is None
    assert "handed-jwt" in auth.secret_values()


def test_am_token_wins_over_a_handed_session_token():
    auth = am_auth(AM_TOKEN_URL, "admin", "pw", token="am-pat", access_token="handed-jwt")
    assert isinstance(auth, BearerAuth) and auth.headers(None) == {"Authorization": "Bearer am-pat"}
    assert auth.session_token() is None


@responses.activate
def test_a_refused_session_token_is_renewed_once_with_the_login_and_the_write_sent_again(make_client):
    responses.add(responses.PATCH, AM_ENV + "/domains/d1", status=401, json={"message": "Unauthorized"},
                  match=[matchers.header_matcher({"Authorization": "Bearer expired-jwt"})])
    responses.add(responses.POST, AM_TOKEN_URL, json={"access_token": "fresh-jwt"},
                  match=[matchers.header_matcher({"Authorization": basic("admin", "pw")})])
    responses.add(responses.PATCH, AM_ENV + "/domains/d1", json={"id": "d1"},
                  match=[matchers.header_matcher({"Authorization": "Bearer fresh-jwt"})])
    responses.add(responses.GET, AM_ENV + "/domains", json={},
                  match=[matchers.header_matcher({"Authorization": "Bearer fresh-jwt"})])
    auth = am_auth(AM_TOKEN_URL, "admin", "pw", access_token="expired-jwt")
    client = make_client(AM_ENV, product="AM", auth=auth)
    assert client.patch("domains/d1", json={"enabled": True}).body == {"id": "d1"}
    client.get("domains")
    assert [(c.request.method, c.response.status_code) for c in responses.calls] == [
        ("PATCH", 401), ("POST", 200), ("PATCH", 200), ("GET", 200)]
    assert auth.exchanges == 1 and auth.session_token() == "fresh-jwt"
    assert "fresh-jwt" in client.scrubber.values


@responses.activate
def test_a_login_refused_after_renewal_is_not_renewed_again(make_client):
    responses.add(responses.GET, AM_ENV + "/domains", status=401, json={"message": "Unauthorized"})
    responses.add(responses.POST, AM_TOKEN_URL, json={"access_token": "fresh-jwt"})
    auth = am_auth(AM_TOKEN_URL, "admin", "pw", access_token="expired-jwt")
    with pytest.raises(GraviteeError) as caught:
        make_client(AM_ENV, product="AM", auth=auth).get("domains")
    assert caught.value.status == 401 and auth.exchanges == 1
    assert [c.request.method for c in responses.calls] == ["GET", "POST", "GET"]
    assert "refused the management token obtained for am_username" in str(caught.value)


@responses.activate
def test_a_refused_session_token_without_login_fails_naming_the_option(make_client):
    responses.add(responses.GET, AM_ENV + "/domains", status=401, json={"message": "Unauthorized"})
    auth = am_auth(AM_TOKEN_URL, access_token="expired-jwt")
    assert isinstance(auth, SessionTokenAuth)
    with pytest.raises(GraviteeError) as caught:
        make_client(AM_ENV, product="AM", auth=auth).get("domains")
    assert len(responses.calls) == 1 and caught.value.status == 401
    message = str(caught.value)
    assert "Check am_access_token (GRAVITEE_AM_ACCESS_TOKEN)" in message
    assert "Set am_username / am_password as well" in message
    assert "expired-jwt" not in message


@responses.activate
def test_a_401_with_a_supplied_am_token_is_not_retried(make_client):
    responses.add(responses.GET, AM_ENV + "/domains", status=401, json={"message": "Unauthorized"})
    with pytest.raises(GraviteeError, match=r"Check am_token \(GRAVITEE_AM_TOKEN\)"):
        make_client(AM_ENV, product="AM", auth=am_auth(AM_TOKEN_URL, "admin", "pw", token="am-pat")).get("domains")
    assert len(responses.calls) == 1


@responses.activate
def test_the_token_a_task_logged_in_for_can_be_handed_on(make_client):
    responses.add(responses.POST, AM_TOKEN_URL, json={"access_token": "jwt-1"})
    responses.add(responses.GET, AM_ENV + "/domains", json={})
    auth = am_auth(AM_TOKEN_URL, "admin", "pw")
    assert auth.session_token() is None  # not logged in yet
    make_client(AM_ENV, product="AM", auth=auth).get("domains")
    assert auth.session_token() == "jwt-1"
