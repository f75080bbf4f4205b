"""The AM gateway's redeploy window after a domain change (measured on real AM 4.10.8).

After every change of a security domain (``PATCH``/``PUT /domains/{id}``) the AM gateway redeploys the
domain, and for a short time its endpoints misbehave: a login 12 ms after the change answered 500
``No identity provider found for client``, and an RFC 7592 ``DELETE`` of a client registered just before
answered 404 (the client was left in AM). The sandbox models that window with
``config.domain_redeploy_window`` (seconds, 0 = off): from a domain change and for that long (and, when
``config.domain_redeploy_refusals`` is set, until at least that many requests have been refused, so a test
meets the window however slowly the machine runs),

- the login page and the login form (``GET``/``POST B/login``) answer 500 with that message;
- RFC 7592 client management (``GET``/``DELETE B/oidc/register/{client_id}``) answers 404
  ``client not found``, as for a client the gateway does not know.

Discovery, DCR, authorize and token endpoints keep working (the domain itself is still served).
"""

from tests.sandbox.am.store import now_ms

from . import pages
from .common import OAuthError

NO_IDP = "No identity provider found for client"


def _windows(store):
    return store.gateway.setdefault("redeploying_until", {})


def _refusals_left(store):
    return store.gateway.setdefault("refusals_left", {})


def domain_changed(sandbox, domain_id):
    """A domain change: open the window (when switched on)."""
    window_ms = int(float(sandbox.config.domain_redeploy_window or 0) * 1000)
    if window_ms > 0:
        _windows(sandbox.am)[domain_id] = now_ms() + window_ms
        _refusals_left(sandbox.am)[domain_id] = int(sandbox.config.domain_redeploy_refusals or 0)


def redeploying(ctx):
    """Whether this request falls in the window; a refusal it causes counts towards the floor."""
    until = _windows(ctx.store).get(ctx.domain_id)
    if until is None:
        return False
    left = _refusals_left(ctx.store).get(ctx.domain_id, 0)
    if now_ms() >= until and left <= 0:
        return False
    _refusals_left(ctx.store)[ctx.domain_id] = left - 1
    return True


def login_unavailable(handler):
    """``handler`` for the login page/form, answering 500 during the window."""
    async def endpoint(ctx, request):
        if redeploying(ctx):
            return pages.error_page("server_error", NO_IDP, status=500)
        return await handler(ctx, request)
    return endpoint


def client_unknown(handler):
    """``handler`` for RFC 7592 client management, answering 404 during the window."""
    async def endpoint(ctx, request):
        if redeploying(ctx):
            raise OAuthError("not_found", "client not found", 404)
        return await handler(ctx, request)
    return endpoint
