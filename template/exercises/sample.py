"""A task as the exercises see it: plain data, no database, so each exercise stands alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: How urgent each priority is, lowest first (the project's tasks use the same three).
PRIORITY_RANK: dict[str, int] = {"low": 0, "normal": 1, "high": 2}


@dataclass(frozen=True)
class Task:
    title: str
    category: str = ""
    priority: str = "normal"
    done: bool = False
    due_date: date | None = None
