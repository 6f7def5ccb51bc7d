"""The project's e-mails: each one a plain-text part (templates/accounts/email/) and an HTML part
(templates/email/), sent through Django's mail layer (EMAIL_URL in the settings)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .models import User


def password_reset_message(*, user: User, link: str) -> EmailMultiAlternatives:
    context = {
        "project_name": settings.PROJECT_NAME,
        "username": user.username,
        "link": link,
        "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
    }
    message = EmailMultiAlternatives(
        subject=f"Reset your password on {settings.PROJECT_NAME}",
        body=render_to_string("accounts/email/password_reset.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("email/password_reset.html", context), "text/html")
    return message
