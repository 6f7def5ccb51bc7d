"""The project's password rule (core/passwords.py) as a password validator.

It is the only entry of AUTH_PASSWORD_VALIDATORS, so sign-up, the API, `createsuperuser` and
`changepassword` refuse exactly the passwords the rule refuses (docs/adr/0007).
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError

from ..core.passwords import RULES_HELP, password_problems


class PasswordRuleValidator:
    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        problems = password_problems(
            password,
            username=str(getattr(user, "username", "") or ""),
            email=str(getattr(user, "email", "") or ""),
        )
        if problems:
            raise ValidationError(
                [ValidationError(problem, code="password_refused") for problem in problems]
            )

    def get_help_text(self) -> str:
        return " ".join(RULES_HELP)
