"""`/api/auth/...`: register, get a personal API token, who am I, and password reset."""

from __future__ import annotations

from flask import Response
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from ..auth import services
from ..auth.api_auth import current_api_user
from ..auth.views import password_reset_link
from ..core.schemas.accounts import (
    PasswordResetConfirmIn,
    PasswordResetIn,
    RegisterIn,
    TokenIn,
    TokenOut,
    UserOut,
)
from ..core.schemas.errors import ErrorEnvelope
from .errors import JsonAnswer

bp = APIBlueprint("api_auth", __name__, url_prefix="/api/auth", abp_tags=[Tag(name="auth")])


@bp.post(
    "/register",
    responses={201: UserOut, 400: ErrorEnvelope, 409: ErrorEnvelope, 422: ErrorEnvelope},
    summary="Create an account",
)
def register(body: RegisterIn) -> JsonAnswer:
    user = services.register_user(username=body.username, email=body.email, password=body.password)
    return UserOut.model_validate(user).model_dump(mode="json"), 201


@bp.post(
    "/token",
    responses={200: TokenOut, 400: ErrorEnvelope, 401: ErrorEnvelope, 422: ErrorEnvelope},
    summary="Exchange a username and password for a personal API token",
)
def token(body: TokenIn) -> JsonAnswer:
    issued = services.issue_token(username=body.username, password=body.password)
    return TokenOut(token=issued).model_dump(), 200


@bp.get(
    "/me",
    responses={200: UserOut, 401: ErrorEnvelope},
    security=[{"TokenAuth": []}, {"SessionAuth": []}],
    summary="Who am I",
)
def me() -> JsonAnswer:
    return UserOut.model_validate(current_api_user()).model_dump(mode="json"), 200


@bp.post(
    "/password-reset",
    responses={202: None, 400: ErrorEnvelope, 422: ErrorEnvelope},
    summary="Mail a password reset link to the account with this address",
    description="Accepted, with no body, whether or not the address has an account.",
)
def password_reset(body: PasswordResetIn) -> Response:
    services.request_password_reset(email=body.email, link_for=password_reset_link)
    return Response(status=202, mimetype="application/json")


@bp.post(
    "/password-reset/confirm",
    responses={204: None, 400: ErrorEnvelope, 422: ErrorEnvelope},
    summary="Set a new password with the token of a reset link",
    description="A token that is tampered with, used or expired is a 400 `invalid_token`.",
)
def password_reset_confirm(body: PasswordResetConfirmIn) -> Response:
    services.reset_password(token=body.token, password=body.password)
    return Response(status=204, mimetype="application/json")
