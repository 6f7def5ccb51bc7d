"""What the jobs' tests see of the project's database: `tests/jobs/conftest.py` makes it."""

from __future__ import annotations

from typing import Any, Protocol


class JobStore(Protocol):
    """The jobs' table as the tests read and write it, past the services."""

    def pending_import(self, owner: Any, payload: str) -> Any:
        """A job as the API leaves it before a worker takes it."""

    def job_count(self) -> int:
        """How many jobs are stored."""

    def get_job(self, job_id: int) -> Any:
        """The stored job with that id, read afresh, or None."""

    def jobs_of(self, owner: Any) -> list[Any]:
        """`owner`'s jobs in the order they were started."""

    def update_job(self, job: Any, **values: Any) -> None:
        """Write `values` straight into the job's row."""

    def lost_connection(self) -> Exception:
        """The error the database driver raises when the server closes the connection."""
