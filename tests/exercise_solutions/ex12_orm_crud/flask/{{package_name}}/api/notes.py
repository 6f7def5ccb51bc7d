"""`/api/notes...`: the notes JSON API. Thin: parse, call a selector or service, answer."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag
from pydantic import BaseModel

from ..auth.api_auth import current_api_user, require_api_user
from ..core.schemas.errors import ErrorEnvelope
from ..core.schemas.notes import NoteIn, NoteList, NoteOut
from ..notes import selectors, services
from ..notes.models import Note
from .errors import JsonAnswer

bp = APIBlueprint(
    "api_notes",
    __name__,
    url_prefix="/api/notes",
    abp_tags=[Tag(name="notes")],
    abp_security=[{"TokenAuth": []}, {"SessionAuth": []}],
    abp_responses={401: ErrorEnvelope, 403: ErrorEnvelope, 422: ErrorEnvelope},
)
bp.before_request(require_api_user)


class NotePath(BaseModel):
    note_id: int


def note_json(note: Note) -> dict[str, Any]:
    return NoteOut.model_validate(note).model_dump(mode="json")


@bp.get("", responses={200: NoteList}, summary="The user's notes, newest first")
def list_notes() -> JsonAnswer:
    notes = selectors.list_notes(owner=current_api_user())
    return {"items": [note_json(note) for note in notes]}, 200


@bp.post("", responses={201: NoteOut, 400: ErrorEnvelope}, summary="Create a note")
def create_note(body: NoteIn) -> JsonAnswer:
    return note_json(services.create_note(owner=current_api_user(), data=body)), 201


@bp.get("/<int:note_id>", responses={200: NoteOut, 404: ErrorEnvelope}, summary="One note")
def get_note(path: NotePath) -> JsonAnswer:
    return note_json(selectors.get_note(owner=current_api_user(), note_id=path.note_id)), 200


@bp.patch(
    "/<int:note_id>",
    responses={200: NoteOut, 400: ErrorEnvelope, 404: ErrorEnvelope},
    summary="Change a note's text",
)
def update_note(path: NotePath, body: NoteIn) -> JsonAnswer:
    note = services.update_note(owner=current_api_user(), note_id=path.note_id, data=body)
    return note_json(note), 200


@bp.delete("/<int:note_id>", responses={204: None, 404: ErrorEnvelope}, summary="Delete a note")
def delete_note(path: NotePath) -> Response:
    services.delete_note(owner=current_api_user(), note_id=path.note_id)
    return Response(status=204, mimetype="application/json")
