"""`POST /api/tasks/import`: the tasks of an uploaded CSV file, all stored at once or none."""

from __future__ import annotations

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.file import FileStorage
from flask_openapi3.models.tag import Tag
from pydantic import BaseModel

from ..auth.api_auth import current_api_user, require_api_user
from ..core.schemas.errors import ErrorEnvelope
from ..core.schemas.tasks import ImportResult
from ..tasks import services
from .errors import JsonAnswer

bp = APIBlueprint(
    "api_task_import",
    __name__,
    url_prefix="/api/tasks",
    abp_tags=[Tag(name="tasks")],
    abp_security=[{"TokenAuth": []}, {"SessionAuth": []}],
    abp_responses={401: ErrorEnvelope, 403: ErrorEnvelope, 422: ErrorEnvelope},
)
# A user is checked before the upload is validated.
bp.before_request(require_api_user)


class ImportForm(BaseModel):
    """The CSV upload, in the multipart field `file`."""

    file: FileStorage


@bp.post(
    "/import",
    responses={201: ImportResult, 400: ErrorEnvelope},
    summary="Import tasks from a CSV file (all rows or none)",
)
def import_tasks(form: ImportForm) -> JsonAnswer:
    created = services.import_tasks(owner=current_api_user(), data=form.file.read())
    return ImportResult(created=created).model_dump(), 201
