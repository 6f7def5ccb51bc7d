"""Exercise 03: a round trip through a file, atomic saves and clear errors."""

import json
from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest

from ..sample import Task
from .jsonl import load_tasks, save_tasks

pytestmark = pytest.mark.exercise

TASKS = [
    Task("Café with Zoë", category="social", due_date=date(2025, 3, 1)),
    Task("Ship it", priority="high", done=True),
]


def test_tasks_survive_a_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "tasks.jsonl"

    save_tasks(path, TASKS)

    assert load_tasks(path) == TASKS


def test_each_task_is_one_line_of_utf8_json(tmp_path: Path) -> None:
    path = tmp_path / "tasks.jsonl"

    save_tasks(path, TASKS)

    lines = path.read_bytes().decode("utf-8").splitlines()
    assert len(lines) == 2
    assert "Café with Zoë" in lines[0], "write the text as it is, not as \\u escapes"
    assert json.loads(lines[0]) == {
        "title": "Café with Zoë",
        "category": "social",
        "priority": "normal",
        "done": False,
        "due_date": "2025-03-01",
    }
    assert json.loads(lines[1])["due_date"] is None


def test_a_failed_save_leaves_the_old_file_and_no_litter(tmp_path: Path) -> None:
    path = tmp_path / "tasks.jsonl"
    save_tasks(path, TASKS)
    before = path.read_bytes()
    unwritable = Task("Broken", category=cast(Any, object()))

    with pytest.raises(TypeError):
        save_tasks(path, [TASKS[0], unwritable])

    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["tasks.jsonl"]


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "tasks.jsonl"
    path.write_text('\n{"title": "Only one"}\n\n', encoding="utf-8")

    assert load_tasks(path) == [Task("Only one")]


def test_a_bad_line_is_named_by_its_number(tmp_path: Path) -> None:
    path = tmp_path / "tasks.jsonl"
    path.write_text('{"title": "Fine"}\n\n{"title": \n', encoding="utf-8")

    with pytest.raises(ValueError, match="line 3"):
        load_tasks(path)


def test_a_line_that_is_no_task_is_named_too(tmp_path: Path) -> None:
    path = tmp_path / "tasks.jsonl"
    path.write_text('{"title": "Fine"}\n[1, 2]\n', encoding="utf-8")

    with pytest.raises(ValueError, match="line 2"):
        load_tasks(path)
