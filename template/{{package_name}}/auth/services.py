"""Use cases of accounts: registering users, checking passwords, issuing, checking and revoking
API tokens, ending sessions, and resetting a forgotten password by e-mail."""

from __future__ import annotations

import datetime
import functools
import hashlib
import secrets
from collections.abc import Callable
from typing import Any, cast

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import CursorResult, Delete, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager
from werkzeug.security import check_password_hash, generate_password_hash

from ..core import mail
from ..core.domain import TOKEN_USE_RECORD_INTERVAL, token_use_is_due
from ..core.errors import Conflict, InvalidToken, NotAuthenticated, NotFound, ValidationFailed
from ..core.passwords import password_problems
from ..core.tokens import IssuedToken, new_secret
from ..extensions import db, utc_now
from . import emails
from .models import ApiToken, User, digest_token

_TAKEN = "This username is taken."


def hash_password(password: str) -> str:
    """A salted hash of `password` by the app's PASSWORD_HASH_METHOD (scrypt but in tests)."""
    method: str = current_app.config["PASSWORD_HASH_METHOD"]
    return generate_password_hash(password, method=method)


@functools.cache
def _dummy_hash(method: str) -> str:
    # Checking a password against a real hash when the username is unknown takes as long as
    # a wrong password, so the answer's timing does not tell which usernames exist.
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def register_user(*, username: str, email: str, password: str) -> User:
    """Create a user with a hashed password; a taken username (in any case) is a Conflict."""
    problems = password_problems(password, username=username, email=email)
    if problems:
        raise ValidationFailed("The password is too weak.", fields={"password": " ".join(problems)})
    taken = select(User.id).where(func.lower(User.username) == username.lower()).limit(1)
    if db.session.scalar(taken) is not None:
        raise Conflict("That username is taken.", fields={"username": _TAKEN})
    user = User(username=username, email=email, password_hash=hash_password(password))
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError as exc:  # a concurrent sign-up won the race
        db.session.rollback()
        raise Conflict("That username is taken.", fields={"username": _TAKEN}) from exc
    return user


def set_password(user: User, password: str) -> None:
    """Replace a user's password hash (the caller commits)."""
    user.password_hash = hash_password(password)


def authenticate(*, username: str, password: str) -> User | None:
    """The active user with these credentials, or None (for the log-in page and tokens)."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    return user


def issue_token(*, username: str, password: str, name: str = "") -> IssuedToken:
    """Check the credentials and make a new personal API token for that user."""
    user = authenticate(username=username, password=password)
    if user is None:
        raise NotAuthenticated("Wrong username or password.")
    return create_token(user=user, name=name)


def create_token(*, user: User, name: str = "") -> IssuedToken:
    """A new token for `user`, expiring after API_TOKEN_LIFETIME_DAYS; only its digest is kept.

    Making one also deletes every expired token, so the table does not grow with each log-in.
    """
    now = utc_now()
    delete_expired_tokens(now=now)
    token = new_secret()
    lifetime = datetime.timedelta(days=current_app.config["API_TOKEN_LIFETIME_DAYS"])
    api_token = ApiToken(
        user=user, name=name, digest=digest_token(token), expires_at=now + lifetime
    )
    db.session.add(api_token)
    db.session.commit()
    return IssuedToken(token=token, id=api_token.id, expires_at=api_token.expires_at)


def find_token(token: str) -> ApiToken | None:
    """The unexpired token with this secret, of an active user (loaded with it), or None;
    records when it was last used (to the minute: see TOKEN_USE_RECORD_INTERVAL)."""
    now = utc_now()
    api_token = db.session.scalar(
        select(ApiToken)
        .join(ApiToken.user)
        .options(contains_eager(ApiToken.user))
        .where(
            ApiToken.digest == digest_token(token),
            ApiToken.expires_at > now,
            User.is_active.is_(True),
        )
    )
    if api_token is None:
        return None
    if token_use_is_due(api_token.last_used_at, now):
        # Conditional, so two requests racing here write once; most requests skip it entirely
        # and cost one query.
        db.session.execute(
            update(ApiToken)
            .where(
                ApiToken.id == api_token.id,
                or_(
                    ApiToken.last_used_at.is_(None),
                    ApiToken.last_used_at < now - TOKEN_USE_RECORD_INTERVAL,
                ),
            )
            .values(last_used_at=now)
        )
        db.session.commit()
    return api_token


def user_for_token(token: str) -> User | None:
    """The active user a working token belongs to, or None."""
    api_token = find_token(token)
    return api_token.user if api_token is not None else None


def list_tokens(*, user: User) -> list[ApiToken]:
    """`user`'s tokens that still work, newest first."""
    query = (
        select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.expires_at > utc_now())
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(db.session.scalars(query))


