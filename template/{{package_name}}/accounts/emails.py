"""The project's e-mails: each one a plain-text and an HTML part, rendered from templates
(templates/accounts/email/), sent through Django's mail layer (EMAIL_URL in the settings)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .models import User

logger = logging.getLogger(__name__)


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
    message.attach_alternative(
        render_to_string("accounts/email/password_reset.html", context), "text/html"
    )
    return message


def send(message: EmailMultiAlternatives) -> bool:
    """Send `message`; a mail server that is down or refuses is logged, and the caller goes on
    (its answer must not depend on the mail). Whether it went out."""
    try:
        message.send()
    except OSError:  # smtplib's errors, a refused connection and a timeout are all OSErrors
        logger.exception("Could not send the e-mail %r", message.subject)
        return False
    return True
