"""The overdue tasks of a stream of tasks, found lazily."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from ..sample import Task


def overdue_tasks(tasks: Iterable[Task], today: date) -> Iterator[Task]:
    """Yield each open task whose due date is before `today`, in the order given.

    A generator: it reads `tasks` only as far as its caller asks.
    """
    raise NotImplementedError


def days_overdue(tasks: Iterable[Task], today: date) -> Iterator[tuple[str, int]]:
    """Yield `(title, days late)` for each overdue task, lazily as well."""
    raise NotImplementedError
