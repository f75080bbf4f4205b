"""Builders for hand-made exchanges used by the contract unit tests."""

import base64
import json

import pytest

from .exchange import Exchange, ExchangeChecker
from .specs import SpecsMissing, default_specs_dir, shared_specs

APIM = "/management/v2/environments/DEFAULT"
AM_E = "/management/organizations/DEFAULT/environments/DEFAULT"
AM_D = AM_E + "/domains/dom-1"
BASIC = "Basic " + base64.b64encode(b"admin:admin").decode()
BEARER = "Bearer some-token"


def specs_or_skip():
    try:
        return shared_specs(str(default_specs_dir()))
    except SpecsMissing as exc:
        pytest.skip(str(exc))


def checker():
    return ExchangeChecker(specs_or_skip())


def exchange(component, method, path, status, request=None, response=None, query="", auth=None,
             request_type="application/json", response_type="application/json", **versions):
    """An :class:`Exchange`; ``request``/``response`` are JSON values (or raw bytes)."""
    auth = auth if auth is not None else (BASIC if component == "apim_mgmt" else BEARER)
    request_headers = {"authorization": auth} if auth else {}

    def encode(value):
        if value is None:
            return b""
        return value if isinstance(value, bytes) else json.dumps(value).encode()

    if request is not None and request_type:
        request_headers["content-type"] = request_type
    response_headers = {"content-type": response_type} if response is not None and response_type else {}
    return Exchange(component=component, method=method, path=path, query=query, status=status,
                    request_headers=request_headers, request_body=encode(request),
                    response_headers=response_headers, response_body=encode(response), **versions)


def failures(violations):
    return [v for v in violations if not v.deviation]


def tolerated(violations):
    return [v for v in violations if v.deviation]


def create_api_body():
    return {
        "definitionVersion": "V4", "type": "MCP_PROXY", "name": "API MCP Proxy", "apiVersion": "1.0",
        "listeners": [{"type": "HTTP", "paths": [{"path": "/mcp-proxy/"}],
                       "entrypoints": [{"type": "mcp-proxy", "qos": "NONE", "configuration": {}}]}],
        "endpointGroups": [{"name": "Default MCP Proxy group", "type": "mcp-proxy",
                            "loadBalancer": {"type": "ROUND_ROBIN"},
                            "endpoints": [{"name": "Default MCP Proxy", "type": "mcp-proxy", "weight": 1,
                                           "inheritConfiguration": True,
                                           "configuration": {"target": "http://mcp:3001/mcp"}}]}],
        "flowExecution": {"mode": "DEFAULT", "matchRequired": False},
        "flows": [],
    }


def api_v4_response():
    body = create_api_body()
    body.update({"id": "api-1", "crossId": "cross-1", "state": "STOPPED", "lifecycleState": "CREATED",
                 "visibility": "PRIVATE", "deploymentState": "NEED_REDEPLOY",
                 "createdAt": "2025-01-01T10:00:00Z", "updatedAt": "2025-01-01T10:00:00Z"})
    return body


def domain_response(**oidc_settings):
    return {"id": "dom-1", "hrid": "mcp-domain", "name": "mcp-domain", "path": "/mcp-domain", "enabled": True,
            "oidc": {"clientRegistrationSettings": dict(oidc_settings)}}
