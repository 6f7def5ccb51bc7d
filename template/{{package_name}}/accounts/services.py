"""Use cases of the accounts app: registering users and issuing or checking API tokens."""

from __future__ import annotations

import secrets

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ..core.domain import TOKEN_USE_RECORD_INTERVAL, token_use_is_due
from ..core.errors import Conflict, NotAuthenticated, ValidationFailed
from .models import ApiToken, User, digest_token


def register_user(*, username: str, email: str, password: str) -> User:
    """Create a user with a hashed password; a taken username is a Conflict."""
    candidate = User(username=username, email=email)
    try:
        validate_password(password, user=candidate)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            "The password is too weak.", fields={"password": " ".join(exc.messages)}
        ) from exc
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict("That username is taken.", fields={"username": "This username is taken."})
    candidate.set_password(password)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:  # a concurrent sign-up won the race
        raise Conflict(
            "That username is taken.", fields={"username": "This username is taken."}
        ) from exc
    return candidate


def issue_token(*, username: str, password: str) -> str:
    """Check the credentials and return a new personal API token (only its digest is kept)."""
    user = authenticate(username=username, password=password)
    if user is None or not isinstance(user, User):
        raise NotAuthenticated("Wrong username or password.")
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=digest_token(token))
    return token


def user_for_token(token: str) -> User | None:
    """The active user a token belongs to, or None; records when the token was last used
    (to the minute: see TOKEN_USE_RECORD_INTERVAL)."""
    api_token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_token(token), user__is_active=True)
        .first()
    )
    if api_token is None:
        return None
    now = timezone.now()
    if token_use_is_due(api_token.last_used_at, now):
        # Conditional, so two requests racing here write once; most requests skip it entirely
        # and cost one query.
        ApiToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOKEN_USE_RECORD_INTERVAL),
            pk=api_token.pk,
        ).update(last_used_at=now)
    return api_token.user
