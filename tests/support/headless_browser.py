"""A form-submitting HTTP "browser" for the OAuth authorization-code leg.

The MCP SDK's OAuthClientProvider calls ``redirect_handler(url)`` where a real
client would open a browser, then ``callback_handler()`` for the code. This
class follows redirects, fills the login (and consent) forms it meets, and
stops at the redirect to the registered redirect URI, keeping code, state and iss.
"""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx2
from mcp.shared.auth import AuthorizationCodeResult

DENY_WORDS = ("deny", "cancel", "reject")
USER_FIELD_WORDS = ("user", "login", "email")


class LoginFailed(RuntimeError):
    """The authorization server sent the user back with an error (wrong password, denied consent...)."""


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "method": (attrs.get("method") or "get").lower(),
                               "inputs": [], "buttons": []})
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif self.forms and tag in ("input", "button"):
            kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
            entry = {"name": attrs.get("name"), "value": attrs.get("value", ""), "type": kind,
                     "checked": "checked" in attrs}
            if kind == "submit":
                self.forms[-1]["buttons"].append(entry)
            else:
                self.forms[-1]["inputs"].append(entry)


def parse_page(html):
    parser = _FormParser()
    parser.feed(html)
    return parser


def fill_form(form, username, password):
    data = {}
    for field in form["inputs"]:
        name, kind = field["name"], field["type"]
        if not name:
            continue
        if kind == "password":
            data[name] = password
        elif kind in ("text", "email") and any(word in name.lower() for word in USER_FIELD_WORDS):
            data[name] = username
        elif kind in ("checkbox", "radio"):
            if field["checked"]:
                data[name] = field["value"] or "on"
        else:
            data[name] = field["value"]
    approving = [b for b in form["buttons"] if not _denies(b)]
    # A consent form carries its answer in the button (AM: user_oauth_approval=true|false, deny first).
    button = next((b for b in approving if (b["value"] or "").lower() == "true"), approving[0] if approving else None)
    if button and button["name"]:
        data[button["name"]] = button["value"]
    return data


def _denies(button):
    label = ((button["name"] or "") + " " + (button["value"] or "")).lower()
    return (button["value"] or "").lower() == "false" or any(word in label for word in DENY_WORDS)


class HeadlessBrowser:
    """Plays the user: signs in with ``username``/``password`` wherever a form asks."""

    def __init__(self, username, password, redirect_uri, max_steps=15):
        self.username = username
        self.password = password
        self.redirect_uri = redirect_uri
        self.max_steps = max_steps
        self.result = None
        self.pages = []  # (method, url, status) of every step, for assertions and debugging

    async def redirect_handler(self, authorization_url):
        async with httpx2.AsyncClient(follow_redirects=False, timeout=15) as http:
            response = await http.get(authorization_url)
            for _ in range(self.max_steps):
                self.pages.append((response.request.method, str(response.request.url), response.status_code))
                if response.is_redirect:
                    location = urljoin(str(response.request.url), response.headers["location"])
                    if location.startswith(self.redirect_uri):
                        self._take_code(location)
                        return
                    error = parse_qs(urlsplit(location).query).get("error")
                    if error:
                        raise LoginFailed(f"{error[0]} at {location.split('?')[0]}")
                    response = await http.get(location)
                    continue
                if response.status_code == 200 and "<form" in response.text:
                    forms = parse_page(response.text).forms
                    form = next((f for f in forms if any(i["type"] == "password" for i in f["inputs"])), forms[0])
                    target = urljoin(str(response.request.url), form["action"] or str(response.request.url))
                    data = fill_form(form, self.username, self.password)
                    if form["method"] == "post":
                        response = await http.post(target, data=data)
                    else:
                        response = await http.get(target, params=data)
                    continue
                raise RuntimeError(f"login stopped at {response.request.url}: {response.status_code} "
                                   f"{response.text[:300]}")
        raise RuntimeError(f"login did not finish in {self.max_steps} steps: {self.pages}")

    def _take_code(self, location):
        query = parse_qs(urlsplit(location).query)
        if "error" in query:
            raise LoginFailed(f"authorization failed: {query['error'][0]}")
        self.result = AuthorizationCodeResult(code=query["code"][0], state=(query.get("state") or [None])[0],
                                              iss=(query.get("iss") or [None])[0])

    async def callback_handler(self):
        if self.result is None:
            raise RuntimeError("no authorization code was received")
        return self.result
