"""`/api/auth/...`: register, get a personal API token, who am I, and password reset."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from ..core.schemas.accounts import (
    PasswordResetConfirmIn,
    PasswordResetIn,
    RegisterIn,
    TokenIn,
    TokenOut,
    UserOut,
)
from ..core.schemas.errors import ErrorEnvelope
from . import services
from .api_auth import api_auth, current_api_user
from .models import User
from .views import password_reset_link

router = Router(tags=["auth"])


@router.post(
    "/register",
    response={201: UserOut, 400: ErrorEnvelope, 409: ErrorEnvelope, 422: ErrorEnvelope},
    auth=None,
    summary="Create an account",
)
def register(request: HttpRequest, payload: RegisterIn) -> Status[User]:
    user = services.register_user(
        username=payload.username, email=payload.email, password=payload.password
    )
    return Status(201, user)


@router.post(
    "/token",
    response={200: TokenOut, 400: ErrorEnvelope, 401: ErrorEnvelope, 422: ErrorEnvelope},
    auth=None,
    summary="Exchange a username and password for a personal API token",
)
def token(request: HttpRequest, payload: TokenIn) -> dict[str, str]:
    return {"token": services.issue_token(username=payload.username, password=payload.password)}


@router.get("/me", response={200: UserOut, 401: ErrorEnvelope}, auth=api_auth, summary="Who am I")
def me(request: HttpRequest) -> User:
    return current_api_user(request)


@router.post(
    "/password-reset",
    response={202: None, 400: ErrorEnvelope, 422: ErrorEnvelope},
    auth=None,
    summary="Mail a password reset link to the account with this address",
    description="Accepted, with no body, whether or not the address has an account.",
)
def password_reset(request: HttpRequest, payload: PasswordResetIn) -> Status[None]:
    services.request_password_reset(
        email=payload.email, link_for=lambda token: password_reset_link(request, token)
    )
    return Status(202, None)


@router.post(
    "/password-reset/confirm",
    response={204: None, 400: ErrorEnvelope, 422: ErrorEnvelope},
    auth=None,
    summary="Set a new password with the token of a reset link",
    description="A token that is tampered with, used or expired is a 400 `invalid_token`.",
)
def password_reset_confirm(request: HttpRequest, payload: PasswordResetConfirmIn) -> Status[None]:
    services.reset_password(token=payload.token, password=payload.password)
    return Status(204, None)
