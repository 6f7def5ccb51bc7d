"""Use cases of the accounts app: registering users, issuing, checking and revoking API tokens,
signing a user out everywhere, and resetting a forgotten password by e-mail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from ..core import mail
from ..core.domain import TOKEN_USE_RECORD_INTERVAL, token_use_is_due
from ..core.errors import Conflict, InvalidToken, NotAuthenticated, NotFound, ValidationFailed
from ..core.tokens import IssuedToken, new_secret
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


def issue_token(*, username: str, password: str, name: str = "") -> IssuedToken:
    """Check the credentials and make a new personal API token for that user."""
    user = authenticate(username=username, password=password)
    if user is None or not isinstance(user, User):
        raise NotAuthenticated("Wrong username or password.")
    return create_token(user=user, name=name)


def create_token(*, user: User, name: str = "") -> IssuedToken:
    """A new token for `user`, expiring after API_TOKEN_LIFETIME_DAYS; only its digest is kept.

    Making one also deletes every expired token, so the table does not grow with each log-in.
    """
    now = timezone.now()
    delete_expired_tokens(now=now)
    token = new_secret()
    api_token = ApiToken.objects.create(
        user=user,
        name=name,
        digest=digest_token(token),
        expires_at=now + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS),
    )
    return IssuedToken(token=token, id=api_token.pk, expires_at=api_token.expires_at)


def find_token(token: str) -> ApiToken | None:
    """The unexpired token with this secret, of an active user, or None; records when it was
    last used (to the minute: see TOKEN_USE_RECORD_INTERVAL)."""
    now = timezone.now()
    api_token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_token(token), user__is_active=True, expires_at__gt=now)
        .first()
    )
    if api_token is None:
        return None
    if token_use_is_due(api_token.last_used_at, now):
        # Conditional, so two requests racing here write once; most requests skip it entirely
        # and cost one query.
        ApiToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOKEN_USE_RECORD_INTERVAL),
            pk=api_token.pk,
        ).update(last_used_at=now)
    return api_token


def user_for_token(token: str) -> User | None:
    """The active user a working token belongs to, or None."""
    api_token = find_token(token)
    return api_token.user if api_token is not None else None


def list_tokens(*, user: User) -> list[ApiToken]:
    """`user`'s tokens that still work, newest first."""
    return list(ApiToken.objects.filter(user=user, expires_at__gt=timezone.now()))


def revoke_token(*, user: User, token_id: int) -> None:
    """Delete one of `user`'s tokens; any other id (unknown, expired, someone else's) is 404."""
    deleted, _ = ApiToken.objects.filter(
        pk=token_id, user=user, expires_at__gt=timezone.now()
    ).delete()
    if not deleted:
        raise NotFound("No such token.")


def revoke_tokens(*, user: User) -> int:
    """Delete every token of `user`; how many there were."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


def delete_expired_tokens(*, now: datetime | None = None) -> int:
    """Delete every token past its expiry (they no longer work); how many there were."""
    deleted, _ = ApiToken.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def sign_out_everywhere(*, user: User) -> None:
    """End all of `user`'s sessions and revoke all their API tokens (after a new password, or
    when an account may be in someone else's hands).

    Raising the user's session version changes the hash Django checks every session against,
    so every session, on any device and in any session store, ends on its next request.
    """
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_version=F("session_version") + 1)
        revoke_tokens(user=user)
    user.refresh_from_db(fields=["session_version"])


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
        mail.send(emails.password_reset_message(user=user, link=link))


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
