"""`/api/tasks...`: the tasks JSON API. Thin: parse, call a selector or service, answer.

The CSV import (`POST /api/tasks/import`) has a blueprint of its own (api/__init__.py).
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from flask import Response, stream_with_context
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag
from pydantic import BaseModel, ConfigDict

from ..auth.api_auth import current_api_user, require_api_user
from ..core import csv_io
from ..core.schemas.errors import ErrorEnvelope
from ..core.schemas.tasks import TaskIn, TaskListQuery, TaskOut, TaskPage, TaskPatch, TaskStats
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


# flask-openapi3 asks the query model for its JSON schema on every request, to read the
# query string by it; building that schema took 0.4 ms of a 3 ms page, so this model builds
# it once (per set of arguments) and hands out copies. Its schema is TaskListQuery's.
class ListQuery(TaskListQuery):
    __doc__ = TaskListQuery.__doc__
    model_config = ConfigDict(title=TaskListQuery.__name__)

    _schemas: ClassVar[dict[tuple[Any, ...], dict[str, Any]]] = {}

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        key = (cls, args, tuple(sorted(kwargs.items())))
        if key not in cls._schemas:
            cls._schemas[key] = super().model_json_schema(*args, **kwargs)
        return copy.deepcopy(cls._schemas[key])


def task_json(task: Task) -> dict[str, Any]:
    return TaskOut.model_validate(task).model_dump(mode="json")


@bp.get("", responses={200: TaskPage}, summary="List, filter and page tasks")
def list_tasks(query: ListQuery) -> JsonAnswer:
    page = selectors.list_tasks(owner=current_api_user(), query=query)
    return page.as_dict(task_json), 200


# An operation that reads a JSON body answers 400 when the body is missing or not JSON.
@bp.post("", responses={201: TaskOut, 400: ErrorEnvelope}, summary="Create a task")
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


@bp.get("/<int:task_id>", responses={200: TaskOut, 404: ErrorEnvelope}, summary="One task")
def get_task(path: TaskPath) -> JsonAnswer:
    return task_json(selectors.get_task(owner=current_api_user(), task_id=path.task_id)), 200


@bp.patch(
    "/<int:task_id>",
    responses={200: TaskOut, 400: ErrorEnvelope, 404: ErrorEnvelope},
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
