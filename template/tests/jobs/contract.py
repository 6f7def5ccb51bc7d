"""What the jobs' tests see of the project: its database and its Celery settings, as
`tests/jobs/conftest.py` makes them."""

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


# The Celery settings that keep the project's jobs apart from other projects' on one broker
# (docs/adr/0012), and the environment variables that set them.
ISOLATION_SETTINGS = (
    "task_default_queue",
    "control_exchange",
    "event_exchange",
    "broker_transport_options",
    "result_backend_transport_options",
)
ISOLATION_VARIABLES = ("CELERY_TASK_DEFAULT_QUEUE", "CELERY_KEY_PREFIX")


class WorkerCeleryConf(Protocol):
    def __call__(self, **environ: str) -> dict[str, Any]:
        """The ISOLATION_SETTINGS of the Celery app a worker builds when the environment holds
        `environ` and none other of ISOLATION_VARIABLES, and the queues it consumes without
        `-Q` (`worker_queues`)."""
