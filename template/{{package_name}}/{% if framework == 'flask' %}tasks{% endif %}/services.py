"""Writes of the tasks: create, update, delete and import, for one owner at a time."""

from __future__ import annotations

from typing import Any

from ..auth.models import User
from ..core import csv_io
from ..core.schemas import TaskIn
from ..extensions import db, utc_now
from .models import Task
from .selectors import get_task


def create_task(*, owner: User, data: TaskIn) -> Task:
    task = Task(owner_id=owner.id, **data.model_dump())
    db.session.add(task)
    db.session.commit()
    return task


def update_task(*, owner: User, task_id: int, changes: dict[str, Any]) -> Task:
    """Apply already validated changes (only the fields the client sent) to the owner's task."""
    task = get_task(owner=owner, task_id=task_id)
    for field, value in changes.items():
        setattr(task, field, value)
    # Set even when nothing else changed, so a PATCH always moves it, as in the Django flavour.
    task.updated_at = utc_now()
    db.session.commit()
    return task


def delete_task(*, owner: User, task_id: int) -> None:
    db.session.delete(get_task(owner=owner, task_id=task_id))
    db.session.commit()


def import_tasks(*, owner: User, data: bytes) -> int:
    """Create a task per CSV row, all or nothing: one bad row and nothing is stored."""
    rows = csv_io.parse_import(data)
    tasks = [Task(owner_id=owner.id, **TaskIn(**row).model_dump()) for row in rows]
    try:
        db.session.add_all(tasks)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(tasks)
