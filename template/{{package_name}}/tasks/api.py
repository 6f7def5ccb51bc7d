"""`/api/tasks...`: the tasks JSON API. Thin: parse, call a selector or service, answer.

The CSV import (`POST /api/tasks/import`) has a router of its own, mounted beside this one by
config/api.py.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Query, Router, Status

from ..accounts.api_auth import api_auth, current_api_user
from ..core import csv_io
from ..core.schemas.errors import ErrorEnvelope
from ..core.schemas.tasks import TaskIn, TaskListQuery, TaskOut, TaskPage, TaskPatch, TaskStats
from . import selectors, services
from .models import Task

router = Router(tags=["tasks"], auth=api_auth)

ERRORS: dict[int, Any] = {401: ErrorEnvelope, 403: ErrorEnvelope, 422: ErrorEnvelope}
# An operation that reads a JSON body answers 400 when the body is missing or not JSON.
BODY_ERRORS: dict[int, Any] = {400: ErrorEnvelope, **ERRORS}
CSV_RESPONSE = {
    "responses": {
        "200": {
            "description": "Every task of the user as CSV, streamed.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


@router.get("", response={200: TaskPage, **ERRORS}, summary="List, filter and page tasks")
def list_tasks(request: HttpRequest, query: Query[TaskListQuery]) -> dict[str, Any]:
    page = selectors.list_tasks(owner=current_api_user(request), query=query)
    return page.as_dict(lambda task: task)


@router.post("", response={201: TaskOut, **BODY_ERRORS}, summary="Create a task")
def create_task(request: HttpRequest, payload: TaskIn) -> Status[Task]:
    return Status(201, services.create_task(owner=current_api_user(request), data=payload))


@router.get("/stats", response={200: TaskStats, **ERRORS}, summary="Counts and completion rate")
def task_stats(request: HttpRequest) -> TaskStats:
    return selectors.task_stats(owner=current_api_user(request))


@router.get("/export.csv", response=ERRORS, openapi_extra=CSV_RESPONSE, summary="Export as CSV")
def export_tasks(request: HttpRequest) -> StreamingHttpResponse:
    tasks = selectors.iter_tasks_for_export(owner=current_api_user(request))
    response = StreamingHttpResponse(
        csv_io.iter_export_lines(tasks), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="tasks.csv"'
    return response


@router.get(
    "/{int:task_id}", response={200: TaskOut, 404: ErrorEnvelope, **ERRORS}, summary="One task"
)
def get_task(request: HttpRequest, task_id: int) -> Task:
    return selectors.get_task(owner=current_api_user(request), task_id=task_id)


@router.patch(
    "/{int:task_id}",
    response={200: TaskOut, 404: ErrorEnvelope, **BODY_ERRORS},
    summary="Change some fields of a task",
)
def update_task(request: HttpRequest, task_id: int, payload: TaskPatch) -> Task:
    return services.update_task(
        owner=current_api_user(request), task_id=task_id, changes=payload.changes()
    )


@router.delete(
    "/{int:task_id}", response={204: None, 404: ErrorEnvelope, **ERRORS}, summary="Delete a task"
)
def delete_task(request: HttpRequest, task_id: int) -> Status[None]:
    services.delete_task(owner=current_api_user(request), task_id=task_id)
    return Status(204, None)
