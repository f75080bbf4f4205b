# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""HTML forms of login and consent pages, read and filled the way a user would (pure functions).

Rules: every field keeps its default value (hidden CSRF tokens, checked
checkboxes); the password goes into the ``type=password`` field and the username into the text
field whose name says user, login, email or identifier (else the only text field); the submit
button is the first one that does not deny (AM's consent form carries its answer in the button:
``user_oauth_approval=true|false``, the deny button first).
"""

from __future__ import annotations

from html.parser import HTMLParser

DENY_WORDS = ("deny", "cancel", "reject", "decline", "refuse")
USER_FIELD_WORDS = ("user", "login", "email", "identifier", "account")
TEXT_TYPES = ("text", "email", "tel", "")


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._button = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: (value if value is not None else "") for name, value in attrs}
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "method": (attrs.get("method") or "get").lower(),
                               "fields": [], "buttons": []})
            return
        if not self.forms:
            return
        form = self.forms[-1]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            entry = {"name": attrs.get("name"), "value": attrs.get("value", ""), "type": kind,
                     "checked": "checked" in attrs, "label": attrs.get("value", "")}
            (form["buttons"] if kind in ("submit", "image") else form["fields"]).append(entry)
        elif tag == "button":
            kind = (attrs.get("type") or "submit").lower()
            if kind == "submit":
                self._button = {"name": attrs.get("name"), "value": attrs.get("value", ""), "type": kind,
                                "label": ""}
                form["buttons"].append(self._button)
        elif tag == "textarea":
            form["fields"].append({"name": attrs.get("name"), "value": "", "type": "textarea", "checked": False})
        elif tag == "select":
            self._select = {"name": attrs.get("name"), "value": None, "type": "select", "checked": False}
            form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            if self._select["value"] is None or "selected" in attrs:
                self._select["value"] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "button":
            self._button = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._button is not None:
            self._button["label"] += data.strip()


def parse_forms(html):
    """Every form of the page: ``{action, method, fields: [...], buttons: [...]}``."""
    parser = _Forms()
    parser.feed(html or "")
    parser.close()
    return parser.forms


def has_password(form) -> bool:
    return any(f["type"] == "password" for f in form["fields"])


def denies(button) -> bool:
    words = " ".join(str(button.get(k) or "") for k in ("name", "value", "label")).lower()
    return (button.get("value") or "").lower() == "false" or any(word in words for word in DENY_WORDS)


def pick_form(forms):
    """The form a user would submit: the sign-in form, else one with an approving button, else the first."""
    for form in forms:
        if has_password(form):
            return form
    for form in forms:
        if any(not denies(b) for b in form["buttons"]):
            return form
    return forms[0] if forms else None


def _username_field(form):
    texts = [f for f in form["fields"] if f["type"] in TEXT_TYPES and f["name"]]
    for field in texts:
        if any(word in field["name"].lower() for word in USER_FIELD_WORDS):
            return field
    return texts[0] if len(texts) == 1 and has_password(form) else None


def fill_form(form, username, password):
    """The (name, value) pairs a browser would submit for ``form``."""
    pairs = []
    user_field = _username_field(form)
    for field in form["fields"]:
        name, kind = field["name"], field["type"]
        if not name:
            continue
        if kind == "password":
            pairs.append((name, password))
        elif field is user_field:
            pairs.append((name, username))
        elif kind in ("checkbox", "radio"):
            if field["checked"]:
                pairs.append((name, field["value"] or "on"))
        elif kind in ("submit", "button", "reset", "file", "image"):
            continue
        else:
            pairs.append((name, field["value"] if field["value"] is not None else ""))
    approving = [b for b in form["buttons"] if not denies(b)]
    button = next((b for b in approving if (b["value"] or "").lower() == "true"), approving[0] if approving else None)
    if button is not None and button["name"]:
        pairs.append((button["name"], button["value"]))
    return pairs
