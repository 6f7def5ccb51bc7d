"""Training the category model as a job, for `--background` on the training commands."""

from __future__ import annotations

import logging

from ..core.errors import ValidationFailed
from .domain import Completion, JobStore, StartedJob
from .runner import run_job

logger = logging.getLogger(__name__)

TRAIN_KIND = "train_model"


def run_training(
    store: JobStore,
    job_id: int,
    *,
    retryable: tuple[type[BaseException], ...],
    last_try: bool,
) -> None:
    """Train on the seed data and the tasks in the database, as `make train` does; the job's
    result is the new model's version, algorithm and scores."""

    def train(job: StartedJob) -> Completion:
        # Imported here: scikit-learn, pandas and matplotlib take seconds to load, and only a
        # training job needs them.
        from ..ml.workflow import train_model
        from ..tasks.ml_data import training_rows

        try:
            run = train_model(list(training_rows()), progress=logger.info)
        except ValueError as exc:
            raise ValidationFailed(f"Cannot train: {exc}.") from exc
        metrics = run.info.metrics
        result = {
            "model_version": run.info.version,
            "algorithm": run.info.algorithm,
            "accuracy": metrics.accuracy,
            "f1_macro": metrics.f1_macro,
        }
        return lambda: result

    run_job(store, job_id, train, retryable=retryable, last_try=last_try)
