"""The project's own user model (swappable from the first migration) and its API tokens."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac

from ..core.schemas.accounts import TOKEN_NAME_MAX_LENGTH

_SESSION_HASH_SALT = "accounts.User.get_session_auth_hash"


class User(AbstractUser):
    """A person who signs in. Kept as its own model so fields can be added later."""

    email = models.EmailField("email address")
    #: Part of every session's check: raising it ends all the user's sessions at once
    #: (services.sign_out_everywhere), as a new password does (docs/adr/0010).
    session_version = models.PositiveIntegerField(default=0, editable=False)

    def __str__(self) -> str:
        return self.username

    # Django signs each session with this hash and drops the session when it no longer
    # matches; Django's own hash covers the password only, this one the version too.
    def get_session_auth_hash(self) -> str:
        return self._session_hash(secret=None)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=fallback_secret)

    def _session_hash(self, *, secret: str | bytes | None) -> str:
        value = f"{self.password}:{self.session_version}"
        return salted_hmac(_SESSION_HASH_SALT, value, secret=secret, algorithm="sha256").hexdigest()


def digest_token(token: str) -> str:
    """Tokens are stored as SHA-256 digests: a leaked database does not leak usable tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal token for scripts (`Authorization: Bearer <token>`); shown once, stored hashed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=TOKEN_NAME_MAX_LENGTH, blank=True, default="")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    #: A token stops working at this time; expired rows are deleted when a token is made
    #: and by `manage.py revoke_tokens --expired`.
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"API token of {self.user} created {self.created_at:%Y-%m-%d}"


class ThrottleCount(models.Model):
    """Attempts counted under one throttle key until its window ends (core/throttle.py).

    The key is a digest: the table keeps neither usernames nor addresses.
    """

    key = models.CharField(max_length=64, primary_key=True)
    attempts = models.PositiveIntegerField(default=0)
    window_ends_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.attempts} attempts until {self.window_ends_at:%Y-%m-%d %H:%M:%S}"
