"""The effect of am_registration where users see it: the sign-up link on the sandbox AM gateway's login page,
reached the way an MCP client sends the user there (a DCR-registered client's authorization request)."""

import base64
import hashlib
import re
import secrets
from urllib.parse import urlencode

import requests

from tests.integration.test_am_dcr_gateway import LOOPBACK, dcr_task, eventually, gateway, register

SIGN_UP_LINK = re.compile(r'<a id="register" href="([^"]+)"')
FORGOT_LINK = 'id="forgot-password"'


def registration_task(name, **options):
    return {"name": name, "gravitee_community.mcp.am_registration": {"domain": "mcp-domain", **options}}


def authorize_url(sandbox, client_id):
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": LOOPBACK, "state": "s-1",
             "code_challenge": challenge, "code_challenge_method": "S256", "scope": "openid"}
    return gateway(sandbox) + "/oauth/authorize?" + urlencode(query)


def login_page(url):
    """The page the browser lands on: /authorize redirects a signed-out user to the login page."""
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and "/login?" in page.url, (page.status_code, page.url)
    return page.text


def test_the_login_page_offers_sign_up_only_while_registration_is_on(playbook, sandbox):
    setup = playbook([dcr_task("dcr on"), registration_task("sign-up off", enabled=False)])
    assert setup.rc == 0, setup.output
    created = eventually(lambda: register(sandbox), lambda r: r.status_code != 403)
    assert created.status_code == 201, created.text
    url = authorize_url(sandbox, created.json()["client_id"])
    without = login_page(url)
    assert "Sign in to Visual Studio Code" in without
    assert not SIGN_UP_LINK.search(without) and FORGOT_LINK not in without

    on = playbook([registration_task("sign-up on", forgot_password=True)])
    assert on.rc == 0 and on.result("sign-up on")["changed"] is True
    page = eventually(lambda: login_page(url), lambda text: SIGN_UP_LINK.search(text) is not None)
    link = SIGN_UP_LINK.search(page)
    assert link and FORGOT_LINK in page
    sign_up = requests.get(link.group(1).replace("&amp;", "&"), timeout=10)
    assert sign_up.status_code == 200 and '<h1>Sign up</h1>' in sign_up.text

    off = playbook([registration_task("sign-up off", state="absent")])
    assert off.rc == 0 and off.result("sign-up off")["changed"] is True
    page = eventually(lambda: login_page(url), lambda text: SIGN_UP_LINK.search(text) is None)
    assert not SIGN_UP_LINK.search(page) and FORGOT_LINK in page
    closed = requests.get(gateway(sandbox) + "/register", allow_redirects=False, timeout=10)
    assert closed.status_code == 302 and "error=registration_failed" in closed.headers["location"]
