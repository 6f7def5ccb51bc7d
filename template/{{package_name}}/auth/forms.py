"""The sign-up, log-in, API token and password reset forms (Flask-WTF).

Sign-up checks the shape of the input with the API's own schema (`RegisterIn`); the account
rules (the password rule, a taken username) stay in `services.register_user`, and the view
turns what the service refuses into errors on the fields here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_wtf import FlaskForm
from pydantic import ValidationError
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Regexp

from ..core.errors import NON_FIELD, DomainError, fields_from_pydantic
from ..core.passwords import RULES_HELP
from ..core.schemas.accounts import (
    EMAIL_MAX_LENGTH,
    PASSWORD_MAX_LENGTH,
    TOKEN_NAME_MAX_LENGTH,
    USERNAME_MAX_LENGTH,
    PasswordResetIn,
    RegisterIn,
)


def strip(value: str | None) -> str | None:
    """Leading and trailing spaces are a slip of the keyboard: not part of a name or address."""
    return value.strip() if value else value


# Flask-WTF ships no type hints, so mypy sees FlaskForm as Any: hence the `type: ignore`.
class SignUpForm(FlaskForm):  # type: ignore[misc]
    username = StringField(
        "Username",
        validators=[DataRequired()],
        filters=[strip],
        description="Letters, digits and @ . + - _ only.",
        render_kw={"autocomplete": "username", "autofocus": True, "maxlength": USERNAME_MAX_LENGTH},
    )
    email = EmailField(
        "E-mail",
        validators=[DataRequired()],
        filters=[strip],
        render_kw={"autocomplete": "email", "maxlength": EMAIL_MAX_LENGTH},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired()],
        description=RULES_HELP,
        render_kw={"autocomplete": "new-password", "maxlength": PASSWORD_MAX_LENGTH},
    )
    confirm = PasswordField(
        "Password (again)",
        validators=[InputRequired(), EqualTo("password", message="The two passwords differ.")],
        description="Enter the same password again, to be sure of it.",
        render_kw={"autocomplete": "new-password", "maxlength": PASSWORD_MAX_LENGTH},
    )

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        if not super().validate(extra_validators):
            return False
        try:
            self.registration()
        except ValidationError as exc:
            self.add_field_errors(fields_from_pydantic(exc))
            return False
        return True

    def registration(self) -> RegisterIn:
        """The validated input, as the registration service takes it."""
        return RegisterIn(
            username=self.username.data, email=self.email.data, password=self.password.data
        )

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's refusal (e.g. a taken username) next to the field it names."""
        self.add_field_errors(error.fields or {NON_FIELD: error.message})

    def add_field_errors(self, fields: Mapping[str, str]) -> None:
        for name, message in fields.items():
            if name in self:
                self[name].errors.append(message)
            else:  # the form as a whole (NON_FIELD), shown above the fields
                self.form_errors.append(message)


class LoginForm(FlaskForm):  # type: ignore[misc]
    INVALID_LOGIN = (
        "Please enter a correct username and password. Note that both fields may be case-sensitive."
    )

    username = StringField(
        "Username",
        validators=[DataRequired()],
        filters=[strip],
        render_kw={
            "autofocus": True,
            "autocapitalize": "none",
            "autocomplete": "username",
            "maxlength": USERNAME_MAX_LENGTH,
        },
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired()],
        render_kw={"autocomplete": "current-password"},
    )


class TokenForm(FlaskForm):  # type: ignore[misc]
    name = StringField(
        "Name",
        validators=[
            Length(max=TOKEN_NAME_MAX_LENGTH),
            Regexp(r"^[^\x00]*$", message="The name may not contain NUL characters."),
        ],
        filters=[strip],
        description="What the token is for, e.g. “backup script”, to tell it from the others.",
        render_kw={"autocomplete": "off", "maxlength": TOKEN_NAME_MAX_LENGTH},
    )


class RevokeTokenForm(FlaskForm):  # type: ignore[misc]
    """No fields: the CSRF token is what it checks."""


class PasswordResetRequestForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(
        "E-mail",
        validators=[DataRequired()],
        filters=[strip],
        description="The address of your account: we send a link to choose a new password.",
        render_kw={"autocomplete": "email", "autofocus": True, "maxlength": EMAIL_MAX_LENGTH},
    )

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        if not super().validate(extra_validators):
            return False
        try:
            PasswordResetIn(email=self.email.data)
        except ValidationError as exc:
            self.email.errors.append(fields_from_pydantic(exc).get("email", "Not valid."))
            return False
        return True


class SetPasswordForm(FlaskForm):  # type: ignore[misc]
    """A new password from a reset link; the rule is checked by `services.reset_password`."""

    password = PasswordField(
        "New password",
        validators=[InputRequired()],
        description=RULES_HELP,
        render_kw={
            "autocomplete": "new-password",
            "autofocus": True,
            "maxlength": PASSWORD_MAX_LENGTH,
        },
    )
    confirm = PasswordField(
        "New password (again)",
        validators=[InputRequired(), EqualTo("password", message="The two passwords differ.")],
        description="Enter the same password again, to be sure of it.",
        render_kw={"autocomplete": "new-password", "maxlength": PASSWORD_MAX_LENGTH},
    )
