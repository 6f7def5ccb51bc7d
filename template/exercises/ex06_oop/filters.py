"""Task filters: one interface, several kinds, combined with `&`, `|` and `~`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date

from ..sample import Task


class TaskFilter(ABC):
    """A yes-or-no question about a task; filters combine with `&`, `|` and `~`."""

    @abstractmethod
    def matches(self, task: Task) -> bool:
        """Whether `task` passes this filter."""

    def __call__(self, task: Task) -> bool:
        """A filter can be used as a function: `filter(InCategory("work"), tasks)`."""
        raise NotImplementedError

    def __and__(self, other: TaskFilter) -> TaskFilter:
        """`a & b`: an AllOf of both."""
        raise NotImplementedError

    def __or__(self, other: TaskFilter) -> TaskFilter:
        """`a | b`: an AnyOf of both."""
        raise NotImplementedError

    def __invert__(self) -> TaskFilter:
        """`~a`: a Not of it."""
        raise NotImplementedError


@dataclass(frozen=True)
class InCategory(TaskFilter):
    """Tasks of exactly this category."""

    category: str

    def matches(self, task: Task) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class DueBefore(TaskFilter):
    """Tasks with a due date before `day` (tasks without a due date never match)."""

    day: date

    def matches(self, task: Task) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class IsDone(TaskFilter):
    """Tasks that are done."""

    def matches(self, task: Task) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class AllOf(TaskFilter):
    """Tasks that pass every one of `filters` (all tasks, when there are none)."""

    filters: tuple[TaskFilter, ...]

    def matches(self, task: Task) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class AnyOf(TaskFilter):
    """Tasks that pass at least one of `filters` (no task, when there are none)."""

    filters: tuple[TaskFilter, ...]

    def matches(self, task: Task) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class Not(TaskFilter):
    """Tasks that do not pass `inner`."""

    inner: TaskFilter

    def matches(self, task: Task) -> bool:
        raise NotImplementedError
