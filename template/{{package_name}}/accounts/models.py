"""The project's own user model (swappable from the first migration) and its API tokens."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in. Kept as its own model so fields can be added later."""

    email = models.EmailField("email address")

    def __str__(self) -> str:
        return self.username


def digest_token(token: str) -> str:
    """Tokens are stored as SHA-256 digests: a leaked database does not leak usable tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal token for scripts (`Authorization: Bearer <token>`); shown once, stored hashed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

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
