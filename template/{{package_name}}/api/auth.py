"""`/api/auth/...`: register, get a personal API token, and who am I."""

from __future__ import annotations

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from ..auth import services
from ..auth.api_auth import current_api_user
from ..auth.throttling import limit_log_ins, limit_registrations
from ..core.schemas.accounts import RegisterIn, TokenIn, TokenOut, UserOut
from ..core.schemas.errors import ErrorEnvelope
from .errors import JsonAnswer

bp = APIBlueprint("api_auth", __name__, url_prefix="/api/auth", abp_tags=[Tag(name="auth")])


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
