"""Writes of the tasks app: create, update, delete and import, for one owner at a time."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..accounts.models import User
from ..core import csv_io
from ..core.errors import NotFound
from ..core.schemas import TaskIn
from .models import Task
from .selectors import get_task, tasks_of


def create_task(*, owner: User, data: TaskIn) -> Task:
    return Task.objects.create(owner=owner, **data.model_dump())


def update_task(*, owner: User, task_id: int, changes: dict[str, Any]) -> Task:
    """Apply already validated changes (only the fields the client sent) to the owner's task.

    One UPDATE of the sent columns. When another request deleted the task after it was read,
    that UPDATE matches no row: the task is not found (404), as if it had never been there.
    """
    task = get_task(owner=owner, task_id=task_id)
    for field, value in changes.items():
        setattr(task, field, value)
    task.updated_at = timezone.now()
    stored = tasks_of(owner).filter(pk=task.pk).update(**changes, updated_at=task.updated_at)
    if not stored:
        raise NotFound(f"Task {task_id} was not found.")
    return task


def delete_task(*, owner: User, task_id: int) -> None:
    get_task(owner=owner, task_id=task_id).delete()


def import_tasks(*, owner: User, data: bytes) -> int:
    """Create a task per CSV row, all or nothing: one bad row and nothing is stored."""
    return create_tasks(owner=owner, rows=csv_io.parse_import(data))


def create_tasks(*, owner: User, rows: Iterable[dict[str, Any]]) -> int:
    """Create a task per row already validated by `csv_io.parse_import`, in one transaction."""
    with transaction.atomic():
        created = Task.objects.bulk_create(
            Task(owner=owner, **TaskIn(**row).model_dump()) for row in rows
        )
    return len(created)
