"""API tokens, the same in every part of the project: the secret a new token gets, and what
issuing one hands back (the secret, once). How long a token lives is the API_TOKEN_LIFETIME_DAYS
setting."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass


def new_secret() -> str:
    """A token's secret: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class IssuedToken:
    """A token just made: the only time its secret is known (the database keeps a digest)."""

    token: str
    id: int
    expires_at: datetime.datetime
