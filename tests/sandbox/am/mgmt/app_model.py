"""Applications' OAuth rules (AM's ApplicationServiceImpl.java): type templates and the checks AM runs on save.

- Templates (``Application*Template``): every type gets a client id and a generated secret;
  WEB is a confidential client (authorization_code + password, client_secret_basic),
  NATIVE and BROWSER are public clients (authorization_code, PKCE forced with S256,
  ``tokenEndpointAuthMethod`` none), SERVICE has client_credentials, RESOURCE_SERVER is WEB
  plus client_credentials and the ``uma_protection`` scope, AGENT (4.12+) follows its ``kind``.
- Checks (``ApplicationServiceImpl.validateApplicationMetadata``): supported grant types,
  response/grant type correspondence, refresh_token companions, redirect URIs against the
  domain's client registration flags, scopes known to the domain, no ``none`` auth method
  with client_credentials.

Java ``HashSet`` iteration order is reproduced where AM builds lists from sets.
"""

from tests.sandbox.am.store import new_id, random_secret
from tests.sandbox.am.validation import application_redirect_uri_error

from .common import MgmtError, bad_request

AUTHORIZATION_CODE = "authorization_code"
IMPLICIT = "implicit"
REFRESH_TOKEN = "refresh_token"
CLIENT_CREDENTIALS = "client_credentials"
PASSWORD = "password"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
SUPPORTED_GRANT_TYPES = {
    AUTHORIZATION_CODE, IMPLICIT, REFRESH_TOKEN, CLIENT_CREDENTIALS, PASSWORD, JWT_BEARER, TOKEN_EXCHANGE,
    "urn:ietf:params:oauth:grant-type:uma-ticket", "urn:openid:params:grant-type:ciba",
}
CODE_RESPONSE_TYPES = ("code", "code token", "code id_token", "code id_token token")
IMPLICIT_RESPONSE_TYPES = ("token", "id_token", "id_token token")
AGENT_KINDS = ("USER_EMBEDDED", "HOSTED_DELEGATED", "AUTONOMOUS")


def _java_hash(text):
    value = 0
    for ch in text:
        value = (31 * value + ord(ch)) & 0xFFFFFFFF
    return value


def java_hash_set(items):
    """The iteration order of a small ``java.util.HashSet`` of strings (16 buckets)."""
    unique = list(dict.fromkeys(items))

    def bucket(text):
        h = _java_hash(text)
        return (h ^ (h >> 16)) & 15

    return sorted(unique, key=lambda text: (bucket(text), unique.index(text)))


def _code_flow_response_types(oauth):
    """The else-branch of the WEB/NATIVE/BROWSER templates: response types follow the grants."""
    current = list(oauth.get("responseTypes") or [])
    result = list(current)
    grants = oauth.get("grantTypes") or []
    if AUTHORIZATION_CODE in grants:
        if not any(t in current for t in CODE_RESPONSE_TYPES):
            result += CODE_RESPONSE_TYPES
    else:
        result = [t for t in result if t not in CODE_RESPONSE_TYPES]
    if IMPLICIT in grants:
        if not any(t in current for t in IMPLICIT_RESPONSE_TYPES):
            result += IMPLICIT_RESPONSE_TYPES
    else:
        result = [t for t in result if t not in IMPLICIT_RESPONSE_TYPES]
    return java_hash_set(result)


def apply_template(app):
    """``ApplicationTemplateManager.apply``: fill what the application type implies."""
    kind = app["type"]
    oauth = app["settings"]["oauth"]
    oauth["clientId"] = oauth.get("clientId") or new_id()
    oauth["clientSecret"] = oauth.get("clientSecret") or random_secret()
    oauth.setdefault("clientName", app.get("name"))
    if kind == "agent":
        return
    public = kind in ("native", "browser")
    oauth["clientType"] = "public" if public else "confidential"
    oauth["applicationType"] = "native" if kind == "native" else "web"
    if oauth.get("grantTypes"):
        if kind != "service":
            oauth["responseTypes"] = _code_flow_response_types(oauth)
    elif kind == "service":
        oauth.update(grantTypes=[CLIENT_CREDENTIALS], responseTypes=[], tokenEndpointAuthMethod="client_secret_basic")
    else:
        oauth["grantTypes"] = [AUTHORIZATION_CODE] if public else [AUTHORIZATION_CODE, PASSWORD]
        oauth["responseTypes"] = java_hash_set(CODE_RESPONSE_TYPES)
        if public:
            oauth.update(forcePKCE=True, forceS256CodeChallengeMethod=True, tokenEndpointAuthMethod="none")
        else:
            oauth["tokenEndpointAuthMethod"] = "client_secret_basic"
    if kind == "resource_server":
        scopes = oauth.setdefault("scopeSettings", [])
        if not any(s.get("scope") == "uma_protection" for s in scopes):
            scopes.append({"scope": "uma_protection", "defaultScope": False})
        if CLIENT_CREDENTIALS not in oauth["grantTypes"]:
            oauth["grantTypes"] = oauth["grantTypes"] + [CLIENT_CREDENTIALS]


