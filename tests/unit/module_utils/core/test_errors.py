"""GraviteeError: one message shape, Gravitee's message and code, hints per product/status/auth mode."""

import pytest
import responses

from ansible_collections.gravitee_community.mcp.plugins.module_utils.core import errors as _errors
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.auth import AmTokenExchangeAuth, BasicAuth
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import (
    GraviteeError,
    http_error,
    usage_error,
    with_hint,
)
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.scrub import Scrubber

from ..support import AM_ENV, AM_TOKEN_URL

SEARCH_URL = "https://apim.example.com/management/v2/environments/DEFAULT/apis/_search"


def test_apim_401_with_basic_auth_matches_the_documented_shape():
    err = http_error(product="APIM", method="GET", url=SEARCH_URL, status=401, body=None, auth_mode="basic")
    assert str(err) == (
        "401 from APIM at GET https://apim.example.com/management/v2/environments/DEFAULT/apis/_search: "
        "Unauthorized. Check apim_username / apim_password (GRAVITEE_APIM_USERNAME / GRAVITEE_APIM_PASSWORD) "
        "or apim_token (GRAVITEE_APIM_TOKEN).")
    assert err.to_result() == {"product": "APIM", "kind": "http", "method": "GET", "url": SEARCH_URL,
                               "status": 401, "hint": err.hint}


def test_apim_401_with_a_token_names_the_token_option():
    err = http_error(product="APIM", method="GET", url=SEARCH_URL, status=401, body=None, auth_mode="token")
    assert "Check apim_token (GRAVITEE_APIM_TOKEN)" in str(err)
    assert "GRAVITEE_APIM_PASSWORD" not in str(err)


def test_am_401_names_am_options():
    token = http_error(product="AM", method="GET", url=AM_ENV + "/domains", status=401,
                       body={"message": "Unauthorized", "http_status": 401}, auth_mode="token")
    assert "Check am_token (GRAVITEE_AM_TOKEN)" in str(token)
    exchange = http_error(product="AM", method="GET", url=AM_ENV + "/domains", status=401, body=None,
                          auth_mode="exchange")
    assert "management token obtained for am_username" in str(exchange) and "am_token (GRAVITEE_AM_TOKEN)" in str(
        exchange)


def test_apim_error_body_message_code_and_details():
    body = {"httpStatus": 400, "message": "Validation error", "technicalCode": "invalidValue",
            "parameters": {}, "details": [{"message": "must not be blank", "location": "createPlan.name"}]}
    err = http_error(product="APIM", method="POST", url="https://apim/x/plans", status=400, body=body)
    assert str(err) == ("400 from APIM at POST https://apim/x/plans: Validation error (invalidValue) "
                        "[createPlan.name: must not be blank].")
    assert err.gravitee_message == "Validation error" and err.technical_code == "invalidValue"
    assert err.body == body


def test_message_ending_with_punctuation_is_not_doubled():
    body = {"httpStatus": 400, "message": "Plan 1234 is already closed !", "technicalCode": "plan.closed"}
    err = http_error(product="APIM", method="POST", url="https://apim/p/_close", status=400, body=body)
    assert str(err) == "400 from APIM at POST https://apim/p/_close: Plan 1234 is already closed ! (plan.closed)."


def test_am_error_body():
    body = {"message": "Resource identifier already exists", "http_status": 400}
    err = http_error(product="AM", method="POST", url="https://am/d/protected-resources", status=400, body=body)
    assert str(err) == "400 from AM at POST https://am/d/protected-resources: Resource identifier already exists."


def test_403_hints_permission_and_licence():
    denied = http_error(product="AM", method="PATCH", url="https://am/d", status=403,
                        body={"message": "Permission denied", "http_status": 403})
    assert "Permission denied" in str(denied) and "am_org (GRAVITEE_AM_ORG)" in str(denied)
    licence = http_error(product="APIM", method="POST", url="https://apim/apis", status=403,
                         body={"message": "Feature 'apim-mcp-proxy' is not available",
                               "technicalCode": "feature.missing"})
    assert "licence" in str(licence) and "(feature.missing)" in str(licence)


def test_404_hint_names_url_org_env():
    err = http_error(product="APIM", method="GET", url="https://apim/apis/x", status=404,
                     body={"message": "Api [x] cannot be found.", "technicalCode": "api.notFound"})
    text = str(err)
    assert "apim_url (GRAVITEE_APIM_URL)" in text and "without /management" in text
    assert "apim_org (GRAVITEE_APIM_ORG)" in text and "apim_env (GRAVITEE_APIM_ENV)" in text


