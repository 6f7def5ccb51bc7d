"""`/api/notes...`: the notes JSON API. Thin: parse, call a selector or service, answer."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from ..accounts.api_auth import api_auth, current_api_user
from ..core.schemas.errors import ErrorEnvelope
from ..core.schemas.notes import NoteIn, NoteList, NoteOut
from . import selectors, services
from .models import Note

router = Router(tags=["notes"], auth=api_auth)

ERRORS: dict[int, Any] = {401: ErrorEnvelope, 403: ErrorEnvelope, 422: ErrorEnvelope}
BODY_ERRORS: dict[int, Any] = {400: ErrorEnvelope, **ERRORS}


@router.get("", response={200: NoteList, **ERRORS}, summary="The user's notes, newest first")
def list_notes(request: HttpRequest) -> dict[str, Any]:
    return {"items": list(selectors.list_notes(owner=current_api_user(request)))}


@router.post("", response={201: NoteOut, **BODY_ERRORS}, summary="Create a note")
def create_note(request: HttpRequest, payload: NoteIn) -> Status[Note]:
    return Status(201, services.create_note(owner=current_api_user(request), data=payload))


@router.get(
    "/{int:note_id}", response={200: NoteOut, 404: ErrorEnvelope, **ERRORS}, summary="One note"
)
def get_note(request: HttpRequest, note_id: int) -> Note:
    return selectors.get_note(owner=current_api_user(request), note_id=note_id)


@router.patch(
    "/{int:note_id}",
    response={200: NoteOut, 404: ErrorEnvelope, **BODY_ERRORS},
    summary="Change a note's text",
)
def update_note(request: HttpRequest, note_id: int, payload: NoteIn) -> Note:
    return services.update_note(owner=current_api_user(request), note_id=note_id, data=payload)


@router.delete(
    "/{int:note_id}", response={204: None, 404: ErrorEnvelope, **ERRORS}, summary="Delete a note"
)
def delete_note(request: HttpRequest, note_id: int) -> Status[None]:
    services.delete_note(owner=current_api_user(request), note_id=note_id)
    return Status(204, None)
