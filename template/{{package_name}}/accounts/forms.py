"""The sign-up form, the form that names a new API token, and the form that asks for a password
reset link.

Sign-up checks the shape of the input with the API's own schema (`RegisterIn`); the account
rules (password strength, a taken username) stay in `services.register_user`, and the view
turns what the service refuses into errors on the fields here. Setting a new password from a
reset link uses Django's own SetPasswordForm (AUTH_PASSWORD_VALIDATORS).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from pydantic import ValidationError

from ..core.errors import NON_FIELD, DomainError, fields_from_pydantic
from ..core.schemas.accounts import (
    EMAIL_MAX_LENGTH,
    PASSWORD_MAX_LENGTH,
    TOKEN_NAME_MAX_LENGTH,
    USERNAME_MAX_LENGTH,
    RegisterIn,
)

# The schema and the service call it `password`; the form asks for it twice.
_FORM_FIELD_OF = {"password": "password1", NON_FIELD: None}


class SignUpForm(forms.Form):
    username = forms.CharField(
        max_length=USERNAME_MAX_LENGTH,
        help_text="Letters, digits and @ . + - _ only.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    email = forms.EmailField(
        label="E-mail",
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        help_text=password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Password (again)",
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        help_text="Enter the same password again, to be sure of it.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        if cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", "The two passwords differ.")
            return cleaned
        try:
            self.registration()
        except ValidationError as exc:
            self.add_field_errors(fields_from_pydantic(exc))
        return cleaned

    def registration(self) -> RegisterIn:
        """The validated input, as the registration service takes it."""
        return RegisterIn(
            username=self.cleaned_data["username"],
            email=self.cleaned_data["email"],
            password=self.cleaned_data["password1"],
        )

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's refusal (e.g. a taken username) next to the field it names."""
        self.add_field_errors(error.fields or {NON_FIELD: error.message})

    def add_field_errors(self, fields: Mapping[str, str]) -> None:
        for name, message in fields.items():
            field = _FORM_FIELD_OF.get(name, name)
            self.add_error(field if field in self.fields else None, message)


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=TOKEN_NAME_MAX_LENGTH,
        required=False,
        help_text="What the token is for, e.g. “backup script”, to tell it from the others.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="E-mail",
        max_length=EMAIL_MAX_LENGTH,
        help_text="The address of your account: we send a link to choose a new password.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
