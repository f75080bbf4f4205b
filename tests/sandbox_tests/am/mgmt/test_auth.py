"""AM management API authentication and routing (TokenController.java, BearerAuthenticationFilter.java)."""

import base64
import json
import re
import time

import requests

from tests.sandbox.am.mgmt import auth as am_mgmt_auth
from tests.sandbox_tests.am.mgmt.helpers import ENV_PATH, AmClient, assert_error, direct

JAVA_DATE = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$")


def _token_url(sandbox):
    return sandbox.urls["am_url"] + "/management/auth/token"


def test_token_with_admin_basic_credentials(sandbox):
    answer = requests.post(_token_url(sandbox), auth=("admin", "Sbx-4mz8-Rt3c"),
                           data={"grant_type": "password", "username": "x", "password": "y"}, timeout=10)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"access_token", "token_type", "expires_at"}
    assert body["token_type"] == "bearer"
    assert JAVA_DATE.match(body["expires_at"]), body["expires_at"]
    assert body["access_token"].count(".") == 2  # a JWT
    payload = body["access_token"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["preferred_username"] == "admin"
    assert 604700 < claims["exp"] - time.time() <= 604800  # 7 days (jwt.expire-after)
    assert sandbox.am.mgmt_tokens[body["access_token"]] == "admin"


def test_token_refuses_bad_or_missing_basic_credentials(sandbox):
    for auth in (("admin", "wrong"), ("nobody", "Sbx-4mz8-Rt3c")):
        answer = requests.post(_token_url(sandbox), auth=auth, timeout=10)
        assert answer.status_code == 401
        assert answer.content == b""
        assert answer.headers["WWW-Authenticate"].startswith("Basic")
    answer = requests.post(_token_url(sandbox), timeout=10)
    assert answer.status_code == 401 and answer.headers["WWW-Authenticate"].startswith("Basic")


def test_calls_without_bearer_token_are_401_error_entities(sandbox):
    url = AmClient(sandbox).env + "/domains"
    assert_error(requests.get(url, timeout=10), 401, "No Bearer token found")
    assert_error(requests.get(url, auth=("admin", "Sbx-4mz8-Rt3c"), timeout=10), 401, "No Bearer token found")
    assert_error(requests.get(url, headers={"Authorization": "Bearer not-a-token"}, timeout=10), 401,
                 "Error occured while attempting authentication")


def test_tampered_and_expired_tokens_are_refused(sandbox):
    client = AmClient(sandbox)
    head, payload, signature = client.token.split(".")
    forged = f"{head}.{payload}.{signature[:-2]}AA"
    answer = requests.get(client.env + "/domains", headers={"Authorization": "Bearer " + forged}, timeout=10)
    assert_error(answer, 401, "Error occured while attempting authentication")

    expired = am_mgmt_auth.sign_jwt(sandbox.am.jwt_key, {"sub": "x", "exp": int(time.time()) - 5})
    sandbox.call_soon(sandbox.am.mgmt_tokens.__setitem__, expired, "admin")
    answer = requests.get(client.env + "/domains", headers={"Authorization": "Bearer " + expired}, timeout=10)
    assert_error(answer, 401, "Error occured while attempting authentication")
    assert client.get("/domains").status_code == 200  # the real token still works


def test_current_user(sandbox):
    answer = AmClient(sandbox).get("/management/user")
    assert answer.status_code == 200
    body = answer.json()
    assert body["preferred_username"] == "admin"
    assert body["sub"] == sandbox.am.admin_ids["admin"]
    assert body["org"] == "DEFAULT"


def test_missing_routes_and_methods(sandbox):
    client = AmClient(sandbox)
    # Authentication comes first, even for a path that does not exist.
    assert direct(sandbox, "GET", "/management/nowhere") == (
        401, {"message": "No Bearer token found", "http_status": 401})
    assert direct(sandbox, "GET", "/management/nowhere", client.token) == (
        404, {"message": "HTTP 404 Not Found", "http_status": 404})
    assert direct(sandbox, "DELETE", ENV_PATH + "/domains", client.token) == (
        405, {"message": "HTTP 405 Method Not Allowed", "http_status": 405})
    form = direct(sandbox, "POST", ENV_PATH + "/domains", client.token, b"name=x&dataPlaneId=default",
                  content_type="application/x-www-form-urlencoded")
    assert form == (415, {"message": "HTTP 415 Unsupported Media Type", "http_status": 415})


def test_unknown_organization_or_environment_is_permission_denied(sandbox):
    client = AmClient(sandbox)
    for prefix in ("/organizations/OTHER/environments/DEFAULT", "/organizations/DEFAULT/environments/OTHER"):
        assert_error(client.get("/management" + prefix + "/domains"), 403, "Permission denied")
