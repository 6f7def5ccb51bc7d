"""Writes of the tasks app: create, update, delete and import, for one owner at a time."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ..accounts.models import User
from ..core import csv_io
from ..core.schemas import TaskIn
from .models import Task
from .selectors import get_task


def create_task(*, owner: User, data: TaskIn) -> Task:
    return Task.objects.create(owner=owner, **data.model_dump())


def update_task(*, owner: User, task_id: int, changes: dict[str, Any]) -> Task:
    """Apply already validated changes (only the fields the client sent) to the owner's task."""
    task = get_task(owner=owner, task_id=task_id)
    for field, value in changes.items():
        setattr(task, field, value)
    task.save(update_fields=[*changes, "updated_at"])
    return task


def delete_task(*, owner: User, task_id: int) -> None:
    get_task(owner=owner, task_id=task_id).delete()


def import_tasks(*, owner: User, data: bytes) -> int:
    """Create a task per CSV row, all or nothing: one bad row and nothing is stored."""
    rows = csv_io.parse_import(data)
    with transaction.atomic():
        created = Task.objects.bulk_create(
            Task(owner=owner, **TaskIn(**row).model_dump()) for row in rows
        )
    return len(created)
