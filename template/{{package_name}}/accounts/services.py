"""Use cases of the accounts app: registering users, issuing or checking API tokens, and
resetting a forgotten password by e-mail."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from ..core.domain import TOKEN_USE_RECORD_INTERVAL, token_use_is_due
from ..core.errors import Conflict, InvalidToken, NotAuthenticated, ValidationFailed
from . import emails
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


def sign_out_everywhere(*, user: User) -> None:
    """End every way `user` is signed in: their API tokens are deleted. Their sessions end
    with the password change that comes with it (Django checks each session against a hash
    of the password)."""
    ApiToken.objects.filter(user=user).delete()


# Password reset. A token is `<uidb64>.<token>`: the user's id in URL-safe base64, and Django's
# own reset token, which signs the password hash, the last log-in and a timestamp; so it stops
# working once the password changes (single use) or PASSWORD_RESET_TIMEOUT seconds have passed.
# Neither part contains a dot, so the whole is one URL-safe path segment.
RESET_TOKEN_SEPARATOR = "."  # noqa: S105 (a separator, not a password)
# The stand-in token of the message that is rendered for an unknown address (see below).
_UNUSED_TOKEN = "MQ." + "x" * 32


def password_reset_token(user: User) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return f"{uidb64}{RESET_TOKEN_SEPARATOR}{default_token_generator.make_token(user)}"


def user_for_reset_token(token: str) -> User | None:
    """The active user a reset token is valid for, or None (tampered, used or expired)."""
    uidb64, separator, key = token.partition(RESET_TOKEN_SEPARATOR)
    if not separator:
        return None
    try:
        user_id = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):  # binascii.Error is a ValueError
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, key):
        return None
    return user


def request_password_reset(*, email: str, link_for: Callable[[str], str]) -> None:
    """Mail a reset link (`link_for(token)`) to every active user with this address.

    The caller answers the same whatever happens here, so nobody learns which addresses have
    an account. The work is alike too: for an unknown address the message is rendered all the
    same and then dropped (docs/adr/0008). A mail that cannot be sent is logged, not raised.
    """
    users = list(User.objects.filter(email__iexact=email, is_active=True))
    if not users:
        emails.password_reset_message(user=User(email=email), link=link_for(_UNUSED_TOKEN))
    for user in users:
        link = link_for(password_reset_token(user))
        emails.send(emails.password_reset_message(user=user, link=link))


def reset_password(*, token: str, password: str) -> User:
    """Set a new password with a reset token, and sign the user out everywhere else."""
    user = user_for_reset_token(token)
    if user is None:
        raise InvalidToken("This reset link is invalid or has expired; ask for a new one.")
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            "The password is too weak.", fields={"password": " ".join(exc.messages)}
        ) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    sign_out_everywhere(user=user)
    return user
