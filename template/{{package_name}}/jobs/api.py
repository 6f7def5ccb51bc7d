"""The background jobs' routes: how a job is doing, and the CSV import that can run as one.

`GET /api/jobs/{id}` answers only the user who started the job. `POST /api/tasks/import`
stores the file's tasks at once (201), or with `?async=1` leaves them to a job (202 and the
job's id). config/api.py mounts this router at the API's root, for its two paths.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Query, Router, Status, UploadedFile

from ..accounts.api_auth import api_auth, current_api_user
from ..core.schemas.errors import ErrorEnvelope
from ..core.schemas.tasks import ImportResult
from ..tasks import services as task_services
from ..tasks.api import ERRORS
from . import selectors, services
from .models import Job
from .schemas import AsyncQuery, JobAccepted, JobOut

router = Router(tags=["jobs"], auth=api_auth)


@router.get(
    "/jobs/{int:job_id}",
    response={200: JobOut, 401: ErrorEnvelope, 404: ErrorEnvelope},
    summary="A background job: its state, progress, and result or error",
)
def get_job(request: HttpRequest, job_id: int) -> Job:
    return selectors.get_job(owner=current_api_user(request), job_id=job_id)


@router.post(
    "/tasks/import",
    response={201: ImportResult, 202: JobAccepted, 400: ErrorEnvelope, **ERRORS},
    tags=["tasks"],
    summary="Import tasks from a CSV file (all rows or none)",
)
def import_tasks(
    request: HttpRequest, file: File[UploadedFile], query: Query[AsyncQuery]
) -> Status[dict[str, int]]:
    """With `?async=1` a background job imports the file: 202 with its id, to follow at
    `GET /api/jobs/{id}`."""
    if query.run_async:
        job = services.start_import(owner=current_api_user(request), data=file.read())
        return Status(202, {"job_id": job.pk})
    created = task_services.import_tasks(owner=current_api_user(request), data=file.read())
    return Status(201, {"created": created})
