"""Throttling of log-ins, sign-ups and password-reset requests, on pages and in the API.

The policy is core/throttle.py's; this module keeps its counts in the database (every worker
and every instance sees them) and wraps views in it, one decorator a kind of attempt:

    @limit_log_ins                    the log-in page and POST /api/auth/token
    @limit_registrations              the sign-up page and POST /api/auth/register
    @limit_password_reset_requests    the reset-request page and POST /api/auth/password-reset

An API view answers a refusal with 429, `Retry-After` and the error envelope; a page with the
page that says when to try again. The client's address is `request.remote_addr`, which
werkzeug's ProxyFix has already taken from X-Forwarded-For when TRUSTED_PROXY_HOPS says so
(`create_app`). docs/adr/0009 gives the reasons.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import Connection, case, delete, update
from sqlalchemy.dialects import postgresql, sqlite

from ..core.throttle import Count, Limits, Throttle, TooManyAttempts
from ..extensions import db
from .models import ThrottleCount

View = Callable[..., Any]
API_PREFIX = "/api/"
REFUSED_TEMPLATE = "too_many_attempts.html"
#: INSERT ... ON CONFLICT DO UPDATE, in the dialect of each database the project supports.
UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class DatabaseCountStore:
    """core.throttle's CountStore on the throttle_counts table.

    Each change is a transaction of its own on a connection of its own, committed at once,
    whatever the request's session does next.
    """

    def add(self, key: str, *, at: datetime, window: timedelta) -> Count:
        with db.engine.begin() as connection:
            connection.execute(delete(ThrottleCount).where(ThrottleCount.window_ends_at <= at))
        with db.engine.begin() as connection:
            # One statement counts the attempt, or starts a new window: the database applies
            # concurrent ones one after the other.
            insert = _upsert(connection)(ThrottleCount).values(
                key=key, attempts=1, window_ends_at=at + window
            )
            ongoing = ThrottleCount.window_ends_at > at
            statement = insert.on_conflict_do_update(
                index_elements=[ThrottleCount.key],
                set_={
                    "attempts": case((ongoing, ThrottleCount.attempts + 1), else_=1),
                    "window_ends_at": case(
                        (ongoing, ThrottleCount.window_ends_at),
                        else_=insert.excluded.window_ends_at,
                    ),
                },
            ).returning(ThrottleCount.attempts, ThrottleCount.window_ends_at)
            attempts, window_ends_at = connection.execute(statement).one()
        return Count(attempts, window_ends_at)

    def take_back(self, key: str, *, at: datetime) -> None:
        with db.engine.begin() as connection:
            connection.execute(
                update(ThrottleCount)
                .where(
                    ThrottleCount.key == key,
                    ThrottleCount.window_ends_at > at,
                    ThrottleCount.attempts > 0,
                )
                .values(attempts=ThrottleCount.attempts - 1)
            )

    def clear(self, key: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(delete(ThrottleCount).where(ThrottleCount.key == key))


def _upsert(connection: Connection) -> Callable[..., Any]:
    return UPSERTS[connection.dialect.name]


def throttle() -> Throttle:
    """The throttle with the limits of the app's configuration, read on every use."""
    config = current_app.config
    return Throttle(
        store=DatabaseCountStore(),
        limits=Limits(
            login_failures_per_account=config["LOGIN_FAILURES_PER_ACCOUNT"],
            login_failures_per_address=config["LOGIN_FAILURES_PER_ADDRESS"],
            window=timedelta(seconds=config["LOGIN_FAILURE_WINDOW"]),
            registrations_per_address=config["REGISTRATIONS_PER_ADDRESS"],
            password_resets_per_address=config["PASSWORD_RESETS_PER_ADDRESS"],
        ),
    )


def address() -> str:
    return request.remote_addr or ""


def is_api() -> bool:
    return request.path.startswith(API_PREFIX)


def refused(refusal: TooManyAttempts) -> ResponseReturnValue:
    """429 with Retry-After: the error envelope in the API, else a page that says when."""
    if is_api():
        response = jsonify(refusal.to_envelope())
    else:
        page = render_template(
            REFUSED_TEMPLATE, message=refusal.message, retry_after=refusal.retry_after
        )
        response = make_response(page)
    response.status_code = refusal.status_code
    response.headers["Retry-After"] = str(refusal.retry_after)
    return response


def limit_log_ins(view: View) -> View:
    """Throttle a log-in view: the page (a form with `username`) or the API (`body`)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        page = not is_api()
        if page and request.method != "POST":
            return view(*args, **kwargs)  # showing the form checks no password
        username = request.form.get("username", "") if page else kwargs["body"].username
        try:
            attempt = throttle().admit_log_in(username=username, address=address())
        except TooManyAttempts as refusal:
            return refused(refusal)
        answer = view(*args, **kwargs)  # an API view raises on a wrong password
        if not page or current_user.is_authenticated:
            attempt.succeeded()
        return answer

    return wrapper


def _limit_per_address(admit: Callable[[Throttle, str], None]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not is_api() and request.method != "POST":
                return view(*args, **kwargs)
            try:
                admit(throttle(), address())
            except TooManyAttempts as refusal:
                return refused(refusal)
            return view(*args, **kwargs)

        return wrapper

    return decorator


#: Throttle a sign-up view (page or API): every attempt counts, per client address.
limit_registrations = _limit_per_address(
    lambda throttle, address: throttle.admit_registration(address=address)
)
#: Throttle a password-reset request view (page or API): every request counts, per address.
limit_password_reset_requests = _limit_per_address(
    lambda throttle, address: throttle.admit_password_reset(address=address)
)
