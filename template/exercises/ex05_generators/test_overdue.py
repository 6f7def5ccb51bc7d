"""Exercise 05: overdue tasks from a stream, found lazily."""

import inspect
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import islice

import pytest

from ..sample import Task
from .overdue import days_overdue, overdue_tasks

pytestmark = pytest.mark.exercise

TODAY = date(2025, 3, 10)


def endless_tasks(seen: list[int]) -> Iterator[Task]:
    """Tasks without end, due one day earlier each; every third is done. Notes each one read."""
    number = 0
    while True:
        seen.append(number)
        yield Task(f"task {number}", done=number % 3 == 2, due_date=TODAY + timedelta(1 - number))
        number += 1


def test_only_open_tasks_due_before_today_are_overdue() -> None:
    tasks = [
        Task("late", due_date=TODAY - timedelta(days=1)),
        Task("due today", due_date=TODAY),
        Task("late but done", done=True, due_date=TODAY - timedelta(days=5)),
        Task("no due date"),
        Task("very late", due_date=TODAY - timedelta(days=30)),
    ]

    assert [task.title for task in overdue_tasks(tasks, TODAY)] == ["late", "very late"]


def test_overdue_tasks_is_a_generator() -> None:
    assert inspect.isgeneratorfunction(overdue_tasks)
    assert inspect.isgenerator(overdue_tasks([], TODAY))


def test_an_endless_stream_is_read_only_as_far_as_needed() -> None:
    seen: list[int] = []

    first = list(islice(overdue_tasks(endless_tasks(seen), TODAY), 3))

    assert [task.title for task in first] == ["task 3", "task 4", "task 6"]
    assert seen == list(range(7)), "read no task beyond the third overdue one"


def test_days_overdue_counts_the_days_lazily() -> None:
    seen: list[int] = []

    late = list(islice(days_overdue(endless_tasks(seen), TODAY), 2))

    assert late == [("task 3", 2), ("task 4", 3)]
    assert seen == list(range(5))