def revoke_token(*, user: User, token_id: int) -> None:
    """Delete one of `user`'s tokens; any other id (unknown, expired, someone else's) is 404."""
    deleted = _deleted(
        delete(ApiToken).where(
            ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.expires_at > utc_now()
        )
    )
    if not deleted:
        raise NotFound("No such token.")


def revoke_tokens(*, user: User) -> int:
    """Delete every token of `user`; how many there were."""
    return _deleted(delete(ApiToken).where(ApiToken.user_id == user.id))


def delete_expired_tokens(*, now: datetime.datetime | None = None) -> int:
    """Delete every token past its expiry (they no longer work); how many there were."""
    return _deleted(delete(ApiToken).where(ApiToken.expires_at <= (now or utc_now())))


def _deleted(statement: Delete) -> int:
    """Run a DELETE and commit it; how many rows it deleted."""
    result = cast(CursorResult[Any], db.session.execute(statement))
    db.session.commit()
    return result.rowcount


def end_sessions(*, user: User) -> None:
    """End every session of `user`, on every device: the session cookie is signed, not stored,
    so the server cannot forget one; instead the version each session carries stops matching
    (load_user). Log-out calls it, so a copied cookie dies with the log-out (docs/adr/0010)."""
    db.session.execute(
        update(User).where(User.id == user.id).values(session_version=User.session_version + 1)
    )
    db.session.commit()
    db.session.refresh(user, ["session_version"])


def sign_out_everywhere(*, user: User) -> None:
    """End all of `user`'s sessions and revoke all their API tokens (after a new password, or
    when an account may be in someone else's hands)."""
    revoke_tokens(user=user)
    end_sessions(user=user)


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the active user a session names (`User.get_id`: id and
    session version), or None when the version has been raised since the session began."""
    key, _, version = user_id.partition(":")
    try:
        key_number, version_number = int(key), int(version)
    except ValueError:
        return None
    user = db.session.get(User, key_number)
    if user is None or not user.is_active or user.session_version != version_number:
        return None
    return user


# Password reset. A token is the user's id and a fingerprint of their password hash, signed and
# timed by itsdangerous with the app's SECRET_KEY: it stops working once the password changes
# (single use) or PASSWORD_RESET_TIMEOUT seconds have passed, and it is one URL-safe string.
RESET_SALT = "password-reset"
# The stand-in token of the message that is rendered for an unknown address (see below).
_UNUSED_TOKEN = "x" * 80


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _password_fingerprint(user: User) -> str:
    # A digest, not the hash itself: the token's payload can be read by whoever holds it.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def password_reset_token(user: User) -> str:
    token: str = _reset_serializer().dumps([user.id, _password_fingerprint(user)])
    return token


def user_for_reset_token(token: str) -> User | None:
    """The active user a reset token is valid for, or None (tampered, used or expired)."""
    try:
        payload = _reset_serializer().loads(
            token, max_age=current_app.config["PASSWORD_RESET_TIMEOUT"]
        )
    except BadData:  # a bad signature, an expired one, or an unreadable payload
        return None
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)):
        return None
    user_id, fingerprint = payload
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or fingerprint != _password_fingerprint(user):
        return None
    return user


def request_password_reset(*, email: str, link_for: Callable[[str], str]) -> None:
    """Mail a reset link (`link_for(token)`) to every active user with this address.

    The caller answers the same whatever happens here, so nobody learns which addresses have
    an account. The work is alike too: for an unknown address the message is rendered all the
    same and then dropped (docs/adr/0008). A mail that cannot be sent is logged, not raised.
    """
    query = select(User).where(func.lower(User.email) == email.lower(), User.is_active.is_(True))
    users = list(db.session.scalars(query))
    if not users:
        unknown = User(username="", email=email)
        emails.password_reset_message(user=unknown, link=link_for(_UNUSED_TOKEN))
    for user in users:
        link = link_for(password_reset_token(user))
        mail.send(emails.password_reset_message(user=user, link=link))


def reset_password(*, token: str, password: str) -> User:
    """Set a new password with a reset token, and sign the user out everywhere else."""
    user = user_for_reset_token(token)
    if user is None:
        raise InvalidToken("This reset link is invalid or has expired; ask for a new one.")
    problems = password_problems(password, username=user.username, email=user.email)
    if problems:
        raise ValidationFailed("The password is too weak.", fields={"password": " ".join(problems)})
    set_password(user, password)
    sign_out_everywhere(user=user)
    db.session.commit()
    return user
