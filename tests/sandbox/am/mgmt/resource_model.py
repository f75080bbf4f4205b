"""Request models of the protected-resource API and their bean validation.

Versions: ``settings`` exists from 4.11 (and ``certificate``/``secretSettings`` on
PATCH); from 4.11 PUT ignores unknown properties, and PUT/PATCH features ignore unknown
keys and also accept the lowercase type id ``mcp_tool`` that GET writes. Create always
wants exactly ``MCP_TOOL``.

Bean-validation messages follow ``NewProtectedResource`` & co.; when several constraints
fail AM's order is unspecified (a hash set), the sandbox lists them in field order.
"""

import re

from tests.sandbox.am.validation import java_uri_host

from .binding import BOOLEAN, INT, STRING, FreeMap, ListOf, Obj, Polymorphic, bind
from .common import violations

NAME_SIZE = "Name must be between 1 and 64 characters"
NAME_PATTERN = "Name must begin with a non-whitespace character"
KEY_SIZE = "Key must be between 1 and 64 characters"
KEY_PATTERN = "must match regex ^[a-zA-Z0-9_-]+$"
TYPE_PATTERN = "Available types: [MCP_SERVER]"

# The resource's own OAuth client settings (ApplicationSettings.oauth): what GET shows can be sent
# back. Only these keys are modelled; anything else in ``settings`` is refused as an unknown property.
OAUTH_SETTINGS = Obj({
    "clientId": STRING, "clientSecret": STRING, "clientName": STRING,
    "grantTypes": ListOf(STRING), "responseTypes": ListOf(STRING), "redirectUris": ListOf(STRING),
    "tokenEndpointAuthMethod": STRING, "accessTokenValiditySeconds": INT, "refreshTokenValiditySeconds": INT,
    "idTokenValiditySeconds": INT,
    "scopeSettings": ListOf(Obj({"scope": STRING, "defaultScope": BOOLEAN, "scopeApproval": INT})),
    **{flag: BOOLEAN for flag in (
        "forcePKCE", "forceS256CodeChallengeMethod", "enhanceScopesWithUserPermissions",
        "tlsClientCertificateBoundAccessTokens", "singleSignOut", "silentReAuthentication", "requireParRequest",
        "backchannelUserCodeParameter", "disableRefreshTokenRotation")},
})
APPLICATION_SETTINGS = Obj({"oauth": OAUTH_SETTINGS})
SECRET_SETTINGS = Obj({"id": STRING, "algorithm": STRING, "properties": FreeMap()})


def _tool(ignore_unknown=False):
    return Obj({"key": STRING, "description": STRING, "scopes": ListOf(STRING)}, ignore_unknown=ignore_unknown)


def _features(ctx, for_update):
    if for_update and ctx.at_least("4.11.0"):
        tool = _tool(ignore_unknown=True)
        return ListOf(Polymorphic({"MCP_TOOL": ("mcp_tool", tool), "mcp_tool": ("mcp_tool", tool)}))
    return ListOf(Polymorphic({"MCP_TOOL": ("mcp_tool", _tool())}))


def bind_new(ctx, body):
    fields = {"name": STRING, "description": STRING, "resourceIdentifiers": ListOf(STRING), "clientId": STRING,
              "clientSecret": STRING, "type": STRING, "features": _features(ctx, False)}
    if ctx.at_least("4.11.0"):
        fields["settings"] = APPLICATION_SETTINGS
    return bind(body, Obj(fields))


def bind_patch(ctx, body):
    fields = {"name": STRING, "description": STRING, "resourceIdentifiers": ListOf(STRING),
              "features": _features(ctx, True)}
    if ctx.at_least("4.11.0"):
        fields.update({"certificate": STRING, "secretSettings": ListOf(SECRET_SETTINGS),
                       "settings": APPLICATION_SETTINGS})
    return bind(body, Obj(fields))


def bind_update(ctx, body):
    fields = {"name": STRING, "description": STRING, "resourceIdentifiers": ListOf(STRING),
              "features": _features(ctx, True)}
    newer = ctx.at_least("4.11.0")
    if newer:
        fields["settings"] = APPLICATION_SETTINGS
    return bind(body, Obj(fields, ignore_unknown=newer))


def _blank(text):
    return text is None or all(ord(ch) <= 32 for ch in text)  # java String.trim()


def _name_problems(name, required):
    if name is None:
        return [("name", "must not be blank")] if required else []
    problems = [(name, "must not be blank")] if required and _blank(name) else []
    if not 1 <= len(name) <= 64:
        problems.append((name, NAME_SIZE))
    if not re.fullmatch(r"[^ \t\n\x0b\f\r].*", name):
        problems.append((name, NAME_PATTERN))
    return problems


def _url_invalid(value):
    if value == "":
        return False  # @Url accepts empty values, @NotBlank reports them
    try:
        return java_uri_host(value) is None or "#" in value
    except ValueError:
        return True


def _identifier_problems(identifiers, required):
    if identifiers is None:
        return [("resourceIdentifiers", "must not be empty")] if required else []
    if not identifiers and required:
        return [("[]", "must not be empty")]
    problems = []
    for value in identifiers:
        if value is None:
            problems.append(("<list element>", "must not be blank"))
            continue
        if _blank(value):
            problems.append((value, "must not be blank"))
        if _url_invalid(value):
            problems.append((value, "Invalid URL"))
    return problems


def _feature_problems(features):
    problems = []
    for feature in features or []:
        if feature is None:
            continue
        key = feature.get("key")
        if key is None:
            problems.append(("key", "must not be blank"))
        else:
            if _blank(key):
                problems.append((key, "must not be blank"))
            if not 1 <= len(key) <= 64:
                problems.append((key, KEY_SIZE))
            if not re.fullmatch(r"[a-zA-Z0-9_-]+", key):
                problems.append((key, KEY_PATTERN))
        for scope in feature.get("scopes") or []:
            if _blank(scope):
                problems.append((scope if scope is not None else "<list element>", "must not be blank"))
    return problems


def validate_new(new):
    problems = _name_problems(new.get("name"), required=True)
    problems += _identifier_problems(new.get("resourceIdentifiers"), required=True)
    kind = new.get("type")
    if kind is None:
        problems.append(("type", "must not be empty"))
    else:
        if kind == "":
            problems.append((kind, "must not be empty"))
        if kind != "MCP_SERVER":
            problems.append((kind, TYPE_PATTERN))
    problems += _feature_problems(new.get("features"))
    if problems:
        raise violations(problems)


def validate_patch(patch):
    problems = _name_problems(patch.get("name"), required=False)
    problems += _identifier_problems(patch.get("resourceIdentifiers"), required=False)
    problems += _feature_problems(patch.get("features"))
    if problems:
        raise violations(problems)


def validate_update(update):
    problems = _name_problems(update.get("name"), required=True)
    problems += _identifier_problems(update.get("resourceIdentifiers"), required=True)
    problems += _feature_problems(update.get("features"))
    if problems:
        raise violations(problems)


def has_any_field(ctx, patch):
    """PatchProtectedResource.hasAnyField: ``certificate`` counts even when null (it resets it)."""
    keys = ("name", "description", "resourceIdentifiers", "features", "secretSettings", "settings")
    return any(patch.get(k) is not None for k in keys) or (ctx.at_least("4.11.0") and "certificate" in patch)
