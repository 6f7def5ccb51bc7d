"""Exercise 02: grouping, counting and picking the most urgent tasks."""

import pytest

from ..sample import Task
from .tally import busiest_categories, most_urgent, titles_by_category

pytestmark = pytest.mark.exercise

TASKS = [
    Task("Write report", category="work", priority="high"),
    Task("Buy milk", category="home", priority="low"),
    Task("Answer mail", category="work"),
    Task("Fix bike", category="home", priority="high", done=True),
    Task("Call plumber", category="home", priority="high"),
    Task("Read book"),
    Task("Plan sprint", category="work", priority="high", done=True),
]


def test_titles_are_grouped_by_category_in_first_seen_order() -> None:
    grouped = titles_by_category(TASKS)

    assert list(grouped) == ["work", "home", ""]
    assert grouped == {
        "work": ["Answer mail", "Plan sprint", "Write report"],
        "home": ["Buy milk", "Call plumber", "Fix bike"],
        "": ["Read book"],
    }


def test_no_tasks_make_no_groups() -> None:
    assert titles_by_category([]) == {}


def test_busiest_categories_count_open_tasks_only() -> None:
    assert busiest_categories(TASKS, 2) == [("home", 2), ("work", 2)]


def test_busiest_categories_stop_at_n() -> None:
    assert busiest_categories(TASKS, 1) == [("home", 2)]
    assert busiest_categories(TASKS, 10) == [("home", 2), ("work", 2), ("", 1)]


def test_most_urgent_takes_the_highest_open_priorities_then_titles() -> None:
    titles = [task.title for task in most_urgent(TASKS, 3)]

    assert titles == ["Call plumber", "Write report", "Answer mail"]


def test_most_urgent_accepts_a_generator() -> None:
    home = (task for task in TASKS if task.category == "home")

    assert [task.title for task in most_urgent(home, 5)] == ["Call plumber", "Buy milk"]
    assert most_urgent(iter(TASKS), 0) == []
