"""Sign-up and API token pages. Log-in and log-out are Django's own views (see `urls.py`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ..core.errors import Conflict, NotFound, ValidationFailed
from . import services
from .forms import SignUpForm, TokenForm
from .models import User


@require_http_methods(["GET", "POST"])
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
