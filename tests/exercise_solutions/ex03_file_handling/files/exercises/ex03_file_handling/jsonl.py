"""Save tasks to a JSON Lines file and load them back."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date
from pathlib import Path

from ..sample import Task


def save_tasks(path: Path, tasks: Iterable[Task]) -> None:
    """Write one JSON object per task and line (UTF-8), replacing the file atomically.

    Each object has the keys title, category, priority, done and due_date (ISO text or null).
    If writing fails, the file at `path` is as it was and no temporary file is left behind.
    """
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as file:
        temporary = Path(file.name)
        try:
            for task in tasks:
                record = asdict(task)
                record["due_date"] = task.due_date.isoformat() if task.due_date else None
                file.write(json.dumps(record, ensure_ascii=False) + "\n")
        except BaseException:
            file.close()
            temporary.unlink()
            raise
    os.replace(temporary, path)


def load_tasks(path: Path) -> list[Task]:
    """The tasks of a file written by `save_tasks`; blank lines are skipped.

    A line that is not a JSON object of a task is a ValueError naming its line number
    (`line 3: ...`).
    """
    tasks = []
    with path.open(encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise TypeError("not a JSON object")
                due = record.pop("due_date", None)
                tasks.append(Task(**record, due_date=date.fromisoformat(due) if due else None))
            except (ValueError, TypeError) as error:
                raise ValueError(f"line {number}: {error}") from error
    return tasks
