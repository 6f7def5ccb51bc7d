"""`/api/jobs/<id>`: how a background job is doing, for the user who started it."""

from __future__ import annotations

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag
from pydantic import BaseModel

from ..auth.api_auth import current_api_user, require_api_user
from ..core.schemas import ErrorEnvelope
from ..jobs import selectors
from ..jobs.schemas import JobOut
from .errors import JsonAnswer

bp = APIBlueprint(
    "api_jobs",
    __name__,
    url_prefix="/api/jobs",
    abp_tags=[Tag(name="jobs")],
    abp_security=[{"TokenAuth": []}, {"SessionAuth": []}],
    abp_responses={401: ErrorEnvelope},
)
bp.before_request(require_api_user)


class JobPath(BaseModel):
    job_id: int


@bp.get(
    "/<int:job_id>",
    responses={200: JobOut, 404: ErrorEnvelope},
    summary="A background job: its state, progress, and result or error",
)
def get_job(path: JobPath) -> JsonAnswer:
    job = selectors.get_job(owner=current_api_user(), job_id=path.job_id)
    return JobOut.model_validate(job).model_dump(mode="json"), 200
