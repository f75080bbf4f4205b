"""``POST E/domains/{id}/cimd/validate`` (AM 4.12+, ``CimdResource.java``): fetch a client's metadata document
the way the gateway will and preview it; 400 "CIMD is not enabled for this domain." while CIMD is off.
The route has no GET (Jersey answers 405), and before 4.12 it does not exist (404)."""

from tests.sandbox.am.gateway import cimd as gateway_cimd
from tests.sandbox.am.gateway.common import OAuthError

from .binding import STRING, Obj, bind
from .common import MgmtError, bad_request, json_response, read_json, violations

PREVIEWED = ("client_id", "client_name", "redirect_uris", "scope", "grant_types", "response_types",
             "token_endpoint_auth_method", "application_type", "logo_uri", "client_uri", "software_id")


async def validate_url(ctx):
    request = bind(await read_json(ctx.request, param="request"), Obj({"url": STRING}))
    if request is None or request.get("url") is None:
        raise violations([("url", "must not be null")])
    domain = ctx.domain()
    if not gateway_cimd.enabled(domain):
        raise bad_request("CIMD is not enabled for this domain.")
    url = gateway_cimd.canonicalize(request["url"]) if gateway_cimd.is_url_shaped(request["url"]) else request["url"]
    try:
        document = await gateway_cimd.fetch_document(ctx.sandbox, url, gateway_cimd.settings_of(domain))
    except OAuthError as err:
        raise MgmtError(400, err.description) from None
    return json_response({
        "url": url, "hasInlineJwks": isinstance(document.get("jwks"), dict),
        "missing": {"clientId": "client_id" not in document, "clientName": "client_name" not in document},
        "metadata": {key: document[key] for key in PREVIEWED if document.get(key) is not None}})


ROUTES = [(r"{D}/cimd/validate", {"POST": validate_url}, "4.12.0")]
