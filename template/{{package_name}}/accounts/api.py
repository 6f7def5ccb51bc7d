"""`/api/auth/...`: register, get, list and revoke personal API tokens, who am I, and password
reset."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from ..core.errors import BadRequest
from ..core.schemas.accounts import (
    PasswordResetConfirmIn,
    PasswordResetIn,
    RegisterIn,
    TokenIn,
    TokenInfoOut,
    TokenOut,
    UserOut,
)
from ..core.schemas.errors import ErrorEnvelope
from ..core.tokens import IssuedToken
from . import services
from .api_auth import api_auth, current_api_token, current_api_user
from .models import ApiToken, User
from .throttling import limit_log_ins, limit_password_reset_requests, limit_registrations
from .views import password_reset_link

router = Router(tags=["auth"])

# A browser's session has no token to revoke: it signs out with the log-out page instead.
NOTHING_TO_REVOKE = "This request carries no API token to revoke; log out to end a session."


@router.post(
    "/register",
    response={
        201: UserOut,
        400: ErrorEnvelope,
        409: ErrorEnvelope,
        422: ErrorEnvelope,
        429: ErrorEnvelope,
    },
    auth=None,
    summary="Create an account",
)
@limit_registrations
def register(request: HttpRequest, payload: RegisterIn) -> Status[User]:
    user = services.register_user(
        username=payload.username, email=payload.email, password=payload.password
    )
    return Status(201, user)


@router.post(
    "/token",
    response={
        200: TokenOut,
        400: ErrorEnvelope,
        401: ErrorEnvelope,
        422: ErrorEnvelope,
        429: ErrorEnvelope,
    },
    auth=None,
    summary="Exchange a username and password for a personal API token",
)
@limit_log_ins
def token(request: HttpRequest, payload: TokenIn) -> IssuedToken:
    return services.issue_token(
        username=payload.username, password=payload.password, name=payload.name
    )


@router.get(
    "/tokens",
    response={200: list[TokenInfoOut], 401: ErrorEnvelope},
    auth=api_auth,
    summary="The user's API tokens that still work, newest first (never their secrets)",
)
def list_tokens(request: HttpRequest) -> list[ApiToken]:
    return services.list_tokens(user=current_api_user(request))


@router.delete(
    "/tokens/{int:token_id}",
    response={204: None, 401: ErrorEnvelope, 403: ErrorEnvelope, 404: ErrorEnvelope},
    auth=api_auth,
    summary="Revoke one of the user's API tokens",
)
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    services.revoke_token(user=current_api_user(request), token_id=token_id)
    return Status(204, None)


@router.delete(
    "/token",
    response={204: None, 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope},
    auth=api_auth,
    summary="Revoke the API token this request is made with",
)
def revoke_current_token(request: HttpRequest) -> Status[None]:
    api_token = current_api_token(request)
    if api_token is None:
        raise BadRequest(NOTHING_TO_REVOKE)
    services.revoke_token(user=api_token.user, token_id=api_token.pk)
    return Status(204, None)


@router.get("/me", response={200: UserOut, 401: ErrorEnvelope}, auth=api_auth, summary="Who am I")
def me(request: HttpRequest) -> User:
    return current_api_user(request)


@router.post(
    "/password-reset",
    response={202: None, 400: ErrorEnvelope, 422: ErrorEnvelope, 429: ErrorEnvelope},
    auth=None,
    summary="Mail a password reset link to the account with this address",
    description="Accepted, with no body, whether or not the address has an account.",
)
@limit_password_reset_requests
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
