"""The Note table: a user's short text, apart from tasks."""

from __future__ import annotations

import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.schemas.notes import NOTE_TEXT_MAX_LENGTH
from ..extensions import Base, BigIntId, UtcDateTime, utc_now


class Note(Base):
    __tablename__ = "notes"
    __table_args__ = (
        CheckConstraint("text <> ''", name="text_not_empty"),
        Index("ix_notes_owner_id_desc", "owner_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    owner_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(NOTE_TEXT_MAX_LENGTH))
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)

    def __repr__(self) -> str:
        return f"<Note {self.id} {self.text[:20]!r}>"
