"""`POST /api/tasks/import`: the tasks of an uploaded CSV file, all stored at once or none."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Router, Status, UploadedFile

from ..accounts.api_auth import api_auth, current_api_user
from ..core.schemas.errors import ErrorEnvelope
from ..core.schemas.tasks import ImportResult
from . import services
from .api import ERRORS

router = Router(tags=["tasks"], auth=api_auth)


@router.post(
    "/import",
    response={201: ImportResult, 400: ErrorEnvelope, **ERRORS},
    summary="Import tasks from a CSV file (all rows or none)",
)
def import_tasks(request: HttpRequest, file: File[UploadedFile]) -> Status[dict[str, int]]:
    created = services.import_tasks(owner=current_api_user(request), data=file.read())
    return Status(201, {"created": created})
