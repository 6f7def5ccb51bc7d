"""Writes of the tasks: create, update, delete and import, for one owner at a time."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from ..auth.models import User
from ..core import csv_io
from ..core.errors import NotFound
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
    """Apply already validated changes (only the fields the client sent) to the owner's task.

    When another request deleted the task after it was read, the UPDATE matches no row: the
    task is not found (404), as if it had never been there.
    """
    task = get_task(owner=owner, task_id=task_id)
    for field, value in changes.items():
        setattr(task, field, value)
    # Set even when nothing else changed, so a PATCH always moves it, as in the Django flavour.
    task.updated_at = utc_now()
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise NotFound(f"Task {task_id} was not found.") from None
    return task


def delete_task(*, owner: User, task_id: int) -> None:
    db.session.delete(get_task(owner=owner, task_id=task_id))
    db.session.commit()


def import_tasks(*, owner: User, data: bytes) -> int:
    """Create a task per CSV row, all or nothing: one bad row and nothing is stored."""
    rows = csv_io.parse_import(data)
    try:
        created = add_tasks(owner_id=owner.id, rows=rows)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return created


def add_tasks(*, owner_id: int, rows: Iterable[dict[str, Any]]) -> int:
    """Add a task per row already validated by `csv_io.parse_import` to the session, without
    committing: the caller's one commit stores them all, together with its own changes."""
    tasks = [Task(owner_id=owner_id, **TaskIn(**row).model_dump()) for row in rows]
    db.session.add_all(tasks)
    return len(tasks)