def test_5xx_hint_counts_attempts():
    err = http_error(product="AM", method="GET", url="https://am/x", status=503, body="<html><h1>503 Service "
                     "Unavailable</h1></html>", attempts=4)
    assert str(err).startswith("503 from AM at GET https://am/x after 4 attempts: 503 Service Unavailable.")
    assert "failed after 4 attempts" in str(err)
    assert err.to_result()["attempts"] == 4


def test_body_and_message_are_scrubbed():
    scrubber = Scrubber(["s3cr3t-value"])
    body = {"message": "bad clientSecret s3cr3t-value", "clientSecret": "other-secret", "name": "ok"}
    err = http_error(product="AM", method="POST", url="https://am/x?token=abc123", status=400, body=body,
                     scrubber=scrubber)
    everything = str(err) + repr(err.to_result())
    assert "s3cr3t-value" not in everything and "other-secret" not in everything and "abc123" not in everything
    assert err.body == {"message": "bad clientSecret ********", "clientSecret": "********", "name": "ok"}


def test_transport_error_timeout_names_the_timeout_option():
    err = _errors.transport_error(product="AM", kind="timeout", method="GET", url="https://am/x",
                                  exc=TimeoutError("read timed out"), timeout=30)
    assert str(err).startswith("No answer from AM within 30 s at GET https://am/x.")
    assert "Raise timeout (now 30 s)" in str(err) and "am_url (GRAVITEE_AM_URL)" in str(err)


def test_describe_exception_drops_object_addresses():
    text = ("HTTPSConnectionPool(host='x', port=443): Max retries exceeded (Caused by NewConnectionError("
            "'<urllib3.connection.HTTPSConnection object at 0x7f00aa>: Failed to establish a new connection: "
            "[Errno -2] Name or service not known'))")
    assert _errors.describe_exception(Exception(text)) == "[Errno -2] Name or service not known"


@responses.activate
def test_401_on_the_am_token_exchange_names_the_login_options(make_client):
    responses.add(responses.POST, AM_TOKEN_URL, status=401, headers={"WWW-Authenticate": "Basic"})
    client = make_client(AM_ENV, product="AM", auth=AmTokenExchangeAuth(AM_TOKEN_URL, "admin", "wrong-pass"))
    with pytest.raises(GraviteeError) as caught:
        client.get("domains")
    assert str(caught.value) == (
        "401 from AM at POST https://am.example.com/management/auth/token: Unauthorized. AM refused the login at "
        "its token endpoint. Check am_username / am_password (GRAVITEE_AM_USERNAME / GRAVITEE_AM_PASSWORD).")
    assert len(responses.calls) == 1  # the domains call was never sent


@responses.activate
def test_401_from_apim_through_the_client_uses_the_auth_mode(make_client):
    responses.add(responses.GET, "https://apim.example.com/management/v2/environments/DEFAULT/apis", status=401)
    client = make_client("https://apim.example.com/management/v2/environments/DEFAULT",
                         auth=BasicAuth("admin", "wrong"))
    with pytest.raises(GraviteeError) as caught:
        client.get("apis")
    assert "Check apim_username / apim_password" in str(caught.value)


def test_replace_keeps_every_field_it_is_not_told_to_change():
    original = _errors.GraviteeError("first", product="AM", kind=_errors.KIND_HTTP, method="PUT", url="https://am/x",
                                     status=400, gravitee_message="bad", technical_code="code", body={"a": 1},
                                     hint="look here", attempts=3)
    copy = original.replace(message="clearer", hint="fix it")
    assert str(copy) == "clearer" and copy.hint == "fix it"
    kept = ("product", "kind", "method", "url", "status", "gravitee_message", "technical_code", "body", "attempts")
    assert all(getattr(copy, name) == getattr(original, name) for name in kept)
    assert str(original) == "first" and original.hint == "look here"


def test_usage_error_is_of_kind_usage():
    err = _errors.usage_error("name is required: set name.")
    assert err.kind == _errors.KIND_USAGE and str(err) == "name is required: set name."


def test_with_hint_adds_the_hint_to_the_message_and_keeps_every_other_field():
    err = GraviteeError("404 from AM at GET https://am/x: Not Found.", product="AM", method="GET", url="https://am/x",
                        status=404, gravitee_message="Not Found", attempts=2)
    hinted = with_hint(err, "Use AM 4.10 or later.")
    assert str(hinted) == "404 from AM at GET https://am/x: Not Found. Use AM 4.10 or later."
    assert hinted.hint == "Use AM 4.10 or later."
    assert (hinted.product, hinted.method, hinted.url, hinted.status, hinted.attempts) == ("AM", "GET", "https://am/x",
                                                                                         404, 2)


def test_usage_error_keeps_the_fields_it_is_given():
    err = usage_error("No AM credentials: set am_token.", product="AM")
    assert err.kind == "usage" and err.product == "AM" and err.to_result() == {"product": "AM", "kind": "usage"}
