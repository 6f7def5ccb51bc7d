"""`/api/jobs/{id}`: how a background job is doing, for the user who started it."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from ..accounts.api_auth import api_auth, current_user
from ..core.schemas import ErrorEnvelope
from . import selectors
from .models import Job
from .schemas import JobOut

router = Router(tags=["jobs"], auth=api_auth)


@router.get(
    "/{int:job_id}",
    response={200: JobOut, 401: ErrorEnvelope, 404: ErrorEnvelope},
    summary="A background job: its state, progress, and result or error",
)
def get_job(request: HttpRequest, job_id: int) -> Job:
    return selectors.get_job(owner=current_user(request), job_id=job_id)
