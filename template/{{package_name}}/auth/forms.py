"""The sign-up and log-in forms. Sign-up checks the shape of the input with the API's own
schema (`RegisterIn`); the account rules (password strength, a taken username) stay in
`services.register_user`, and the view turns what the service refuses into errors on the
fields here.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError

from ..core.errors import NON_FIELD, DomainError, fields_from_pydantic
from ..core.schemas.accounts import (
    EMAIL_MAX_LENGTH,
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    USERNAME_MAX_LENGTH,
    RegisterIn,
)
from ..pages.html_forms import Field, Form

# The schema and the service call it `password`; the form asks for it twice.
_FORM_FIELD_OF: dict[str, str | None] = {"password": "password1", NON_FIELD: None}

#: What `services.register_user` asks of a password, one rule a line.
PASSWORD_HELP = (
    "Your password cannot be too similar to your other personal information.",
    f"Your password must contain at least {PASSWORD_MIN_LENGTH} characters.",
    "Your password cannot be a commonly used password.",
    "Your password cannot be entirely numeric.",
)


class SignUpForm(Form):
    fields = (
        Field(
            "username",
            "Username",
            required=True,
            help_text="Letters, digits and @ . + - _ only.",
            attrs={"autocomplete": "username", "autofocus": True, "maxlength": USERNAME_MAX_LENGTH},
        ),
        Field(
            "email",
            "E-mail",
            widget="email",
            required=True,
            attrs={"autocomplete": "email", "maxlength": EMAIL_MAX_LENGTH},
        ),
        Field(
            "password1",
            "Password",
            widget="password",
            required=True,
            strip=False,
            render_value=False,
            help_text=PASSWORD_HELP,
            attrs={"autocomplete": "new-password", "maxlength": PASSWORD_MAX_LENGTH},
        ),
        Field(
            "password2",
            "Password (again)",
            widget="password",
            required=True,
            strip=False,
            render_value=False,
            help_text="Enter the same password again, to be sure of it.",
            attrs={"autocomplete": "new-password", "maxlength": PASSWORD_MAX_LENGTH},
        ),
    )

    def clean(self) -> None:
        if self.data["password1"] != self.data["password2"]:
            self.add_error("password2", "The two passwords differ.")
            return
        try:
            self.registration()
        except ValidationError as exc:
            self.add_field_errors(fields_from_pydantic(exc))

    def registration(self) -> RegisterIn:
        """The validated input, as the registration service takes it."""
        return RegisterIn(
            username=self.data["username"],
            email=self.data["email"],
            password=self.data["password1"],
        )

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's refusal (e.g. a taken username) next to the field it names."""
        self.add_field_errors(error.fields or {NON_FIELD: error.message})

    def add_field_errors(self, fields: Mapping[str, str]) -> None:
        for name, message in fields.items():
            self.add_error(_FORM_FIELD_OF.get(name, name), message)


class LoginForm(Form):
    INVALID_LOGIN = (
        "Please enter a correct username and password. Note that both fields may be case-sensitive."
    )

    fields = (
        Field(
            "username",
            "Username",
            required=True,
            attrs={
                "autofocus": True,
                "autocapitalize": "none",
                "autocomplete": "username",
                "maxlength": USERNAME_MAX_LENGTH,
            },
        ),
        Field(
            "password",
            "Password",
            widget="password",
            required=True,
            strip=False,
            render_value=False,
            attrs={"autocomplete": "current-password"},
        ),
    )
