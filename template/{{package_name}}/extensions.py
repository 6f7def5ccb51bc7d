"""The Flask extensions, created once here and bound to an app by `init_app(app)`.

Also the declarative base of every model, and the column types the models share.
"""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import (
    BigInteger,
    DateTime,
    Dialect,
    Engine,
    Integer,
    MetaData,
    TypeDecorator,
    event,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import NullPool

from .config import PROJECT_ROOT

MIGRATIONS = PROJECT_ROOT / "migrations"

# Constraint names are spelled out so that Alembic's migrations name them the same on every
# database, and a later migration can drop or alter them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: A 64-bit primary key; SQLite only auto-increments INTEGER, so there it is one.
BigIntId = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime.datetime]):
    """A timezone-aware timestamp that always comes back from the database in UTC.

    SQLite keeps no offset and PostgreSQL answers in the session's time zone; either way the
    application sees an aware datetime in UTC, so the API writes `...Z` in both.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime.datetime | None, dialect: Dialect
    ) -> datetime.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Timestamps must be timezone-aware.")
        return value.astimezone(datetime.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime.datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime.datetime):
            raise TypeError(f"Expected a datetime from the database, got {type(value).__name__}.")
        if value.tzinfo is None:
            return value.replace(tzinfo=datetime.UTC)
        return value.astimezone(datetime.UTC)


def utc_now() -> datetime.datetime:
    """The current time, timezone-aware: the callable default of every timestamp column."""
    return datetime.datetime.now(datetime.UTC)


@event.listens_for(Engine, "connect")
def _enforce_sqlite_foreign_keys(dbapi_connection: Any, connection_record: Any) -> None:
    # SQLite ignores foreign keys (and so ON DELETE CASCADE) unless each connection asks.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def engine_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """How the engine connects: a silent database fails fast (docs/adr/0011).

    PostgreSQL: a connection that is not made within DATABASE_CONNECT_TIMEOUT seconds, or a
    statement that runs longer than DATABASE_STATEMENT_TIMEOUT, fails; a pooled connection is
    tested before use, so one the server dropped is replaced. SQLite: no pool, as opening the
    file costs nothing and a pooled connection would go on reading a file that was moved or
    replaced (a restored backup) while the health check looked at the old one.
    """
    url = str(config.get("SQLALCHEMY_DATABASE_URI", ""))
    if url.startswith("sqlite"):
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        return {} if in_memory else {"poolclass": NullPool}
    connect_args: dict[str, Any] = {
        "connect_timeout": int(config.get("DATABASE_CONNECT_TIMEOUT", 3)),
    }
    statement_ms = int(float(config.get("DATABASE_STATEMENT_TIMEOUT", 5)) * 1000)
    if statement_ms:  # 0: no limit, and no `options`, which a pooler such as PgBouncer refuses
        connect_args["options"] = f"-c statement_timeout={statement_ms}"
    return {"pool_pre_ping": True, "connect_args": connect_args}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Objects keep their loaded values after a commit: a view that commits and then answers with
# the object (or streams after its session has gone) needs no reload from the database.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
# E-mail through Flask-Mailman, configured by EMAIL_URL (config.py; docs/adr/0008).
mail = Mail()


def init_app(app: Flask) -> None:
    """Bind every extension to `app` (`create_app` calls this)."""
    init_database(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    mail.init_app(app)


def init_database(app: Flask) -> None:
    """Bind the database and its migrations to `app`: the project's app, or the throwaway one
    of `flask check-migrations`."""
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config))
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(MIGRATIONS),
        compare_type=True,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    )
