"""The OAuth2 plan's policy (gravitee-policy-oauth2) and its AM resource (gravitee-resource-oauth2-provider-am).

Facts modelled, read from the plugin sources (policy 5.1.4 / 5.2.1 / 5.3.1, AM resource 4.0.0 / 4.0.1):
- Token: first ``Authorization`` header starting with ``Bearer`` (any case), value after those 6 characters,
  trimmed; else the ``access_token`` query parameter (``TokenExtractor``).
- The resource named by ``oauthResource`` must exist on the API and be enabled; only the AM resource type
  (``oauth2-am-resource``) is modelled. A plan whose resource is missing extracts no token.
- Introspection (``OAuth2AMResource.introspect``): ``POST <serverURL path>/<securityDomain>/oauth/introspect``
  (``/oauth/check_token`` for ``version`` V1_X, the Java default when ``version`` is absent), headers
  ``Authorization: Basic base64(clientId:clientSecret)``, ``Accept: application/json``,
  ``Content-Type: application/x-www-form-urlencoded``, body ``token=<token>`` (not URL-encoded), 30 s timeout.
  A 200 is active when ``active`` is true (V2_X/V3_X); any other status or a network error is an error,
  which makes plan selection fail with 503.
- Client id of an active token: ``client_id``, else ``aud`` (its first element when a list)
  (``TokenIntrospectionResult.getClientId``). No client id means an invalid token.
- Scopes: ``scope`` (or ``scp``), a list or a string split on a space; ``modeStrict`` needs all required
  scopes, otherwise one is enough (``hasRequiredScopes``).
- ``authorization_servers`` (``getProtectedResourceMetadata``): ``URI(serverURL + "/" + securityDomain +
  "/oidc").normalize()`` with trailing slashes stripped.
"""

import base64
import json
import posixpath
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx2

from .routing import MCP_PROXY, WELL_KNOWN_PRM, split_original_url

AM_RESOURCE_TYPE = "oauth2-am-resource"
INTROSPECTION_TIMEOUT_S = 30.0
POLICY_DEFAULTS = {
    "oauthResource": None,
    "checkRequiredScopes": False,
    "requiredScopes": [],
    "modeStrict": True,
    "propagateAuthHeader": True,
    "addWwwAuthenticateHeader": True,
}


def as_object(value):
    """Plugin configurations may be stored as JSON strings; the gateway reads objects."""
    if value is None:
        return {}
    if isinstance(value, str):
        return json.loads(value) if value.strip() else {}
    return value


def security_type(plan):
    return str((plan.get("security") or {}).get("type", "")).upper().replace("-", "_")


def policy_config(plan):
    return {**POLICY_DEFAULTS, **as_object((plan.get("security") or {}).get("configuration"))}


def find_am_resource(api, name):
    """The enabled AM resource called ``name`` on the API, as its configuration dict, else None."""
    if not name:
        return None
    for resource in api.get("resources") or []:
        if resource.get("name") == name and resource.get("enabled", True) is not False:
            if resource.get("type") != AM_RESOURCE_TYPE:
                return None
            return as_object(resource.get("configuration"))
    return None


def extract_token(headers, query_string):
    for name, value in headers:
        if name == "authorization" and value[:6].lower() == "bearer":
            return value[6:].strip()
    values = parse_qs(query_string, keep_blank_values=True).get("access_token")
    return values[0] if values else None


def _as_text(payload, key):
    """Jackson ``path(key).asText()``: "" when missing or a container, "null" for null."""
    if key not in payload:
        return ""
    value = payload[key]
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return ""
    return str(value)


@dataclass
class Introspection:
    success: bool
    payload: dict | None = None
    error: str | None = None

    @property
    def client_id(self):
        if self.payload is None:
            return None
        client_id = _as_text(self.payload, "client_id")
        if not client_id:
            aud = self.payload.get("aud")
            if isinstance(aud, list):
                client_id = _as_text({"aud": aud[0]}, "aud") if aud else ""
            else:
                client_id = _as_text(self.payload, "aud")
        return client_id if client_id.strip() else None

    def scopes(self, separator=" "):
        if self.payload is None:
            return []
        key = "scope" if "scope" in self.payload else "scp"
        value = self.payload.get(key)
        if isinstance(value, list):
            return [_as_text({"v": item}, "v") for item in value]
        return _as_text(self.payload, key).split(separator)


