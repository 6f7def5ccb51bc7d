"""Writes of the notes: create, change and delete, for one owner at a time."""

from __future__ import annotations

from ..auth.models import User
from ..core.schemas.notes import NoteIn
from ..extensions import db
from .models import Note
from .selectors import get_note


def create_note(*, owner: User, data: NoteIn) -> Note:
    note = Note(owner_id=owner.id, text=data.text)
    db.session.add(note)
    db.session.commit()
    return note


def update_note(*, owner: User, note_id: int, data: NoteIn) -> Note:
    note = get_note(owner=owner, note_id=note_id)
    note.text = data.text
    db.session.commit()
    return note


def delete_note(*, owner: User, note_id: int) -> None:
    db.session.delete(get_note(owner=owner, note_id=note_id))
    db.session.commit()
