"""`/api/auth/...`: register, get, list and revoke personal API tokens, who am I, and password
reset."""

from __future__ import annotations

from flask import Response
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag
from pydantic import BaseModel, RootModel

from ..auth import services
from ..auth.api_auth import current_api_token, current_api_user
from ..auth.throttling import limit_log_ins, limit_password_reset_requests, limit_registrations
from ..auth.views import password_reset_link
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
from .errors import JsonAnswer

bp = APIBlueprint("api_auth", __name__, url_prefix="/api/auth", abp_tags=[Tag(name="auth")])
SIGNED_IN: list[dict[str, list[str]]] = [{"TokenAuth": []}, {"SessionAuth": []}]
# A browser's session has no token to revoke: it signs out with the log-out page instead.
NOTHING_TO_REVOKE = "This request carries no API token to revoke; log out to end a session."


class TokenList(RootModel[list[TokenInfoOut]]):
    """The user's tokens that still work, newest first."""


class TokenPath(BaseModel):
    token_id: int


@bp.post(
    "/register",
    responses={
        201: UserOut,
        400: ErrorEnvelope,
        409: ErrorEnvelope,
        422: ErrorEnvelope,
        429: ErrorEnvelope,
    },
    summary="Create an account",
)
@limit_registrations
def register(body: RegisterIn) -> JsonAnswer:
    user = services.register_user(username=body.username, email=body.email, password=body.password)
    return UserOut.model_validate(user).model_dump(mode="json"), 201


@bp.post(
    "/token",
    responses={
        200: TokenOut,
        400: ErrorEnvelope,
        401: ErrorEnvelope,
        422: ErrorEnvelope,
        429: ErrorEnvelope,
    },
    summary="Exchange a username and password for a personal API token",
)
@limit_log_ins
def token(body: TokenIn) -> JsonAnswer:
    issued = services.issue_token(username=body.username, password=body.password, name=body.name)
    return TokenOut.model_validate(issued).model_dump(mode="json"), 200


@bp.get(
    "/tokens",
    responses={200: TokenList, 401: ErrorEnvelope},
    security=SIGNED_IN,
    summary="The user's API tokens that still work, newest first (never their secrets)",
)
def list_tokens() -> JsonAnswer:
    tokens = services.list_tokens(user=current_api_user())
    return TokenList.model_validate(tokens, from_attributes=True).model_dump(mode="json"), 200


@bp.delete(
    "/tokens/<int:token_id>",
    responses={204: None, 401: ErrorEnvelope, 403: ErrorEnvelope, 404: ErrorEnvelope},
    security=SIGNED_IN,
    summary="Revoke one of the user's API tokens",
)
def revoke_token(path: TokenPath) -> Response:
    services.revoke_token(user=current_api_user(), token_id=path.token_id)
    return Response(status=204, mimetype="application/json")


@bp.delete(
    "/token",
    responses={204: None, 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope},
    security=SIGNED_IN,
    summary="Revoke the API token this request is made with",
)
def revoke_current_token() -> Response:
    api_token = current_api_token()
    if api_token is None:
        raise BadRequest(NOTHING_TO_REVOKE)
    services.revoke_token(user=api_token.user, token_id=api_token.id)
    return Response(status=204, mimetype="application/json")


@bp.get(
    "/me",
    responses={200: UserOut, 401: ErrorEnvelope},
    security=SIGNED_IN,
    summary="Who am I",
)
def me() -> JsonAnswer:
    return UserOut.model_validate(current_api_user()).model_dump(mode="json"), 200


@bp.post(
    "/password-reset",
    responses={202: None, 400: ErrorEnvelope, 422: ErrorEnvelope, 429: ErrorEnvelope},
    summary="Mail a password reset link to the account with this address",
    description="Accepted, with no body, whether or not the address has an account.",
)
@limit_password_reset_requests
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
