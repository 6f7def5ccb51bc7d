"""The project's e-mails: each one a plain-text and an HTML part, rendered from templates
(templates/auth/email/), sent through Flask-Mailman (EMAIL_URL in config.py)."""

from __future__ import annotations

import logging

from flask import current_app, render_template
from flask_mailman import EmailMultiAlternatives

from .models import User

logger = logging.getLogger(__name__)


def password_reset_message(*, user: User, link: str) -> EmailMultiAlternatives:
    context = {
        "project_name": current_app.config["PROJECT_NAME"],
        "username": user.username,
        "link": link,
        "valid_minutes": current_app.config["PASSWORD_RESET_TIMEOUT"] // 60,
    }
    message = EmailMultiAlternatives(
        subject=f"Reset your password on {context['project_name']}",
        body=render_template("auth/email/password_reset.txt", **context),
        to=[user.email],
    )
    html = render_template("auth/email/password_reset.html", **context)
    message.attach_alternative(html, "text/html")
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
