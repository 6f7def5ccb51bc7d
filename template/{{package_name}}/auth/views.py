"""Sign-up, log-in, log-out, API token and password reset pages.

Log-out is a POST only: a link or an image elsewhere cannot sign anyone out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast
from urllib.parse import urlencode, urlsplit

import flask_login
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user

from ..core.errors import Conflict, InvalidToken, NotFound, ValidationFailed
from . import services
from .forms import (
    LoginForm,
    PasswordResetRequestForm,
    RevokeTokenForm,
    SetPasswordForm,
    SignUpForm,
    TokenForm,
)
from .models import User
from .throttling import limit_log_ins, limit_password_reset_requests, limit_registrations

bp = Blueprint("auth", __name__, url_prefix="/accounts")

View = TypeVar("View", bound=Callable[..., ResponseReturnValue])
# Flask-Login ships no type hints; its decorator returns the view with the same signature.
login_required = cast(Callable[[View], View], flask_login.login_required)


def send_to_log_in() -> ResponseReturnValue:
    """Where `login_required` sends a visitor (`create_app` makes it Flask-Login's unauthorized
    handler): the log-in page, coming back here afterwards, without a flashed message."""
    here = request.full_path if request.query_string else request.path
    return redirect(f"{url_for('auth.login')}?{urlencode({'next': here}, safe='/')}")


def tasks_page() -> str:
    """Where a person goes after signing up or in."""
    return url_for("pages.tasks")


def safe_next_url(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: `?next=` must not send anyone away.

    Only relative paths pass: no scheme, no host, and not `//host` or `/\\host`, which
    browsers read as another site. Control characters are refused too, as browsers drop them.
    """
    if not target or not target.startswith("/") or target[1:2] in ("/", "\\"):
        return None
    if any(ord(char) < 32 or char == "\\" for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@bp.route("/signup/", methods=["GET", "POST"])
@limit_registrations
def signup() -> ResponseReturnValue:
    """Create an account, sign it in and go to the task page."""
    if current_user.is_authenticated:
        return redirect(tasks_page())
    form = SignUpForm()
    if form.validate_on_submit():
        data = form.registration()
        try:
            user = services.register_user(
                username=data.username, email=data.email, password=data.password
            )
        except (Conflict, ValidationFailed) as error:
            form.add_domain_error(error)
        else:
            start_session(user)
            return redirect(tasks_page())
    return render_template("auth/signup.html", form=form)


@bp.route("/login/", methods=["GET", "POST"])
@limit_log_ins
def login() -> ResponseReturnValue:
    """Sign in, then follow `next` when it points to this site, else go to the task page."""
    next_url = safe_next_url(request.form.get("next", request.args.get("next")))
    if current_user.is_authenticated:
        return redirect(next_url or tasks_page())
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(username=form.username.data, password=form.password.data)
        # Flask-Login refuses an inactive account as well (login_user returns False).
        if user is not None and start_session(user):
            return redirect(next_url or tasks_page())
        form.form_errors.append(LoginForm.INVALID_LOGIN)
    return render_template("auth/login.html", form=form, next=next_url or "")


def start_session(user: User) -> bool:
    """Sign `user` in for SESSION_LIFETIME (a permanent session lasts that long, in the browser
    and by its signed date); False when Flask-Login refuses the user."""
    if not login_user(user):
        return False
    session.permanent = True
    return True


@bp.post("/logout/")
def logout() -> ResponseReturnValue:
    # Raising the session version ends this session on the server too: the cookie is only
    # signed, so a copy of it would otherwise keep working. It ends the user's other sessions
    # as well (docs/adr/0010).
    user = current_user._get_current_object() if current_user.is_authenticated else None
    if isinstance(user, User):
        services.end_sessions(user=user)
    logout_user()
    return redirect(url_for("auth.login"))


def signed_in_user() -> User:
    """The user a `login_required` view runs for (the object itself, not Flask-Login's proxy)."""
    user = current_user._get_current_object()
    if not isinstance(user, User):
        abort(403)
    return user


@bp.route("/tokens/", methods=["GET", "POST"])
@login_required
def tokens() -> ResponseReturnValue:
    """The user's API tokens, and a form that makes a named one, whose secret this answer
    shows once (it is not stored, so it cannot be shown again)."""
    user = signed_in_user()
    form = TokenForm()
    issued = None
    if form.validate_on_submit():
        issued = services.create_token(user=user, name=form.name.data or "")
        form = TokenForm(formdata=None)
    return render_template(
        "auth/tokens.html",
        form=form,
        issued=issued,
        tokens=services.list_tokens(user=user),
        lifetime_days=current_app.config["API_TOKEN_LIFETIME_DAYS"],
    )


@bp.post("/tokens/<int:token_id>/revoke/")
@login_required
def revoke_token(token_id: int) -> ResponseReturnValue:
    if not RevokeTokenForm().validate_on_submit():
        abort(400)
    try:
        services.revoke_token(user=signed_in_user(), token_id=token_id)
    except NotFound:
        abort(404)
    flash("Token revoked: it no longer works.", "success")
    return redirect(url_for("auth.tokens"))


def password_reset_link(token: str) -> str:
    """The link of a reset mail, on the host the request came to (checked by TRUSTED_HOSTS)."""
    return url_for("auth.password_reset_confirm", token=token, _external=True)


@bp.route("/password-reset/", methods=["GET", "POST"])
@limit_password_reset_requests
def password_reset() -> ResponseReturnValue:
    """Ask for a reset link; every address gets the same answer (the "check your inbox" page)."""
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(email=form.email.data, link_for=password_reset_link)
        return redirect(url_for("auth.password_reset_sent"))
    return render_template("auth/password_reset.html", form=form)


@bp.get("/password-reset/sent/")
def password_reset_sent() -> ResponseReturnValue:
    return render_template("auth/password_reset_sent.html")


# No trailing slash: the token is the last segment of the link in the mail.
@bp.route("/reset/<token>", methods=["GET", "POST"])
def password_reset_confirm(token: str) -> ResponseReturnValue:
    """The page of a reset link: choose a new password, then log in with it.

    The token stays in the address while the form is shown; the Referrer-Policy header
    (security.py) keeps it from leaking to other sites.
    """
    if services.user_for_reset_token(token) is None:
        return render_template("auth/password_reset_invalid.html"), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token=token, password=form.password.data)
        except InvalidToken:  # used by another request since the page was checked
            return render_template("auth/password_reset_invalid.html"), 400
        except ValidationFailed as error:
            form.password.errors.append(error.fields.get("password", error.message))
        else:
            flash("Your new password is set: log in with it.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/password_reset_confirm.html", form=form)
