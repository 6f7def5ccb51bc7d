"""Reads of the notes, for one owner at a time."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from ..auth.models import User
from ..core.errors import NotFound
from ..extensions import db
from .models import Note


def list_notes(*, owner: User) -> Sequence[Note]:
    return db.session.scalars(
        select(Note).where(Note.owner_id == owner.id).order_by(Note.id.desc())
    ).all()


def get_note(*, owner: User, note_id: int) -> Note:
    """The owner's note; someone else's note is as unknown as a missing one."""
    note = db.session.scalar(select(Note).where(Note.owner_id == owner.id, Note.id == note_id))
    if note is None:
        raise NotFound(f"Note {note_id} was not found.")
    return note
