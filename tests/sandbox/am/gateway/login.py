"""Login, sign-up and forgot-password pages of the sandbox AM gateway, and the browser session.

Facts from AM 4.12.4 (``RootProvider``, ``LoginFailureHandler``, ``RegisterAccessHandler``,
``RegisterFailureHandler``, ``RegisterSubmissionEndpoint``):
- ``/authorize`` without a signed-in user redirects to ``B/login?<authorize parameters>``; a good
  login goes back to ``B/oauth/authorize`` with the same parameters, a bad one redirects to the login
  page with ``error=login_failed&error_code=invalid_user&error_description=Invalid or unknown user``;
- a user signs in through the client's identity providers only (MAPI apps have none until patched;
  DCR clients get the domain's first one);
- ``B/register`` exists only when ``loginSettings.registerEnabled`` (else a redirect to ``B/error``
  with ``error=registration_failed``); success redirects to itself with ``success=registration_succeed``
  (also for an existing username, to avoid account enumeration);
- posted forms carry the CSRF token ``X-XSRF-TOKEN`` of the session (cookie ``GRAVITEE_IO_AM_SESSION``).
"""

import re

from starlette.responses import RedirectResponse

from tests.sandbox.am.store import hash_secret, new_id, now_ms

from . import pages
from .clients import find_client
from .common import OAuthError, Params, random_token, request_params

SESSION_COOKIE = "GRAVITEE_IO_AM_SESSION"
FLOW_NOISE = ("error", "error_code", "error_description", "success", "warning")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def session_of(ctx, request):
    """(session id, session dict) of the browser; a new session when the cookie is unknown."""
    sessions = ctx.store.gateway["sessions"]
    sid = request.cookies.get(SESSION_COOKIE)
    if sid not in sessions:
        sid = random_token(24)
        sessions[sid] = {"csrf": random_token(24), "users": {}, "consent": {}}
    return sid, sessions[sid]


def with_session(response, sid):
    response.set_cookie(SESSION_COOKIE, sid, path="/", httponly=True, samesite="lax")
    return response


def redirect(url, sid=None):
    response = RedirectResponse(url, status_code=302)
    return with_session(response, sid) if sid else response


def flow_params(request):
    """The OAuth parameters a login or consent page carries along (errors dropped)."""
    return [(k, v) for k, v in request.query_params.multi_items() if k not in FLOW_NOISE]


def csrf_ok(session, params):
    return params.get(pages.CSRF_FIELD) == session["csrf"]


def _user_may_sign_in(ctx, client, user):
    source = user.get("source") or ctx.default_idp
    return source in client.identity_providers


def _login_client(ctx, client_id):
    if client_id is None:
        raise OAuthError("invalid_request", "Missing parameter: client_id")
    client = find_client(ctx.store, ctx.domain_id, client_id)
    if client is None:
        raise OAuthError("invalid_request", "No client found for client_id " + client_id)
    return client


def _error_redirect(ctx, request, err):
    params = {"client_id": request.query_params.get("client_id") or "", "error": err.error,
              "error_description": err.description or ""}
    return redirect(ctx.url("/error", params))


async def login_page_endpoint(ctx, request):
    try:
        client = _login_client(ctx, request.query_params.get("client_id"))
    except OAuthError as err:
        return _error_redirect(ctx, request, err)
    sid, session = session_of(ctx, request)
    carried = flow_params(request)
    settings = ctx.login_settings
    page = pages.login_page(
        client_name=client.name, action=ctx.url("/login", carried), csrf=session["csrf"], client_id=client.client_id,
        register_url=ctx.url("/register", carried) if settings.get("registerEnabled") else None,
        forgot_url=ctx.url("/forgotPassword", carried) if settings.get("forgotPasswordEnabled") else None,
        error=request.query_params.get("error"), error_description=request.query_params.get("error_description"))
    return with_session(page, sid)


