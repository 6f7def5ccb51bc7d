"""How API requests authenticate: a personal Bearer token, or the browser's session.

A request authenticated by its session cookie must carry the CSRF token on unsafe methods; a
request with a Bearer token (a script) needs none, since browsers never add that header by
themselves.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from ..core.errors import NotAuthenticated, PermissionDenied
from .models import ApiToken, User
from .services import find_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class TokenAuth(HttpBearer):
    # The token itself becomes `request.auth`, so that `DELETE /api/auth/token` knows which
    # token to revoke; `current_api_user` gives its user.
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return find_token(token)


class SessionAuth(APIKeyCookie):
    """Django's session, with CSRF checked only when the session is what authenticates."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None or not request.user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise PermissionDenied("CSRF token missing or incorrect.")
        return request.user


# Token first: a script that sends a valid token is never asked for a CSRF token.
api_auth = [TokenAuth(), SessionAuth()]


def current_api_user(request: HttpRequest) -> User:
    """The user an authenticated API operation runs for (set by `api_auth`)."""
    user = getattr(request, "auth", None)
    if isinstance(user, ApiToken):
        return user.user
    if not isinstance(user, User):
        raise NotAuthenticated("Authentication required.")
    return user


def current_api_token(request: HttpRequest) -> ApiToken | None:
    """The token that authenticated the request, or None when it was the session."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None
