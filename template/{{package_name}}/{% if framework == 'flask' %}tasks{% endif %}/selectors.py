"""Reads of the tasks: every query is scoped to one owner, so no one sees another's tasks."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, case, func, or_, select
from sqlalchemy.sql.elements import UnaryExpression

from ..auth.models import User
from ..core.domain import PRIORITY_RANKS, Ordering
from ..core.errors import NotFound
from ..core.pagination import Page, PageWindow
from ..core.schemas import TaskListQuery, TaskStats
from ..extensions import db
from .models import Task

#: The largest id a 64-bit primary key can hold; a larger one cannot name any task.
MAX_ID = 2**63 - 1

PRIORITY_RANK = case(PRIORITY_RANKS, value=Task.priority)


def tasks_of(owner: User) -> Select[Task]:
    return select(Task).where(Task.owner_id == owner.id)


def get_task(*, owner: User, task_id: int) -> Task:
    """The owner's task; someone else's task is as unknown as a missing one."""
    task = None
    if 0 < task_id <= MAX_ID:
        task = db.session.scalar(tasks_of(owner).where(Task.id == task_id))
    if task is None:
        raise NotFound(f"Task {task_id} was not found.")
    return task


def _contains(column: SQLColumnExpression[str], text: str) -> ColumnElement[bool]:
    # Case-insensitive substring with the pattern characters taken literally, as Django's
    # `icontains` does: "100%" finds "100%", not every title that starts with "100".
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def _ordered(tasks: Select[Task], ordering: Ordering) -> Select[Task]:
    descending = ordering.descending
    column = {
        "created_at": Task.created_at,
        "due_date": Task.due_date,
        "priority": PRIORITY_RANK,
        "title": Task.title,
    }[ordering.field]
    key: UnaryExpression[object] = column.desc() if descending else column.asc()
    if ordering.field == "due_date":
        # Tasks without a due date come last either way. The other fields are never null and
        # keep the database's own null order, so their indexes (owner_id, created_at, id) serve
        # a page without sorting the owner's every task.
        key = key.nulls_last()
    tie_breaker = Task.id.desc() if descending else Task.id.asc()
    return tasks.order_by(key, tie_breaker)


def filtered_tasks(*, owner: User, query: TaskListQuery) -> Select[Task]:
    tasks = tasks_of(owner)
    if query.q:
        matches = or_(_contains(Task.title, query.q), _contains(Task.description, query.q))
        tasks = tasks.where(matches)
    if query.category is not None:
        tasks = tasks.where(Task.category == query.category)
    if query.done_value is not None:
        tasks = tasks.where(Task.done.is_(query.done_value))
    return _ordered(tasks, query.order)


def list_tasks(*, owner: User, query: TaskListQuery) -> Page[Task]:
    """One page of the owner's tasks: two queries (count and page) whatever the table's size."""
    window = PageWindow.of(query.page, query.size)
    tasks = filtered_tasks(owner=owner, query=query)
    total = db.session.scalar(select(func.count()).select_from(tasks.order_by(None).subquery()))
    total = total or 0
    items: list[Task] = []
    if window.offset < total:
        items = list(db.session.scalars(tasks.offset(window.offset).limit(window.limit)))
    return Page(items=items, total=total, page=window.page, size=window.size)


def task_stats(*, owner: User) -> TaskStats:
    owned = Task.owner_id == owner.id
    counts = db.session.execute(
        select(func.count(Task.id), func.count(Task.id).filter(Task.done.is_(True))).where(owned)
    ).one()
    total, done = counts[0], counts[1]
    rows = db.session.execute(
        select(Task.category, func.count(Task.id)).where(owned).group_by(Task.category)
    )
    return TaskStats(
        total=total,
        done=done,
        completion_rate=done / total if total else 0.0,
        by_category={category: count for category, count in rows},
    )


def iter_tasks_for_export(*, owner: User, chunk_size: int = 500) -> Iterator[Task]:
    """Every task of the owner, oldest first, fetched in chunks rather than all at once.

    The query is built now but runs when iteration starts: for a streamed response that is
    after the view has returned, in the session current then.
    """
    oldest_first = tasks_of(owner).order_by(Task.created_at, Task.id)
    return _stream(oldest_first.execution_options(yield_per=chunk_size))


def _stream(statement: Select[Task]) -> Iterator[Task]:
    yield from db.session.scalars(statement)
