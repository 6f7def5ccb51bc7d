"""The accounts' bodies: signing up, asking for a token, a user as the API shows them, and
resetting a forgotten password."""

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from .fields import Input, NulFree, Timestamp

USERNAME_MAX_LENGTH = 150
EMAIL_MAX_LENGTH = 254
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128
TOKEN_NAME_MAX_LENGTH = 100
#: Longer than any reset token the project makes (about 100 characters).
RESET_TOKEN_MAX_LENGTH = 300

_USERNAME = re.compile(r"[\w.@+-]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _username(value: str) -> str:
    if not _USERNAME.fullmatch(value):
        raise PydanticCustomError(
            "username", "Use only letters, digits and the characters @ . + - _."
        )
    return value


def _email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise PydanticCustomError("email", "Enter a valid e-mail address.")
    return value


Username = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=USERNAME_MAX_LENGTH),
    AfterValidator(_username),
]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=EMAIL_MAX_LENGTH),
    NulFree(),
    AfterValidator(_email),
]
Password = Annotated[
    str,
    StringConstraints(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH),
    Field(json_schema_extra={"format": "password"}),
]


class RegisterIn(Input):
    username: Username
    email: Email
    password: Password


TokenName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=TOKEN_NAME_MAX_LENGTH),
    NulFree(),
    Field(description="What the token is for, to tell it from the others (may be empty)."),
]


class TokenIn(Input):
    username: Annotated[str, Field(min_length=1, max_length=USERNAME_MAX_LENGTH), NulFree()]
    password: str = Field(
        min_length=1, max_length=PASSWORD_MAX_LENGTH, json_schema_extra={"format": "password"}
    )
    name: TokenName = ""


class TokenOut(BaseModel):
    """A new token: its secret (shown this once, only its digest is kept), id and expiry."""

    model_config = ConfigDict(from_attributes=True)

    token: str
    id: int
    expires_at: Timestamp


class TokenInfoOut(BaseModel):
    """A token as the list shows it: never its secret."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    created_at: Timestamp
    last_used_at: Timestamp | None
    expires_at: Timestamp


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    email: str


class PasswordResetIn(Input):
    """Ask for a reset link by e-mail; the answer is the same whether the address is known."""

    email: Email


class PasswordResetConfirmIn(Input):
    """The token of a reset link, and the new password."""

    token: Annotated[str, Field(min_length=1, max_length=RESET_TOKEN_MAX_LENGTH), NulFree()]
    password: Password
