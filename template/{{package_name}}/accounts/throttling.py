"""Throttling of log-ins, sign-ups and password-reset requests, on pages and in the API.

The policy is core/throttle.py's; this module keeps its counts in the database (every worker
and every instance sees them) and wraps views in it, one decorator a kind of attempt:

    @limit_log_ins                    the log-in page and POST /api/auth/token
    @limit_registrations              the sign-up page and POST /api/auth/register
    @limit_password_reset_requests    the reset-request page and POST /api/auth/password-reset

An API view answers a refusal with 429, `Retry-After` and the error envelope; a page with the
page that says when to try again. docs/adr/0009 gives the reasons.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, DateTimeField, F, PositiveIntegerField, Value, When
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from ..core.throttle import Count, Limits, Throttle, TooManyAttempts, client_address
from .models import ThrottleCount

View = Callable[..., Any]
API_PREFIX = "/api/"
REFUSED_TEMPLATE = "too_many_attempts.html"


class DatabaseCountStore:
    """core.throttle's CountStore on the ThrottleCount table, atomic on SQLite and PostgreSQL."""

    def add(self, key: str, *, at: datetime, window: timedelta) -> Count:
        # Ended windows are removed in a statement of their own, outside the transaction
        # below, so that it never waits for rows other requests hold.
        ThrottleCount.objects.filter(window_ends_at__lte=at).delete()
        ongoing = When(window_ends_at__gt=at, then=F("attempts") + 1)
        kept_end = When(window_ends_at__gt=at, then=F("window_ends_at"))
        while True:
            with transaction.atomic():
                ThrottleCount.objects.bulk_create(
                    [ThrottleCount(key=key, attempts=0, window_ends_at=at + window)],
                    ignore_conflicts=True,
                )
                # One UPDATE counts the attempt (or starts a new window): the database applies
                # concurrent ones one after the other, and holds the row until the commit.
                counted = ThrottleCount.objects.filter(key=key).update(
                    attempts=Case(ongoing, default=Value(1), output_field=PositiveIntegerField()),
                    window_ends_at=Case(
                        kept_end, default=Value(at + window), output_field=DateTimeField()
                    ),
                )
                if counted:  # else another request removed the ended row in between: again
                    row = ThrottleCount.objects.get(key=key)
                    return Count(row.attempts, row.window_ends_at)

    def take_back(self, key: str, *, at: datetime) -> None:
        ThrottleCount.objects.filter(key=key, window_ends_at__gt=at, attempts__gt=0).update(
            attempts=F("attempts") - 1
        )

    def clear(self, key: str) -> None:
        ThrottleCount.objects.filter(key=key).delete()


def throttle() -> Throttle:
    """The throttle with the limits of the settings, read on every use (tests change them)."""
    return Throttle(
        store=DatabaseCountStore(),
        limits=Limits(
            login_failures_per_account=settings.LOGIN_FAILURES_PER_ACCOUNT,
            login_failures_per_address=settings.LOGIN_FAILURES_PER_ADDRESS,
            window=timedelta(seconds=settings.LOGIN_FAILURE_WINDOW),
            registrations_per_address=settings.REGISTRATIONS_PER_ADDRESS,
            password_resets_per_address=settings.PASSWORD_RESETS_PER_ADDRESS,
        ),
    )


def address_of(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For as TRUSTED_PROXY_HOPS allows."""
    return client_address(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        trusted_hops=settings.TRUSTED_PROXY_HOPS,
    )


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def refused(request: HttpRequest, refusal: TooManyAttempts) -> HttpResponse:
    """429 with Retry-After: the error envelope in the API, else a page that says when."""
    response: HttpResponse
    if is_api(request):
        response = JsonResponse(refusal.to_envelope(), status=refusal.status_code)
    else:
        context = {"message": refusal.message, "retry_after": refusal.retry_after}
        response = render(request, REFUSED_TEMPLATE, context, status=refusal.status_code)
    response["Retry-After"] = str(refusal.retry_after)
    return response


def _keeps_signature(wrapper: View, view: View) -> View:
    # django-ninja reads a view's parameters and their types from its signature; resolved
    # here, as the view's own module would resolve them.
    wrapper.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
    return wrapper


def limit_log_ins(view: View) -> View:
    """Throttle a log-in view: the page (a form with `username`) or the API (`payload`)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        page = not is_api(request)
        if page and request.method != "POST":
            return view(request, *args, **kwargs)  # showing the form checks no password
        username = request.POST.get("username", "") if page else kwargs["payload"].username
        try:
            attempt = throttle().admit_log_in(username=username, address=address_of(request))
        except TooManyAttempts as refusal:
            return refused(request, refusal)
        answer = view(request, *args, **kwargs)  # an API view raises on a wrong password
        if not page or request.user.is_authenticated:
            attempt.succeeded()
        return answer

    return _keeps_signature(wrapper, view)


def _limit_per_address(admit: Callable[[Throttle, str], None]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not is_api(request) and request.method != "POST":
                return view(request, *args, **kwargs)
            try:
                admit(throttle(), address_of(request))
            except TooManyAttempts as refusal:
                return refused(request, refusal)
            return view(request, *args, **kwargs)

        return _keeps_signature(wrapper, view)

    return decorator


#: Throttle a sign-up view (page or API): every attempt counts, per client address.
limit_registrations = _limit_per_address(
    lambda throttle, address: throttle.admit_registration(address=address)
)
#: Throttle a password-reset request view (page or API): every request counts, per address.
limit_password_reset_requests = _limit_per_address(
    lambda throttle, address: throttle.admit_password_reset(address=address)
)
