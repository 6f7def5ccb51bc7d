"""Page windows and pages of results, independent of any ORM."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, Generic, Self, TypeVar

from .domain import PAGE_SIZE_MAX
from .errors import ValidationFailed

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class PageWindow:
    """Which slice of an ordered result a `page` and `size` ask for (pages count from 1)."""

    page: int
    size: int

    @classmethod
    def of(cls, page: int, size: int, *, max_size: int = PAGE_SIZE_MAX) -> Self:
        """Check the numbers: out of range is a 422 naming the field, never a clamp."""
        fields: dict[str, str] = {}
        if page < 1:
            fields["page"] = "The page must be 1 or more."
        if not 1 <= size <= max_size:
            fields["size"] = f"The size must be from 1 to {max_size}."
        if fields:
            raise ValidationFailed("The page is out of range.", fields=fields)
        return cls(page=page, size=size)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def limit(self) -> int:
        return self.size

    @property
    def slice(self) -> slice:
        """`rows[window.slice]` works on lists and on lazy querysets alike."""
        return slice(self.offset, self.offset + self.limit)


# Old-style generics on purpose: core must also run on Python 3.11, which lacks PEP 695
# syntax, while ruff suggests it when a project targets 3.12 or later.
@dataclass(frozen=True)
class Page(Generic[T]):  # noqa: UP046, RUF100
    """One page of results and where it sits in the whole."""

    items: list[T]
    total: int
    page: int
    size: int

    @classmethod
    def of(cls, window: PageWindow, items: Iterable[T], total: int) -> Page[T]:
        return cls(items=list(items), total=total, page=window.page, size=window.size)

    @property
    def pages(self) -> int:
        """How many pages there are in all (0 when there are no results)."""
        return math.ceil(self.total / self.size)

    def map(self, fn: Callable[[T], U]) -> Page[U]:  # noqa: UP047, RUF100
        """The same page with every item converted, e.g. model instances to schemas."""
        return Page(
            items=[fn(item) for item in self.items],
            total=self.total,
            page=self.page,
            size=self.size,
        )

    def as_dict(self, item_to_dict: Callable[[T], Any]) -> dict[str, Any]:
        """The API's page body: `{items, total, page, size}`."""
        return {
            "items": [item_to_dict(item) for item in self.items],
            "total": self.total,
            "page": self.page,
            "size": self.size,
        }


def iter_batches(items: Iterable[T], size: int) -> Iterator[list[T]]:  # noqa: UP047, RUF100
    """Yield lists of up to `size` items, so a long export never loads everything at once."""
    if size < 1:
        raise ValueError("size must be 1 or more")
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
