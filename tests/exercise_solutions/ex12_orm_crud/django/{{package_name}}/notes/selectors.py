"""Reads of the notes app, for one owner at a time."""

from __future__ import annotations

from django.db.models import QuerySet

from ..accounts.models import User
from ..core.errors import NotFound
from .models import Note


def list_notes(*, owner: User) -> QuerySet[Note]:
    return Note.objects.filter(owner=owner).order_by("-id")


def get_note(*, owner: User, note_id: int) -> Note:
    """The owner's note; someone else's note is as unknown as a missing one."""
    note = list_notes(owner=owner).filter(pk=note_id).first()
    if note is None:
        raise NotFound(f"Note {note_id} was not found.")
    return note
