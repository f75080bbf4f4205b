"""The sandbox AM gateway: what MCP clients and the APIM AM resource talk to (AM's OIDCProvider.java routes).

Every route lives under ``/<domain path>``; an unknown, disabled or not yet synced domain answers
404, and so does anything at the root (AM serves no RFC 8414 metadata, not even at
``/.well-known/oauth-authorization-server/<domain>/oidc``). The endpoints are split by concern:
discovery (``discovery``), DCR (``dcr``), login pages (``login``), authorize and consent
(``authorize``), token, introspection, revocation and userinfo (``token``). State lives in the shared AM
store (``store.gateway`` for gateway-only data).
"""

from starlette.applications import Starlette
from starlette.responses import RedirectResponse
from starlette.routing import Route

from . import authorize, cimd, dcr, discovery, login, redeploy, token
from .common import OAuthError, Params, domain_context, not_found, request_params

ROUTES = (
    ("/oidc/.well-known/openid-configuration", ["GET"], discovery.openid_configuration_endpoint),
    ("/oidc/.well-known/jwks.json", ["GET"], discovery.jwks_endpoint),
    ("/.well-known", ["GET"], discovery.well_known_index_endpoint),
    ("/.well-known/{rest:path}", ["GET"], discovery.well_known_index_endpoint),
    ("/oidc/register", ["POST"], dcr.register_endpoint),
    ("/oidc/register/{client_id}", ["GET"], redeploy.client_unknown(dcr.read_client_endpoint)),
    ("/oidc/register/{client_id}", ["DELETE"], redeploy.client_unknown(dcr.delete_client_endpoint)),
    ("/oidc/userinfo", ["GET", "POST"], token.userinfo_endpoint),
    ("/oauth/authorize", ["GET"], authorize.authorize_endpoint),
    ("/oauth/consent", ["GET"], authorize.consent_page_endpoint),
    ("/oauth/consent", ["POST"], authorize.consent_post_endpoint),
    ("/oauth/token", ["POST"], token.token_endpoint),
    ("/oauth/introspect", ["POST"], token.introspect_endpoint),
    ("/oauth/revoke", ["POST"], token.revoke_endpoint),
    ("/oauth/error", ["GET"], login.error_page_endpoint),
    ("/login", ["GET"], redeploy.login_unavailable(login.login_page_endpoint)),
    ("/login", ["POST"], redeploy.login_unavailable(login.login_post_endpoint)),
    ("/register", ["GET"], login.register_page_endpoint),
    ("/register", ["POST"], login.register_post_endpoint),
    ("/forgotPassword", ["GET", "POST"], login.forgot_password_endpoint),
    ("/error", ["GET"], login.error_page_endpoint),
)


def _domain_endpoint(sandbox, handler):
    async def endpoint(request):
        ctx = domain_context(sandbox, request)
        if ctx is None:
            return not_found()
        try:
            # A URL-shaped client_id (CIMD) is fetched and checked before the endpoint looks it up.
            params = Params(await request_params(request))
            try:
                await cimd.resolve(ctx, params.get("client_id"))
            except OAuthError as err:
                if handler is not authorize.authorize_endpoint:
                    raise
                # The client is unknown, so its redirect_uri is untrusted: AM's error page.
                query = {"client_id": params.get("client_id"), "error": err.error,
                         "error_description": err.description, "state": params.get("state")}
                return RedirectResponse(ctx.url("/oauth/error", {k: v for k, v in query.items() if v is not None}),
                                        status_code=302)
            return await handler(ctx, request)
        except OAuthError as err:
            return err.response()

    return endpoint


def build_app(sandbox):
    # Starlette tries every route: one path may appear once per method set.
    app = Starlette(routes=[Route("/{domain}" + path, _domain_endpoint(sandbox, handler), methods=methods)
                            for path, methods, handler in ROUTES])
    app.router.redirect_slashes = False

    async def ignore_trailing_slash(scope, receive, send):
        # Vert.x routes match "/x/" like "/x" (no redirect).
        if scope["type"] == "http" and len(scope["path"]) > 1 and scope["path"].endswith("/"):
            scope = {**scope, "path": scope["path"].rstrip("/") or "/"}
        await app(scope, receive, send)

    return ignore_trailing_slash
