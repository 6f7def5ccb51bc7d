"""The user table and the personal API tokens of its users."""

from __future__ import annotations

import datetime
import hashlib

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.schemas.accounts import EMAIL_MAX_LENGTH, TOKEN_NAME_MAX_LENGTH, USERNAME_MAX_LENGTH
from ..extensions import Base, BigIntId, UtcDateTime, utc_now

#: Long enough for any of werkzeug's hash formats (scrypt's is about 160 characters).
PASSWORD_HASH_MAX_LENGTH = 255
TOKEN_DIGEST_LENGTH = 64
THROTTLE_KEY_LENGTH = 64


class User(Base):
    """A person who signs in.

    The four members Flask-Login asks for (`is_active`, `is_authenticated`, `is_anonymous`,
    `get_id`) are written out rather than mixed in from its untyped `UserMixin`, so the model
    stays fully typed; `is_active` is a real column, so an account can be switched off.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_MAX_LENGTH), unique=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH))
    password_hash: Mapped[str] = mapped_column(String(PASSWORD_HASH_MAX_LENGTH))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    date_joined: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)
    #: Part of what the session keeps (`get_id`): raising it ends every session of the user,
    #: on every device (services.sign_out_everywhere; docs/adr/0010).
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    api_tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """What Flask-Login keeps in the session to find the user again: the id and the
        session version, so that a session from before the version was raised finds nobody
        (services.load_user)."""
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.username!r}>"


def digest_token(token: str) -> str:
    """Tokens are stored as SHA-256 digests: a leaked database does not leak usable tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(Base):
    """A personal token for scripts (`Authorization: Bearer <token>`); shown once, stored hashed."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(TOKEN_NAME_MAX_LENGTH), default="", server_default="")
    digest: Mapped[str] = mapped_column(String(TOKEN_DIGEST_LENGTH), unique=True)
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_used_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime, default=None)
    #: A token stops working at this time; expired rows are deleted when a token is made and
    #: by `flask auth revoke-tokens --expired`.
    expires_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, index=True)

    user: Mapped[User] = relationship(back_populates="api_tokens")

    def __repr__(self) -> str:
        return f"<ApiToken of user {self.user_id} created {self.created_at:%Y-%m-%d}>"


class ThrottleCount(Base):
    """Attempts counted under one throttle key until its window ends (core/throttle.py).

    The key is a digest: the table keeps neither usernames nor addresses.
    """

    __tablename__ = "throttle_counts"

    key: Mapped[str] = mapped_column(String(THROTTLE_KEY_LENGTH), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    window_ends_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, index=True)

    def __repr__(self) -> str:
        return f"<ThrottleCount {self.attempts} until {self.window_ends_at:%Y-%m-%d %H:%M:%S}>"
