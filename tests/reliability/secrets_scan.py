"""Every secret the sandbox knows after some runs, and a scan of outputs and files for them (no tests here).

The harvest reads the sandbox's stores (tokens it issued, the AM resource secrets on the APIM APIs) and every
exchange body and ``Authorization`` header it logged (body capture on): client secrets AM returned, tokens, codes,
PKCE verifiers, passwords in login forms, Basic and Bearer credentials. Values shorter than
:data:`MIN_LENGTH` are left out: they would match ordinary text, and the seeded passwords are set long.
"""

import base64
import json
import os
from urllib.parse import parse_qsl

MIN_LENGTH = 8
JSON_KEYS = frozenset({
    "clientSecret", "client_secret", "secret", "password", "access_token", "refresh_token", "id_token",
    "registration_access_token",
})
# Form posts (token, introspection, login) also carry the authorization code, the PKCE verifier and the token
# checked. Not taken from JSON: there "code" is also an error code such as "invalid_grant".
FORM_KEYS = JSON_KEYS | {"code", "code_verifier", "token"}


def basic(user, password):
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def _walk(value, found):
    if isinstance(value, dict):
        for key, item in value.items():
            if key in JSON_KEYS and isinstance(item, str):
                found.add(item)
            else:
                _walk(item, found)
    elif isinstance(value, list):
        for item in value:
            _walk(item, found)


def _from_body(raw, found):
    if not raw:
        return
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    try:
        _walk(json.loads(text), found)
        return
    except ValueError:
        pass
    for key, value in parse_qsl(text, keep_blank_values=False):
        if key in FORM_KEYS:
            found.add(value)


def harvest(sandbox, extra=()):
    """``{secret value: where it came from}`` for every secret the sandbox issued, stored or was sent."""
    found = {}

    def add(values, origin):
        for value in values:
            if isinstance(value, str) and len(value) >= MIN_LENGTH:
                found.setdefault(value, origin)

    seed = sandbox.seed
    add([seed["apim_password"], seed["am_password"], seed["am_user_password"], seed["apim_token"]], "seed")
    add([basic(seed["apim_username"], seed["apim_password"]), basic(seed["am_username"], seed["am_password"]),
         basic(seed["am_user"], seed["am_user_password"])], "Basic header of a seeded account")
    add(extra, "given by the test")
    gateway = sandbox.am.gateway
    for kind in ("access_tokens", "refresh_tokens", "codes", "sessions"):
        add(list(gateway.get(kind, {})), f"AM gateway {kind}")
    add(list(sandbox.am.mgmt_tokens), "AM management token")
    add(list(sandbox.apim.tokens), "APIM token")
    for api in sandbox.apim.apis.values():
        for resource in api.get("resources") or []:
            config = resource.get("configuration") or {}
            if isinstance(config, str):
                try:
                    config = json.loads(config)
                except ValueError:
                    config = {}
            secret, client_id = config.get("clientSecret"), config.get("clientId")
            add([secret], "AM resource of an APIM API")
            if secret and client_id:
                add([basic(client_id, secret)], "Basic header of the AM resource's client")
    for entry in sandbox.log.entries:
        bodies = set()
        _from_body(entry.get("_request_body"), bodies)
        _from_body(entry.get("_response_body"), bodies)
        add(bodies, f"{entry['component']} exchange body")
        header = (entry.get("_request_headers") or {}).get("authorization", "")
        scheme, _, credential = header.partition(" ")
        if scheme.lower() in ("basic", "bearer"):
            add([credential], f"{entry['component']} {scheme} header")
            if scheme.lower() == "basic":
                try:
                    user, _, password = base64.b64decode(credential).decode().partition(":")
                    add([password], f"{entry['component']} Basic header password")
                except ValueError:
                    pass
    return found


def places_of_directory(root):
    """``(relative path, text)`` of every file under ``root``."""
    for folder, _dirs, files in os.walk(root):
        for name in sorted(files):
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                yield os.path.relpath(path, root), handle.read().decode("utf-8", "replace")


def scan(secrets, places):
    """``[(place, origin of the secret, 4 first characters), ...]`` for every secret found in a place."""
    leaks = []
    for place, text in places:
        for secret, origin in secrets.items():
            if secret in text:
                leaks.append((place, origin, secret[:4] + "..."))
    return leaks
