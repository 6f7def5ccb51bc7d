"""Running a job, whatever its kind, on any `JobStore` (domain.py).

A job is started (unless it has finished: it is never done twice), does its work, and ends
succeeded, its result committed in the same transaction as its writes, or failed, with the
error envelope's object. A lost database connection is left to Celery, which tries the job
again (celery_tasks.py); on the last try the job is marked failed first.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable

from ..core import csv_io, metrics
from ..core.errors import DomainError, ServiceUnavailable, error_envelope
from .domain import Completion, JobStore, StartedJob

logger = logging.getLogger(__name__)

IMPORT_KIND = "import_tasks"
#: The import's progress once every row is valid; storing them takes it to 100.
IMPORT_VALIDATED_PROGRESS = 50

#: A job's work: from the started job, it does what needs no transaction (reading, validating,
#: computing), reports progress, and returns the completion that stores the outcome.
Work = Callable[[StartedJob], Completion]
#: Stores validated CSV rows as tasks of the owner (without committing) and counts them.
TaskCreator = Callable[[int, list[dict[str, object]]], int]


def read_upload(data: bytes) -> str:
    """The text of an uploaded CSV to import in the background.

    A file that is not a CSV at all (not UTF-8 text, no valid header) is refused now, with the
    422 of the synchronous import; checking its rows is the job's work.
    """
    text = csv_io.decode_upload(data)
    csv_io.iter_import_rows(io.StringIO(text, newline=""))  # reads and checks the header now
    return text


def run_import(
    store: JobStore,
    job_id: int,
    *,
    create_tasks: TaskCreator,
    retryable: tuple[type[BaseException], ...],
    last_try: bool,
) -> None:
    """Import the job's CSV: every row as a task of its owner, or none and the bad rows."""

    def validate(job: StartedJob) -> Completion:
        if job.owner_id is None:
            raise ValueError(f"import job {job.id} has no owner")
        owner_id = job.owner_id
        rows = csv_io.parse_import(job.payload.encode("utf-8"))
        store.report_progress(job.id, IMPORT_VALIDATED_PROGRESS)
        return lambda: {"created": create_tasks(owner_id, rows)}

    run_job(store, job_id, validate, retryable=retryable, last_try=last_try)


def run_job(
    store: JobStore,
    job_id: int,
    work: Work,
    *,
    retryable: tuple[type[BaseException], ...],
    last_try: bool,
) -> None:
    """Start the job, do its work, and record how it ended.

    `retryable` errors (a lost database connection) propagate so that Celery tries again;
    on the `last_try` they mark the job failed first, as does any unexpected error.
    """
    started = time.perf_counter()
    try:
        job = store.start(job_id)
        if job is None:
            logger.info("Job %s has finished already (or does not exist): not run again.", job_id)
            return
        if store.succeed(job.id, work(job)):
            _ended(job.id, "succeeded", started)
        else:
            logger.info("Job %s was finished by another worker: its outcome stands.", job.id)
    except DomainError as exc:
        store.fail(job_id, exc.to_envelope()["error"])
        _ended(job_id, "failed", started)
    except retryable:
        if last_try:
            unavailable = ServiceUnavailable("The database could not be reached; try again.")
            _fail_if_possible(store, job_id, unavailable.to_envelope()["error"])
            _ended(job_id, "failed", started)
        raise  # not the end of the job unless this was the last try: Celery tries again
    except Exception:
        logger.exception("Job %s failed unexpectedly.", job_id)
        internal = error_envelope("internal_error", "Something went wrong on our side.")
        _fail_if_possible(store, job_id, internal["error"])
        _ended(job_id, "failed", started)
        raise


def _ended(job_id: int, state: str, started: float) -> None:
    # jobs_total and job_duration_seconds (core/metrics.py), once for every job that ends here;
    # and one log line, which names the request that queued the job (docs/adr/0016).
    seconds = time.perf_counter() - started
    metrics.record_job(state, seconds)
    logger.info("Job %s %s in %.3f s.", job_id, state, seconds)


def _fail_if_possible(store: JobStore, job_id: int, error: dict[str, object]) -> None:
    # The database may be what failed: then the job stays running, and the error is logged.
    try:
        store.fail(job_id, error)
    except Exception:
        logger.exception("Job %s could not be marked failed.", job_id)
