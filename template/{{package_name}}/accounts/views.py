"""Sign-up, API token and password reset pages, and Django's own log-in view, throttled.
Log-out is Django's (`urls.py`)."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ..core.errors import Conflict, InvalidToken, NotFound, ValidationFailed
from . import services
from .forms import PasswordResetRequestForm, SignUpForm, TokenForm
from .models import User
from .throttling import limit_log_ins, limit_password_reset_requests, limit_registrations

# LoginView follows `?next=` only to this site (it checks the URL), else LOGIN_REDIRECT_URL.
log_in = limit_log_ins(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html", redirect_authenticated_user=True
    )
)


@require_http_methods(["GET", "POST"])
@limit_registrations
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account, sign it in and go to the task page."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.registration()
        try:
            user = services.register_user(
                username=data.username, email=data.email, password=data.password
            )
        except (Conflict, ValidationFailed) as error:
            form.add_domain_error(error)
        else:
            login(request, user)
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens, and a form that makes a named one, whose secret this answer
    shows once (it is not stored, so it cannot be shown again)."""
    user = signed_in_user(request)
    form = TokenForm(request.POST if request.method == "POST" else None)
    issued = None
    if form.is_valid():
        issued = services.create_token(user=user, name=form.cleaned_data["name"])
        form = TokenForm()
    context = {
        "form": form,
        "issued": issued,
        "tokens": services.list_tokens(user=user),
        "lifetime_days": settings.API_TOKEN_LIFETIME_DAYS,
    }
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    user = signed_in_user(request)
    try:
        services.revoke_token(user=user, token_id=token_id)
    except NotFound as error:
        raise Http404(error.message) from error
    messages.success(request, "Token revoked: it no longer works.")
    return redirect("accounts:tokens")


def signed_in_user(request: HttpRequest) -> User:
    """The user a `login_required` view runs for."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def password_reset_link(request: HttpRequest, token: str) -> str:
    """The link of a reset mail, on the host the request came to (checked by ALLOWED_HOSTS)."""
    return request.build_absolute_uri(reverse("accounts:password_reset_confirm", args=[token]))


@require_http_methods(["GET", "POST"])
@limit_password_reset_requests
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link; every address gets the same answer (the "check your inbox" page)."""
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.request_password_reset(
            email=form.cleaned_data["email"], link_for=partial(password_reset_link, request)
        )
        return redirect("accounts:password_reset_sent")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The page of a reset link: choose a new password, then log in with it.

    The token stays in the address while the form is shown; SECURE_REFERRER_POLICY
    (same-origin) keeps it from leaking to other sites through the Referer header.
    """
    user = services.user_for_reset_token(token)
    if user is None:
        return render(request, "accounts/password_reset_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.reset_password(token=token, password=form.cleaned_data["new_password1"])
        except InvalidToken:  # used by another request since the page was checked
            return render(request, "accounts/password_reset_invalid.html", status=400)
        except ValidationFailed as error:
            form.add_error("new_password1", error.fields.get("password", error.message))
        else:
            messages.success(request, "Your new password is set: log in with it.")
            return redirect("accounts:login")
    return render(request, "accounts/password_reset_confirm.html", {"form": form})