async def login_post_endpoint(ctx, request):
    params = Params(await request_params(request))
    sid, session = session_of(ctx, request)
    if not csrf_ok(session, params):
        return pages.error_page("Forbidden", "Invalid CSRF token", status=403)
    try:
        client = _login_client(ctx, params.get("client_id"))
    except OAuthError as err:
        return _error_redirect(ctx, request, err)
    carried = flow_params(request)
    user = ctx.store.users.get(ctx.domain_id, {}).get(params.get("username") or "")
    password = params.get("password") or ""
    if user is None or user.get("password_hash") != hash_secret(password) or not _user_may_sign_in(ctx, client, user):
        session["users"].pop(ctx.domain_id, None)
        failed = carried + [("error", "login_failed"), ("error_code", "invalid_user"),
                            ("error_description", "Invalid or unknown user")]
        return redirect(ctx.url("/login", failed), sid)
    session["users"][ctx.domain_id] = user["username"]
    session["signed_in_for"] = ctx.domain_id  # lets /authorize tell a fresh login from prompt=login
    return redirect(ctx.url("/oauth/authorize", carried), sid)


def _registration_disabled(ctx, request):
    return redirect(ctx.url("/error", flow_params(request) + [("error", "registration_failed")]))


async def register_page_endpoint(ctx, request):
    if not ctx.login_settings.get("registerEnabled"):
        return _registration_disabled(ctx, request)
    sid, session = session_of(ctx, request)
    carried = flow_params(request)
    login_url = ctx.url("/login", carried)
    if request.query_params.get("success"):
        return with_session(pages.register_success_page(login_url), sid)
    page = pages.register_page(action=ctx.url("/register", carried), csrf=session["csrf"],
                               client_id=request.query_params.get("client_id"), login_url=login_url,
                               warning=request.query_params.get("warning"))
    return with_session(page, sid)


async def register_post_endpoint(ctx, request):
    params = Params(await request_params(request))
    sid, session = session_of(ctx, request)
    if not csrf_ok(session, params):
        return pages.error_page("Forbidden", "Invalid CSRF token", status=403)
    if not ctx.login_settings.get("registerEnabled"):
        return _registration_disabled(ctx, request)
    carried = flow_params(request)
    fields = {name: (params.get(name) or "").strip() for name in ("username", "email", "password", "firstName",
                                                                  "lastName")}
    if not all(fields.values()):
        return redirect(ctx.url("/register", carried + [("warning", "invalid_user_information")]), sid)
    if not EMAIL.match(fields["email"]):
        return redirect(ctx.url("/register", carried + [("warning", "invalid_email")]), sid)
    users = ctx.store.users.setdefault(ctx.domain_id, {})
    if fields["username"] not in users:
        source = (ctx.domain.get("accountSettings") or {}).get("defaultIdentityProviderForRegistration")
        users[fields["username"]] = {
            "id": new_id(), "username": fields["username"], "password_hash": hash_secret(params.get("password")),
            "email": fields["email"], "firstName": fields["firstName"], "lastName": fields["lastName"],
            "source": source or ctx.default_idp, "createdAt": now_ms(), "registrationCompleted": True,
        }
    return redirect(ctx.url("/register", carried + [("success", "registration_succeed")]), sid)


async def forgot_password_endpoint(ctx, request):
    if not ctx.login_settings.get("forgotPasswordEnabled"):
        return redirect(ctx.url("/error", flow_params(request) + [("error", "forgot_password_failed")]))
    sid, session = session_of(ctx, request)
    carried = flow_params(request)
    if request.method == "POST":
        params = Params(await request_params(request))
        if not csrf_ok(session, params):
            return pages.error_page("Forbidden", "Invalid CSRF token", status=403)
        return redirect(ctx.url("/forgotPassword", carried + [("success", "forgot_password_completed")]), sid)
    page = pages.forgot_password_page(action=ctx.url("/forgotPassword", carried), csrf=session["csrf"],
                                      client_id=request.query_params.get("client_id"),
                                      done=bool(request.query_params.get("success")))
    return with_session(page, sid)


async def error_page_endpoint(ctx, request):
    return pages.error_page(request.query_params.get("error"), request.query_params.get("error_description"))


def signed_in_user(ctx, session):
    username = session["users"].get(ctx.domain_id)
    return ctx.store.users.get(ctx.domain_id, {}).get(username) if username else None
