"""Writes of the notes app: create, change and delete, for one owner at a time."""

from __future__ import annotations

from ..accounts.models import User
from ..core.schemas.notes import NoteIn
from .models import Note
from .selectors import get_note


def create_note(*, owner: User, data: NoteIn) -> Note:
    return Note.objects.create(owner=owner, text=data.text)


def update_note(*, owner: User, note_id: int, data: NoteIn) -> Note:
    note = get_note(owner=owner, note_id=note_id)
    note.text = data.text
    note.save(update_fields=["text"])
    return note


def delete_note(*, owner: User, note_id: int) -> None:
    get_note(owner=owner, note_id=note_id).delete()
