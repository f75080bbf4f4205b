"""HTML pages of the sandbox AM gateway: login, consent, sign-up, errors.

Plain forms without JavaScript, with the field names of AM's templates (``login.html``,
``oauth2_user_consent.html``, ``registration.html``): ``username``, ``password``, the CSRF field
``X-XSRF-TOKEN``, a hidden ``client_id``; the consent form posts ``scope.<key>=true`` and
``user_oauth_approval`` (the deny button comes first, as in AM). The sign-up link is shown only
when the domain allows registration, the forgot-password link only when that is on.
"""

from html import escape

from starlette.responses import HTMLResponse

CSRF_FIELD = "X-XSRF-TOKEN"


def _page(title, body, status=200):
    html = (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title></head>"
            f"<body><main>\n{body}\n</main></body></html>\n")
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def _hidden(name, value):
    return f'<input type="hidden" name="{escape(name)}" value="{escape(value or "")}"/>'


def login_page(*, client_name, action, csrf, client_id, register_url=None, forgot_url=None, error=None,
               error_description=None):
    parts = [f"<h1>Sign in to {escape(client_name)}</h1>"]
    if register_url:
        parts.append(f'<p>New user? <a id="register" href="{escape(register_url)}">Sign up</a></p>')
    if error:
        parts.append(f'<p class="error" role="alert"><span class="error">{escape(error)}</span> '
                     f"<small>{escape(error_description or 'Wrong user or password')}</small></p>")
    parts.append(f'<form id="form" action="{escape(action)}" method="post">')
    parts.append('<label for="username">Username</label>'
                 '<input type="text" id="username" name="username" autocomplete="username" required/>')
    parts.append('<label for="password">Password</label>'
                 '<input type="password" id="password" name="password" autocomplete="current-password" required/>')
    parts.append(_hidden(CSRF_FIELD, csrf) + _hidden("client_id", client_id))
    parts.append('<button type="submit" id="submitBtn">Sign in</button></form>')
    if forgot_url:
        parts.append(f'<p><a id="forgot-password" href="{escape(forgot_url)}">Forgot password?</a></p>')
    return _page("Login", "\n".join(parts))


def consent_page(*, client_name, action, csrf, scopes):
    rows = "".join(
        f'<li><label><input type="checkbox" name="scope.{escape(s)}" value="true" checked="checked"/> {escape(s)}'
        f"</label></li>" for s in scopes)
    body = (f"<h1>{escape(client_name)} wants to access your account</h1>"
            f'<form id="confirmationForm" action="{escape(action)}" method="post"><ul>{rows}</ul>'
            f"{_hidden(CSRF_FIELD, csrf)}"
            '<button type="submit" name="user_oauth_approval" value="false">Deny</button>'
            '<button type="submit" id="allowButton" name="user_oauth_approval" value="true">Authorize</button>'
            "</form>")
    return _page("Consent", body)


REGISTER_WARNINGS = {
    "invalid_password_value": "The password does not match the password policy.",
    "invalid_user_information": "Some user information is missing or invalid.",
    "invalid_email": "The email address is not valid.",
}


def register_page(*, action, csrf, client_id, login_url, warning=None):
    parts = ["<h1>Sign up</h1>", f'<p>Already have an account? <a href="{escape(login_url)}">Sign in</a></p>',
             f'<form id="form" action="{escape(action)}" method="post">']
    for name, kind, label in (("firstName", "text", "First name"), ("lastName", "text", "Last name"),
                              ("username", "text", "Username"), ("email", "email", "Email"),
                              ("password", "password", "Password")):
        parts.append(f'<label for="{name}">{label}</label><input type="{kind}" id="{name}" name="{name}" required/>')
    parts.append(_hidden(CSRF_FIELD, csrf) + _hidden("client_id", client_id))
    if warning:
        text = REGISTER_WARNINGS.get(warning, "Some information is missing.")
        parts.append(f'<p class="error" role="alert">{escape(text)}</p>')
    parts.append('<button type="submit" id="submitBtn">Sign up</button></form>')
    return _page("Registration", "\n".join(parts))


def register_success_page(login_url):
    return _page("Registration", '<h1>Registration succeeded</h1><p>Your account has been created.</p>'
                                 f'<p><a href="{escape(login_url)}">Back to sign in</a></p>')


def forgot_password_page(*, action, csrf, client_id, done=False):
    if done:
        return _page("Forgot password", "<h1>Forgot password</h1><p>If the account exists, an email was sent.</p>")
    body = (f'<h1>Forgot password</h1><form action="{escape(action)}" method="post">'
            '<label for="email">Email</label><input type="email" id="email" name="email" required/>'
            f"{_hidden(CSRF_FIELD, csrf)}{_hidden('client_id', client_id)}"
            '<button type="submit">Send</button></form>')
    return _page("Forgot password", body)


def error_page(error, description=None, status=200):
    body = (f'<h1>Error</h1><p class="error"><span class="error">{escape(error or "server_error")}</span> '
            f"<small>{escape(description or '')}</small></p>")
    return _page("Error", body, status)
