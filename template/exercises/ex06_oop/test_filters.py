"""Exercise 06: filters share one interface and combine with operators."""

from datetime import date

import pytest

from ..sample import Task
from .filters import AllOf, AnyOf, DueBefore, InCategory, IsDone, Not, TaskFilter

pytestmark = pytest.mark.exercise

MARCH = date(2025, 3, 1)
REPORT = Task("report", category="work", due_date=date(2025, 2, 1))
SPRINT = Task("sprint", category="work", done=True)
MILK = Task("milk", category="home", due_date=date(2025, 4, 1))
TASKS = [REPORT, SPRINT, MILK]


def titles(task_filter: TaskFilter) -> list[str]:
    return [task.title for task in filter(task_filter, TASKS)]


def test_the_interface_alone_cannot_be_made() -> None:
    with pytest.raises(TypeError):
        TaskFilter()  # type: ignore[abstract]


@pytest.mark.parametrize(
    ("task_filter", "expected"),
    [
        (InCategory("work"), ["report", "sprint"]),
        (DueBefore(MARCH), ["report"]),
        (IsDone(), ["sprint"]),
    ],
)
def test_each_kind_of_filter_answers_its_question(
    task_filter: TaskFilter, expected: list[str]
) -> None:
    assert titles(task_filter) == expected


def test_filters_combine_with_operators() -> None:
    assert titles(InCategory("work") & ~IsDone()) == ["report"]
    assert titles(IsDone() | InCategory("home")) == ["sprint", "milk"]
    assert titles(~(DueBefore(MARCH) | IsDone())) == ["milk"]


def test_operators_build_the_combining_filters() -> None:
    work, done = InCategory("work"), IsDone()

    assert work & done == AllOf((work, done))
    assert work | done == AnyOf((work, done))
    assert ~done == Not(done)


def test_empty_combinations_follow_logic() -> None:
    assert titles(AllOf(())) == ["report", "sprint", "milk"]
    assert titles(AnyOf(())) == []


def test_filters_are_values() -> None:
    assert InCategory("work") == InCategory("work")
    assert InCategory("work") != InCategory("home")
    assert "work" in repr(InCategory("work"))
    assert len({InCategory("work"), InCategory("work")}) == 1
