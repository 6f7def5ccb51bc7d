"""`/api/tasks...`: the tasks JSON API. Thin: parse, call a selector or service, answer."""

from __future__ import annotations

from typing import Any

from flask import Response, stream_with_context
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.file import FileStorage
from flask_openapi3.models.tag import Tag
from pydantic import BaseModel

from ..auth.api_auth import current_api_user, require_api_user
from ..core import csv_io
from ..core.schemas import (
    ErrorEnvelope,
    ImportResult,
    TaskIn,
    TaskListQuery,
    TaskOut,
    TaskPage,
    TaskPatch,
    TaskStats,
)
from ..tasks import selectors, services
from ..tasks.models import Task
from .errors import JsonAnswer

bp = APIBlueprint(
    "api_tasks",
    __name__,
    url_prefix="/api/tasks",
    abp_tags=[Tag(name="tasks")],
    abp_security=[{"TokenAuth": []}, {"SessionAuth": []}],
    abp_responses={401: ErrorEnvelope, 403: ErrorEnvelope, 422: ErrorEnvelope},
)
# Every route needs a user, checked before the body or query is validated.
bp.before_request(require_api_user)

CSV_RESPONSE: dict[str, Any] = {
    "description": "Every task of the user as CSV, streamed.",
    "content": {"text/csv": {"schema": {"type": "string"}}},
}


class TaskPath(BaseModel):
    task_id: int


class ImportForm(BaseModel):
    """The CSV upload, in the multipart field `file`."""

    file: FileStorage


def task_json(task: Task) -> dict[str, Any]:
    return TaskOut.model_validate(task).model_dump(mode="json")


@bp.get("", responses={200: TaskPage}, summary="List, filter and page tasks")
def list_tasks(query: TaskListQuery) -> JsonAnswer:
    page = selectors.list_tasks(owner=current_api_user(), query=query)
    return page.as_dict(task_json), 200


@bp.post("", responses={201: TaskOut}, summary="Create a task")
def create_task(body: TaskIn) -> JsonAnswer:
    return task_json(services.create_task(owner=current_api_user(), data=body)), 201


@bp.get("/stats", responses={200: TaskStats}, summary="Counts and completion rate")
def task_stats() -> JsonAnswer:
    return selectors.task_stats(owner=current_api_user()).model_dump(mode="json"), 200


@bp.get("/export.csv", responses={200: CSV_RESPONSE}, summary="Export as CSV")
def export_tasks() -> Response:
    tasks = selectors.iter_tasks_for_export(owner=current_api_user())
    # stream_with_context keeps the request (and its database session) open while the
    # generator runs, after this function has returned.
    lines = stream_with_context(csv_io.iter_export_lines(tasks))
    return Response(
        lines,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="tasks.csv"'},
    )


@bp.post(
    "/import",
    responses={201: ImportResult, 400: ErrorEnvelope},
    summary="Import tasks from a CSV file (all rows or none)",
)
def import_tasks(form: ImportForm) -> JsonAnswer:
    created = services.import_tasks(owner=current_api_user(), data=form.file.read())
    return ImportResult(created=created).model_dump(), 201


@bp.get("/<int:task_id>", responses={200: TaskOut, 404: ErrorEnvelope}, summary="One task")
def get_task(path: TaskPath) -> JsonAnswer:
    return task_json(selectors.get_task(owner=current_api_user(), task_id=path.task_id)), 200


@bp.patch(
    "/<int:task_id>",
    responses={200: TaskOut, 404: ErrorEnvelope},
    summary="Change some fields of a task",
)
def update_task(path: TaskPath, body: TaskPatch) -> JsonAnswer:
    task = services.update_task(
        owner=current_api_user(), task_id=path.task_id, changes=body.changes()
    )
    return task_json(task), 200


@bp.delete("/<int:task_id>", responses={204: None, 404: ErrorEnvelope}, summary="Delete a task")
def delete_task(path: TaskPath) -> Response:
    services.delete_task(owner=current_api_user(), task_id=path.task_id)
    return Response(status=204, mimetype="application/json")
