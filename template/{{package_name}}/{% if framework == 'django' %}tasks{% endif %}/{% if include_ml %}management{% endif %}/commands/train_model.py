"""`manage.py train_model`: train the category model on the seed data and every user's tasks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from ....ml.data import TaskRecord
from ....ml.workflow import train_model
from ...ml_data import training_rows


class Command(BaseCommand):
    help = (
        "Train the category model on the seed data and the tasks in the database, "
        "and write its report and figures."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--model-path",
            type=Path,
            default=None,
            help="Where to write the model file (default: $ML_MODEL_PATH or models/).",
        )
        parser.add_argument(
            "--reports-dir",
            type=Path,
            default=None,
            help="Where to write the report and figures (default: $ML_REPORTS_DIR or reports/).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run = train_model(
                self._tasks(),
                model_path=options["model_path"],
                reports_dir=options["reports_dir"],
                progress=self.stdout.write,
            )
        except ValueError as exc:
            raise CommandError(f"Cannot train: {exc}.") from exc
        metrics = run.info.metrics
        self.stdout.write(
            self.style.SUCCESS(
                f"Trained {run.info.algorithm} (version {run.info.version}): "
                f"accuracy {metrics.accuracy:.2f}, macro-F1 {metrics.f1_macro:.2f}."
            )
        )

    def _tasks(self) -> list[TaskRecord]:
        """The database's categorised tasks; none (with a warning) before its first migration."""
        try:
            return list(training_rows())
        except DatabaseError as exc:
            self.stderr.write(
                f"Warning: cannot read the tasks ({type(exc).__name__}); training on the seed "
                "data only. Run `make migrate` first to include your tasks."
            )
            return []