def apply_agent_defaults(kind, oauth):
    """``applyAgentDefaults``: what an AGENT of each kind starts with."""
    if kind == "USER_EMBEDDED":
        oauth.update(clientType="public", tokenEndpointAuthMethod="none", forcePKCE=True,
                     forceS256CodeChallengeMethod=True)
        oauth["grantTypes"] = oauth.get("grantTypes") or [AUTHORIZATION_CODE]
        oauth["responseTypes"] = oauth.get("responseTypes") or ["code"]
    elif kind == "HOSTED_DELEGATED":
        oauth.setdefault("tokenEndpointAuthMethod", "private_key_jwt")
        oauth["grantTypes"] = oauth.get("grantTypes") or [AUTHORIZATION_CODE, CLIENT_CREDENTIALS, TOKEN_EXCHANGE]
        oauth["responseTypes"] = oauth.get("responseTypes") or ["code"]
    elif kind == "AUTONOMOUS":
        oauth.setdefault("tokenEndpointAuthMethod", "private_key_jwt")
        oauth.pop("redirectUris", None)
        oauth["grantTypes"] = oauth.get("grantTypes") or [CLIENT_CREDENTIALS, TOKEN_EXCHANGE]


def _complete_grant_types(oauth):
    """GrantTypeUtils.completeGrantTypeCorrespondance."""
    responses = set(oauth.get("responseTypes") or [])
    grants = list(oauth.get("grantTypes") or [])
    needs_code = any(t in responses for t in CODE_RESPONSE_TYPES)
    needs_implicit = any(t in responses for t in IMPLICIT_RESPONSE_TYPES)
    changed = False
    for grant, needed in ((AUTHORIZATION_CODE, needs_code), (IMPLICIT, needs_implicit)):
        if needed and grant not in grants:
            grants.append(grant)
            changed = True
        elif not needed and grant in grants:
            grants.remove(grant)
            changed = True
    if not responses and not grants:
        oauth["responseTypes"], oauth["grantTypes"] = ["code"], [AUTHORIZATION_CODE]
    elif changed:
        oauth["grantTypes"] = java_hash_set(grants)


def validate_oauth(store, domain, app):
    """The checks AM runs before storing an application (create and patch)."""
    oauth = app["settings"]["oauth"]
    grants = oauth.get("grantTypes")
    if not grants or any((g or "").split("~")[0] not in SUPPORTED_GRANT_TYPES for g in grants):
        raise MgmtError(400, "Missing or invalid grant type.")
    _complete_grant_types(oauth)
    if REFRESH_TOKEN in oauth["grantTypes"] and not {AUTHORIZATION_CODE, PASSWORD, JWT_BEARER} & set(grants):
        raise bad_request(f"{REFRESH_TOKEN} grant type must be associated with one of "
                          f"{AUTHORIZATION_CODE}, {PASSWORD}, {JWT_BEARER}")
    redirect_uris = oauth.get("redirectUris") or []
    if IMPLICIT in oauth["grantTypes"] and not redirect_uris:
        raise bad_request("Missing or invalid redirect_uris.")
    registration = (domain.get("oidc") or {}).get("clientRegistrationSettings") or {}
    for uri in redirect_uris:
        message = application_redirect_uri_error(registration, uri)
        if message:
            raise bad_request(message)
    if not redirect_uris and app["type"] not in ("service", "agent"):
        raise bad_request("At least one redirect_uri is required")
    known = store.scopes.get(domain["id"], {})
    for setting in oauth.get("scopeSettings") or []:
        if setting.get("scope") not in known:
            raise bad_request(f"scope {setting.get('scope')} is not valid.")
    uses_client_credentials = app["type"] == "service" or CLIENT_CREDENTIALS in oauth["grantTypes"]
    if uses_client_credentials and oauth.get("tokenEndpointAuthMethod") == "none":
        raise bad_request("Invalid token_endpoint_auth_method for service application (client_credentials grant type)")
