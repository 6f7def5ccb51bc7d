"""Reads of the tasks app: every query is scoped to one owner, so no one sees another's tasks."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import OrderBy

from ..accounts.models import User
from ..core.domain import Ordering, Priority
from ..core.errors import NotFound
from ..core.pagination import Page, PageWindow
from ..core.schemas import TaskListQuery, TaskStats
from .models import Task

PRIORITY_RANK = Case(
    *(When(priority=priority.value, then=Value(priority.rank)) for priority in Priority),
    output_field=IntegerField(),
)


def tasks_of(owner: User) -> QuerySet[Task]:
    return Task.objects.filter(owner=owner)


def get_task(*, owner: User, task_id: int) -> Task:
    """The owner's task; someone else's task is as unknown as a missing one."""
    task = tasks_of(owner).filter(pk=task_id).first()
    if task is None:
        raise NotFound(f"Task {task_id} was not found.")
    return task


def _ordered(tasks: QuerySet[Task], ordering: Ordering) -> QuerySet[Task]:
    descending = ordering.descending
    if ordering.field == "priority":
        tasks = tasks.annotate(priority_rank=PRIORITY_RANK)
        key: OrderBy = F("priority_rank").desc() if descending else F("priority_rank").asc()
    else:
        # Only the due date may be missing, and tasks without one come last either way. The
        # other fields keep the database's own null order, so their indexes (owner, created_at
        # DESC, id DESC) serve a page without sorting the owner's every task.
        nulls_last = True if ordering.field == "due_date" else None
        field = F(ordering.field)
        key = field.desc(nulls_last=nulls_last) if descending else field.asc(nulls_last=nulls_last)
    tie_breaker = F("id").desc() if descending else F("id").asc()
    return tasks.order_by(key, tie_breaker)


def filtered_tasks(*, owner: User, query: TaskListQuery) -> QuerySet[Task]:
    tasks = tasks_of(owner)
    if query.q:
        tasks = tasks.filter(Q(title__icontains=query.q) | Q(description__icontains=query.q))
    if query.category is not None:
        tasks = tasks.filter(category=query.category)
    if query.done_value is not None:
        tasks = tasks.filter(done=query.done_value)
    return _ordered(tasks, query.order)


def list_tasks(*, owner: User, query: TaskListQuery) -> Page[Task]:
    """One page of the owner's tasks: two queries (count and page) whatever the table's size."""
    window = PageWindow.of(query.page, query.size)
    tasks = filtered_tasks(owner=owner, query=query)
    total = tasks.count()
    items = list(tasks[window.slice]) if window.offset < total else []
    return Page(items=items, total=total, page=window.page, size=window.size)


def task_stats(*, owner: User) -> TaskStats:
    tasks = tasks_of(owner)
    counts = tasks.aggregate(total=Count("id"), done=Count("id", filter=Q(done=True)))
    by_category = {
        row["category"]: row["count"]
        for row in tasks.order_by().values("category").annotate(count=Count("id"))
    }
    total, done = counts["total"], counts["done"]
    return TaskStats(
        total=total,
        done=done,
        completion_rate=done / total if total else 0.0,
        by_category=by_category,
    )


def iter_tasks_for_export(*, owner: User, chunk_size: int = 500) -> Iterator[Task]:
    """Every task of the owner, oldest first, fetched in chunks rather than all at once."""
    return tasks_of(owner).order_by("created_at", "id").iterator(chunk_size=chunk_size)
