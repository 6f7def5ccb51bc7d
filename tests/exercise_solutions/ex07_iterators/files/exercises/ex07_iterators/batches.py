"""An iterator over any iterable's items in lists of at most `size`."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Generic, TypeVar

T = TypeVar("T")


# Generic[T] rather than `class Batches[T]`, which Python 3.11 cannot read.
class Batches(Generic[T]):  # noqa: UP046, RUF100
    """Lists of up to `size` consecutive items of `items`; only the last one may be shorter.

    `Batches(range(5), 2)` gives [0, 1], [2, 3], [4]. It reads `items` one batch at a time.
    """

    def __init__(self, items: Iterable[T], size: int) -> None:
        if size < 1:
            raise ValueError(f"a batch size must be at least 1, not {size}")
        self._items = iter(items)
        self._size = size

    def __iter__(self) -> Batches[T]:
        return self

    def __next__(self) -> list[T]:
        batch = list(islice(self._items, self._size))
        if not batch:
            raise StopIteration
        return batch
