"""Sign-up, log-in, log-out, API token and password reset pages. Log-out is a POST (Django 5
refuses a GET)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.log_in, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="token_revoke"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_sent, name="password_reset_sent"),
    # No trailing slash: the token is the last segment of the link in the mail.
    path("reset/<str:token>", views.password_reset_confirm, name="password_reset_confirm"),
]
