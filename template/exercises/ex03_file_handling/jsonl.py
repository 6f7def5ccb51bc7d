"""Save tasks to a JSON Lines file and load them back."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..sample import Task


def save_tasks(path: Path, tasks: Iterable[Task]) -> None:
    """Write one JSON object per task and line (UTF-8), replacing the file atomically.

    Each object has the keys title, category, priority, done and due_date (ISO text or null).
    If writing fails, the file at `path` is as it was and no temporary file is left behind.
    """
    raise NotImplementedError


def load_tasks(path: Path) -> list[Task]:
    """The tasks of a file written by `save_tasks`; blank lines are skipped.

    A line that is not a JSON object of a task is a ValueError naming its line number
    (`line 3: ...`).
    """
    raise NotImplementedError