def introspection_url(resource):
    server = urlsplit(resource.get("serverURL", ""))
    path = server.path or "/"
    if not path.endswith("/"):
        path += "/"
    endpoint = "/oauth/check_token" if resource.get("version", "V1_X") == "V1_X" else "/oauth/introspect"
    port = server.port or (443 if server.scheme == "https" else 80)
    return f"{server.scheme}://{server.hostname}:{port}{path}{resource.get('securityDomain')}{endpoint}"


async def introspect(http, resource, token):
    credentials = f"{resource.get('clientId')}:{resource.get('clientSecret')}".encode()
    headers = {
        "authorization": "Basic " + base64.b64encode(credentials).decode(),
        "accept": "application/json",
        "content-type": "application/x-www-form-urlencoded",
    }
    try:
        response = await http.post(introspection_url(resource), content=b"token=" + token.encode(),
                                   headers=headers, timeout=INTROSPECTION_TIMEOUT_S)
    except httpx2.HTTPError as exc:
        return Introspection(False, error=f"introspection failed: {exc!r}")
    if response.status_code != 200:
        return Introspection(False, error=f"introspection answered {response.status_code}")
    if resource.get("version", "V1_X") == "V1_X":
        return _from_text(True, response.text)
    try:
        body = response.json()
    except ValueError:
        return Introspection(False, error="introspection answered a non-JSON body")
    if not isinstance(body, dict):
        return Introspection(False, error="introspection answered a non-object body")
    # An inactive token's payload is replaced by an error object, which the policy never parses.
    return Introspection(True, body) if body.get("active") is True else Introspection(False)


def _from_text(success, text):
    try:
        payload = json.loads(text)
    except ValueError:
        payload = None
    return Introspection(success, payload if isinstance(payload, dict) else None)


def has_required_scopes(token_scopes, required, strict):
    if not required:
        return True
    if not token_scopes:
        return False
    if strict:
        return all(scope in token_scopes for scope in required)
    return any(scope in required for scope in token_scopes)


def authorization_server(resource):
    parts = urlsplit(f"{resource.get('serverURL')}/{resource.get('securityDomain')}/oidc")
    path = _normalise_uri_path(parts.path)
    return f"{parts.scheme}://{parts.netloc}{path}".rstrip("/")


def _normalise_uri_path(path):
    """``java.net.URI.normalize`` on a path: redundant slashes and ``.``/``..`` segments removed."""
    if not path:
        return path
    trailing = path.endswith("/")
    normalised = posixpath.normpath(path)
    if normalised.startswith("//"):
        normalised = "/" + normalised.lstrip("/")
    return normalised + ("/" if trailing and normalised != "/" else "")


def challenge(flavour, api_type, url, config):
    """The ``WWW-Authenticate`` value one OAuth2 plan contributes to a plan-unresolvable 401, or None."""
    if flavour.challenge == "none":
        return None
    if flavour.challenge == "suffix":
        # Measured on APIM CE 4.10.9 (policy 5.1.4): a PROXY API's 401 has no WWW-Authenticate at all (body
        # {"message":"Unauthorized","http_status_code":401}); only MCP_PROXY APIs get the suffix form.
        if api_type != MCP_PROXY or config.get("addWwwAuthenticateHeader") is False:
            return None
        return f'Bearer resource_metadata="{url}{WELL_KNOWN_PRM}"'
    value = "Bearer"
    if api_type == MCP_PROXY:
        scheme, authority, path = split_original_url(url)
        value += f' resource_metadata="{scheme}://{authority}{WELL_KNOWN_PRM}{path}"'
    scopes = config.get("requiredScopes")
    if scopes:
        value += ' scope="' + " ".join(scopes) + '"'
    return value
