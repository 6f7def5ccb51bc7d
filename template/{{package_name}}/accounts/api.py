"""`/api/auth/...`: register, get a personal API token, and who am I."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from ..core.schemas.accounts import RegisterIn, TokenIn, TokenOut, UserOut
from ..core.schemas.errors import ErrorEnvelope
from . import services
from .api_auth import api_auth, current_api_user
from .models import User
from .throttling import limit_log_ins, limit_registrations

router = Router(tags=["auth"])


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
def token(request: HttpRequest, payload: TokenIn) -> dict[str, str]:
    return {"token": services.issue_token(username=payload.username, password=payload.password)}


@router.get("/me", response={200: UserOut, 401: ErrorEnvelope}, auth=api_auth, summary="Who am I")
def me(request: HttpRequest) -> User:
    return current_api_user(request)
