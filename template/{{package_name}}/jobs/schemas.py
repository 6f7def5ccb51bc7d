"""The jobs' API bodies (pydantic), beside the tasks' in core/schemas/tasks.py."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..core.schemas.errors import ErrorBody
from .domain import PROGRESS_DONE, JobState


class JobAccepted(BaseModel):
    """The answer to work started in the background: where to follow it."""

    job_id: int


class JobOut(BaseModel):
    """A job as its owner sees it; `result` when it succeeded, `error` when it failed."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    state: JobState
    progress: int = Field(ge=0, le=PROGRESS_DONE)
    result: dict[str, Any] | None
    error: ErrorBody | None


class AsyncQuery(BaseModel):
    """`?async=1` on an endpoint that can answer now, or start a job and answer 202."""

    run_async: bool = Field(
        False,
        alias="async",
        description="Start a background job and answer 202 with its id, instead of waiting.",
    )
