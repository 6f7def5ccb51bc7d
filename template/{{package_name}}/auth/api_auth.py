"""How API requests authenticate: a personal Bearer token, or the browser's session.

A request authenticated by its session cookie must carry the CSRF token on unsafe methods; a
request with a Bearer token (a script) needs none, since browsers never add that header by
themselves. The API's blueprints are exempt from Flask-WTF's global check for that reason, and
the check is made here, once the session is known to be what authenticates.
"""

from __future__ import annotations

from flask import g, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from ..core.errors import NotAuthenticated, PermissionDenied
from ..extensions import csrf
from .models import ApiToken, User
from .services import find_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _session_user() -> User | None:
    user = current_user._get_current_object() if current_user.is_authenticated else None
    return user if isinstance(user, User) else None


def authenticate_api_request() -> User:
    """Who the request is from: the token's user first, else the session's (with CSRF)."""
    token = _bearer_token()
    api_token = find_token(token) if token is not None else None
    if api_token is not None:
        g.api_token = api_token  # DELETE /api/auth/token revokes it
        return api_token.user
    user = _session_user()
    if user is None:
        raise NotAuthenticated("Authentication required.")
    if request.method not in SAFE_METHODS:
        try:
            csrf.protect()
        except CSRFError as exc:
            raise PermissionDenied("CSRF token missing or incorrect.") from exc
    return user


def require_api_user() -> None:
    """A `before_request` hook for blueprints whose every route needs a user.

    It runs before the request's body and query are validated, so an anonymous request is a
    401 whatever it sends (the API contract: every /api/tasks route needs a user).
    """
    g.api_user = authenticate_api_request()


def current_api_user() -> User:
    """The user an API view runs for (authenticated once per request)."""
    user = g.get("api_user")
    if not isinstance(user, User):
        user = g.api_user = authenticate_api_request()
    return user


def current_api_token() -> ApiToken | None:
    """The token that authenticated the request, or None when it was the session."""
    current_api_user()
    api_token = g.get("api_token")
    return api_token if isinstance(api_token, ApiToken) else None
