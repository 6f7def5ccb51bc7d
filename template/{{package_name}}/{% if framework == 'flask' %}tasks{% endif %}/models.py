"""The Task table: its fields, the rules the database enforces, and the indexes lists use."""

from __future__ import annotations

import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.domain import CATEGORY_MAX_LENGTH, DEFAULT_PRIORITY, TITLE_MAX_LENGTH, Priority
from ..extensions import Base, BigIntId, UtcDateTime, utc_now

PRIORITY_MAX_LENGTH = 6
_KNOWN_PRIORITIES = ", ".join(f"'{priority.value}'" for priority in Priority)


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        CheckConstraint(f"priority IN ({_KNOWN_PRIORITIES})", name="priority_is_known"),
        CheckConstraint("title <> ''", name="title_not_empty"),
        Index("ix_tasks_owner_created", "owner_id", "created_at", "id"),
        Index("ix_tasks_owner_category", "owner_id", "category"),
        Index("ix_tasks_owner_done", "owner_id", "done"),
        Index("ix_tasks_owner_due", "owner_id", "due_date"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    owner_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX_LENGTH))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(CATEGORY_MAX_LENGTH), default="")
    priority: Mapped[str] = mapped_column(
        String(PRIORITY_MAX_LENGTH), default=DEFAULT_PRIORITY.value
    )
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    due_date: Mapped[datetime.date | None] = mapped_column(Date, default=None)
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UtcDateTime, default=utc_now, onupdate=utc_now
    )

    owner: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Task {self.id} {self.title!r}>"
