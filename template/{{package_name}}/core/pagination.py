"""Page windows and pages of results, independent of any ORM."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, Generic, Self, TypeVar

from .domain import PAGE_SIZE_MAX, PAGES_COUNTED_AHEAD
from .errors import ValidationFailed

#: The largest LIMIT a 64-bit database takes: a page far past any list counts no further.
LIMIT_MAX = 2**63 - 1

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
    def count_limit(self) -> int:
        """The most matches a page's count reads: those before it, its own and those of the
        next PAGES_COUNTED_AHEAD pages, and one more to tell whether the list goes on. An exact
        count would read every match, at a cost that grows with them (ADR 0017)."""
        return min(self.offset + self.size * (1 + PAGES_COUNTED_AHEAD) + 1, LIMIT_MAX)

    @property
    def slice(self) -> slice:
        """`rows[window.slice]` works on lists and on lazy querysets alike."""
        return slice(self.offset, self.offset + self.limit)


# Old-style generics on purpose: core must also run on Python 3.11, which lacks PEP 695
# syntax, while ruff suggests it when a project targets 3.12 or later.
@dataclass(frozen=True)
class Page(Generic[T]):  # noqa: UP046, RUF100
    """One page of results and where it sits in the whole.

    `total` is the number of results, or, when `total_is_bound`, a lower bound of it: the
    count stopped there (`PageWindow.count_limit`) and there may be more.
    """

    items: list[T]
    total: int
    page: int
    size: int
    total_is_bound: bool = False

    @classmethod
    def read_ahead(
        cls,
        window: PageWindow,
        read: Callable[[int, int], Iterable[T]],
        count: Callable[[int], int],
    ) -> Page[T]:
        """The page of `window` in one query: `read(offset, limit)` returns the ordered results
        from this page up to the count limit (this page, the next and one more), which are the
        page and, added to the offset, its count. Only a page with nothing on it after the
        first calls `count(limit)`, a bounded count, to tell a page past the end from an empty
        list."""
        rows: list[T] = []
        if window.offset < LIMIT_MAX:  # no database takes a larger offset; nothing is there
            rows = list(read(window.offset, window.count_limit - window.offset))
        if rows or window.offset == 0:
            counted = window.offset + len(rows)
        else:
            counted = count(window.count_limit)
        return cls.of(window, rows[: window.size], counted)

    @classmethod
    def of(cls, window: PageWindow, items: Iterable[T], counted: int) -> Page[T]:
        """The page of `window` whose count, stopped at `window.count_limit`, gave `counted`."""
        return cls(
            items=list(items),
            total=counted,
            page=window.page,
            size=window.size,
            total_is_bound=counted >= window.count_limit,
        )

    @property
    def pages(self) -> int:
        """How many pages there are in all (0 when there are no results); when the total is
        a bound, how many there are at least."""
        return math.ceil(self.total / self.size)

    def map(self, fn: Callable[[T], U]) -> Page[U]:  # noqa: UP047, RUF100
        """The same page with every item converted, e.g. model instances to schemas."""
        return Page(
            items=[fn(item) for item in self.items],
            total=self.total,
            page=self.page,
            size=self.size,
            total_is_bound=self.total_is_bound,
        )

    def as_dict(self, item_to_dict: Callable[[T], Any]) -> dict[str, Any]:
        """The API's page body: `{items, total, page, size, total_is_bound}`."""
        return {
            "items": [item_to_dict(item) for item in self.items],
            "total": self.total,
            "page": self.page,
            "size": self.size,
            "total_is_bound": self.total_is_bound,
        }


def iter_batches(items: Iterable[T], size: int) -> Iterator[list[T]]:  # noqa: UP047, RUF100
    """Yield lists of up to `size` items, so a long export never loads everything at once."""
    if size < 1:
        raise ValueError("size must be 1 or more")
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
