"""The sign-up page, and Django's own log-in view, throttled. Log-out is Django's (`urls.py`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..core.errors import Conflict, ValidationFailed
from . import services
from .forms import SignUpForm
from .throttling import limit_log_ins, limit_registrations

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
