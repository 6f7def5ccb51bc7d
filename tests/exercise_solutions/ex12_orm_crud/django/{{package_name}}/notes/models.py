"""The Note table: a user's short text, apart from tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..core.schemas.notes import NOTE_TEXT_MAX_LENGTH


class Note(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes"
    )
    text = models.CharField(max_length=NOTE_TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-id",)
        indexes = (models.Index(fields=("owner", "-id"), name="note_owner_newest_idx"),)

    def __str__(self) -> str:
        return self.text[:50]
