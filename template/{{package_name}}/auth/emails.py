"""The project's e-mails: each one a plain-text part (templates/auth/email/) and an HTML part
(templates/email/), sent through Flask-Mailman (EMAIL_URL in config.py)."""

from __future__ import annotations

from flask import current_app, render_template
from flask_mailman import EmailMultiAlternatives

from .models import User


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
    html = render_template("email/password_reset.html", **context)
    message.attach_alternative(html, "text/html")
    return message
