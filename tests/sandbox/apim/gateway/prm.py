"""Protected Resource Metadata (RFC 9728), as the OAuth2 plan's ``onWellKnown`` hook answers it.

The gateway asks every plan's policy, before the security chain, whether it answers the request as a
well-known document (``v4.security.HttpSecurityChain.execute``); the first that does ends the request with
200. Only OAuth2 plans whose AM resource exists answer. ``resource`` is built from the *request*, never from
the API's context path (``Oauth2Policy.onWellKnown``):

- policy 5.3.1 (APIM 4.12): ``rawPath`` of the original URL; if it starts with
  ``/.well-known/oauth-protected-resource`` the rest is the resource path (inserted form), else if it ends
  with it the part before is (suffix form); an empty resource path becomes ``/``. ``resource =
  <scheme>://<raw authority><resource path>``: ``/.well-known/oauth-protected-resource/mcp`` gives
  ``…/mcp`` and ``/mcp/.well-known/oauth-protected-resource`` gives ``…/mcp`` (no trailing slash), while
  ``/.well-known/oauth-protected-resource/mcp/`` gives ``…/mcp/``. Content-Type ``application/json``.
- policy 5.2.x (APIM 4.10.12-4.11.x): the inserted form only, same ``resource`` rule (no ``/`` fallback),
  no Content-Type header.
- policy 5.1.4 (APIM 4.10.0-4.10.11): when the original URL (query string included) ends with
  ``.well-known/oauth-protected-resource``, ``resource`` = that URL minus
  ``/.well-known/oauth-protected-resource``; ``scopes_supported`` is always ``[]`` (AM resource 4.0.0);
  no Content-Type header.

Routing of the inserted form (``/.well-known/oauth-protected-resource/<ctx>``) lives in the closed mcp-proxy
reactor; the sandbox routes it to the MCP_PROXY API whose context path matches ``<ctx>`` and answers 404
(no context path) when that API has no OAuth2 plan able to answer.
"""

import json

from . import oauth2
from .routing import WELL_KNOWN_PRM, split_original_url
from .security import ordered_plans


def well_known_document(flavour, api, url):
    """(headers, body) of the first plan that answers, or None."""
    for plan in ordered_plans(api):
        if oauth2.security_type(plan) != "OAUTH2":
            continue
        config = oauth2.policy_config(plan)
        resource = oauth2.find_am_resource(api, config.get("oauthResource"))
        if resource is None:
            continue
        protected_resource = _protected_resource_uri(flavour, url)
        if protected_resource is None:
            return None  # every plan computes the same URI: none of them answers
        scopes = list(config.get("requiredScopes") or []) if flavour.prm_scopes else []
        document = {
            "resource": protected_resource,
            "authorization_servers": [oauth2.authorization_server(resource)],
            "scopes_supported": scopes,
        }
        headers = [("content-type", "application/json")] if flavour.prm_content_type else []
        return headers, json.dumps(document, separators=(",", ":")).encode()
    return None


def _protected_resource_uri(flavour, url):
    if flavour.challenge == "suffix":
        if not url.endswith(".well-known/oauth-protected-resource"):
            return None
        return url[:-len(WELL_KNOWN_PRM)]
    scheme, authority, raw_path = split_original_url(url)
    if flavour.prm_inserted and raw_path.startswith(WELL_KNOWN_PRM):
        path = raw_path[len(WELL_KNOWN_PRM):]
    elif flavour.prm_suffix and raw_path.endswith(WELL_KNOWN_PRM):
        path = raw_path[:-len(WELL_KNOWN_PRM)]
    else:
        return None
    if not path and flavour.prm_suffix:  # the "/" fallback came with 5.3.x, which also added the suffix form
        path = "/"
    return f"{scheme}://{authority}{path}"
