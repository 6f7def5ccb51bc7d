"""The background jobs' routes: how a job is doing, and the CSV import that can run as one.

`GET /api/jobs/<id>` answers only the user who started the job. `POST /api/tasks/import`
stores the file's tasks at once (201), or with `?async=1` leaves them to a job (202 and the
job's id). Registering this blueprint also binds the project's Celery app, which queues the
jobs, to the Flask app (worker.py runs them).
"""

from __future__ import annotations

from typing import cast

from flask import Flask
from flask.blueprints import BlueprintSetupState
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.file import FileStorage
from flask_openapi3.models.tag import Tag
from pydantic import BaseModel

from ..auth.api_auth import current_api_user, require_api_user
from ..core.schemas.errors import ErrorEnvelope
from ..core.schemas.tasks import ImportResult
from ..jobs import celery_app, selectors, services
from ..jobs.schemas import AsyncQuery, JobAccepted, JobOut
from ..tasks import services as task_services
from .errors import JsonAnswer

bp = APIBlueprint(
    "api_jobs",
    __name__,
    url_prefix="/api",
    abp_security=[{"TokenAuth": []}, {"SessionAuth": []}],
    abp_responses={401: ErrorEnvelope},
)
# Every route needs a user, checked before the body or query is validated.
bp.before_request(require_api_user)


@bp.record_once
def bind_celery(state: BlueprintSetupState) -> None:
    celery_app.init_app(cast(Flask, state.app))  # the app `create_app` made, a Flask app


class JobPath(BaseModel):
    job_id: int


class ImportForm(BaseModel):
    """The CSV upload, in the multipart field `file`."""

    file: FileStorage


@bp.get(
    "/jobs/<int:job_id>",
    tags=[Tag(name="jobs")],
    responses={200: JobOut, 404: ErrorEnvelope},
    summary="A background job: its state, progress, and result or error",
)
def get_job(path: JobPath) -> JsonAnswer:
    job = selectors.get_job(owner=current_api_user(), job_id=path.job_id)
    return JobOut.model_validate(job).model_dump(mode="json"), 200


@bp.post(
    "/tasks/import",
    tags=[Tag(name="tasks")],
    responses={
        201: ImportResult,
        202: JobAccepted,
        400: ErrorEnvelope,
        403: ErrorEnvelope,
        422: ErrorEnvelope,
    },
    summary="Import tasks from a CSV file (all rows or none)",
)
def import_tasks(form: ImportForm, query: AsyncQuery) -> JsonAnswer:
    """With `?async=1` a background job imports the file: 202 with its id, to follow at
    `GET /api/jobs/{id}`."""
    if query.run_async:
        job = services.start_import(owner=current_api_user(), data=form.file.read())
        return JobAccepted(job_id=job.id).model_dump(), 202
    created = task_services.import_tasks(owner=current_api_user(), data=form.file.read())
    return ImportResult(created=created).model_dump(), 201
