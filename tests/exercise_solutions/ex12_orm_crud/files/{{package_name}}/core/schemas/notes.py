"""The notes' bodies: the text a client sends, a note and the list it gets back."""

from pydantic import BaseModel, ConfigDict, Field

from .fields import Timestamp

NOTE_TEXT_MAX_LENGTH = 500


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=NOTE_TEXT_MAX_LENGTH)


class NoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    created_at: Timestamp


class NoteList(BaseModel):
    items: list[NoteOut]
