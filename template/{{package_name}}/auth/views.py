"""Sign-up, log-in and log-out pages.

Log-out is a POST only: a link or an image elsewhere cannot sign anyone out.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user

from ..core.errors import Conflict, ValidationFailed
from . import services
from .forms import LoginForm, SignUpForm
from .throttling import limit_log_ins, limit_registrations

bp = Blueprint("auth", __name__, url_prefix="/accounts")


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
            login_user(user)
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
        if user is not None and login_user(user):
            return redirect(next_url or tasks_page())
        form.form_errors.append(LoginForm.INVALID_LOGIN)
    return render_template("auth/login.html", form=form, next=next_url or "")


@bp.post("/logout/")
def logout() -> ResponseReturnValue:
    logout_user()
    return redirect(url_for("auth.login"))
