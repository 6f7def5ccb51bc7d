"""What a job is, whatever the framework: its states, the retry policy, and the store.

The runner (runner.py) only talks to a `JobStore`; store.py implements one with the ORM, and
the runner's tests (tests/jobs/test_runner.py) one kept in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

PROGRESS_DONE = 100

# A job whose database connection is lost is tried again, up to MAX_RETRIES times, after a
# delay that doubles from RETRY_BACKOFF_SECONDS up to RETRY_BACKOFF_MAX_SECONDS. Celery draws
# each delay at random below that bound (full jitter), so jobs that failed together do not
# all come back at the same moment.
RETRY_BACKOFF_SECONDS = 2
RETRY_BACKOFF_MAX_SECONDS = 60
MAX_RETRIES = 5


class JobState(StrEnum):
    """pending → running → succeeded or failed; a finished job never runs again."""

    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (JobState.SUCCEEDED, JobState.FAILED)


UNFINISHED_STATES = (JobState.PENDING.value, JobState.RUNNING.value)


@dataclass(frozen=True)
class StartedJob:
    """A job the runner has just marked running, with what it needs to do its work."""

    id: int
    kind: str
    owner_id: int | None
    payload: str


#: The last step of a job's work: its writes, which return the job's result. The store runs
#: it in the transaction that marks the job succeeded, so both are stored or neither.
Completion = Callable[[], dict[str, Any]]


class JobStore(Protocol):
    """Where the runner reads and writes jobs (store.py, on the ORM)."""

    def start(self, job_id: int) -> StartedJob | None:
        """Mark the job running and return it; None when it has finished (or does not exist)."""
        ...

    def report_progress(self, job_id: int, progress: int) -> None:
        """Record how far a running job has come, from 0 to 100."""
        ...

    def succeed(self, job_id: int, completion: Completion) -> bool:
        """In one transaction: run `completion`, then mark the job succeeded with its result.

        When the job has finished meanwhile (another worker got there first), nothing is
        written and the answer is False.
        """
        ...

    def fail(self, job_id: int, error: dict[str, Any]) -> None:
        """Mark the job failed with `error` (the error envelope's object), unless it finished."""
        ...
