"""Questions about a list of tasks, each answered with the container made for it."""

from __future__ import annotations

from collections.abc import Iterable

from ..sample import PRIORITY_RANK, Task

__all__ = ["PRIORITY_RANK", "busiest_categories", "most_urgent", "titles_by_category"]


def titles_by_category(tasks: Iterable[Task]) -> dict[str, list[str]]:
    """The titles of each category, categories in the order they first appear, titles sorted."""
    raise NotImplementedError


def busiest_categories(tasks: Iterable[Task], n: int) -> list[tuple[str, int]]:
    """The `n` categories with the most open (not done) tasks, with their counts.

    Most tasks first; equal counts in alphabetical order of the category.
    """
    raise NotImplementedError


def most_urgent(tasks: Iterable[Task], n: int) -> list[Task]:
    """The `n` open tasks of the highest priority (PRIORITY_RANK), ties by title A to Z."""
    raise NotImplementedError
