"""Use cases of accounts: registering users, checking passwords, issuing and checking API tokens."""

from __future__ import annotations

import difflib
import functools
import re
import secrets

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.domain import TOKEN_USE_RECORD_INTERVAL, token_use_is_due
from ..core.errors import Conflict, NotAuthenticated, ValidationFailed
from ..core.schemas.accounts import PASSWORD_MIN_LENGTH
from ..extensions import db, utc_now
from .models import ApiToken, User, digest_token

#: A few of the passwords every guessing list starts with (Django ships 20,000 of them).
COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "password123",
        "passw0rd",
        "12345678",
        "123456789",
        "1234567890",
        "87654321",
        "11111111",
        "00000000",
        "qwertyui",
        "qwerty123",
        "iloveyou",
        "sunshine",
        "princess",
        "football",
        "baseball",
        "welcome1",
        "letmein1",
        "abc12345",
        "abcd1234",
        "trustno1",
        "superman",
        "starwars",
        "whatever",
    }
)
MAX_SIMILARITY = 0.7
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


def password_problems(password: str, *, username: str = "", email: str = "") -> list[str]:
    """Why a password is too weak (empty when it is acceptable), in Django's wording."""
    problems: list[str] = []
    for label, value in (("username", username), ("email address", email)):
        if _too_similar(password, value):
            problems.append(f"The password is too similar to the {label}.")
            break
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(
            "This password is too short. "
            f"It must contain at least {PASSWORD_MIN_LENGTH} characters."
        )
    if password.lower().strip() in COMMON_PASSWORDS:
        problems.append("This password is too common.")
    if password.isdigit():
        problems.append("This password is entirely numeric.")
    return problems


def _too_similar(password: str, value: str) -> bool:
    # Django's UserAttributeSimilarityValidator: the whole value and each of its parts
    # ("ann.lee@example.com" is also "ann", "lee", "example", "com").
    password = password.lower()
    parts = {value.lower(), *re.split(r"\W+", value.lower())} - {""}
    return any(
        difflib.SequenceMatcher(a=password, b=part).quick_ratio() >= MAX_SIMILARITY
        for part in parts
    )


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


def issue_token(*, username: str, password: str) -> str:
    """Check the credentials and return a new personal API token (only its digest is kept)."""
    user = authenticate(username=username, password=password)
    if user is None:
        raise NotAuthenticated("Wrong username or password.")
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, digest=digest_token(token)))
    db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    """The active user a token belongs to, or None; records when the token was last used
    (to the minute: see TOKEN_USE_RECORD_INTERVAL)."""
    found = db.session.execute(
        select(ApiToken.id, ApiToken.last_used_at, User)
        .join(ApiToken.user)
        .where(ApiToken.digest == digest_token(token), User.is_active.is_(True))
    ).first()
    if found is None:
        return None
    token_id, last_used_at, user = found
    now = utc_now()
    if token_use_is_due(last_used_at, now):
        # Conditional, so two requests racing here write once; most requests skip it entirely
        # and cost one query.
        db.session.execute(
            update(ApiToken)
            .where(
                ApiToken.id == token_id,
                or_(
                    ApiToken.last_used_at.is_(None),
                    ApiToken.last_used_at < now - TOKEN_USE_RECORD_INTERVAL,
                ),
            )
            .values(last_used_at=now)
        )
        db.session.commit()
    return user


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the active user a session names, or None."""
    try:
        key = int(user_id)
    except ValueError:
        return None
    user = db.session.get(User, key)
    return user if user is not None and user.is_active else None
