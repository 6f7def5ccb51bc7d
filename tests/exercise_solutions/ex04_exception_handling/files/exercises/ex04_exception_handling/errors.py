"""Failing well: errors of our own, every bad row at once, and retries for passing failures."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


class InvalidCellError(ValueError):
    """A cell of an import that cannot be read; `row` counts from 1."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(f"row {row}: {message}")
        self.row = row
        self.message = message


def parse_minutes(text: str, *, row: int) -> int:
    """A whole, non-negative number of minutes (`" 45 "` → 45).

    Anything else raises InvalidCellError for `row`, with the original ValueError (if there was
    one) as its cause.
    """
    try:
        minutes = int(text.strip())
    except ValueError as error:
        raise InvalidCellError(row, f"{text!r} is not a whole number of minutes") from error
    if minutes < 0:
        raise InvalidCellError(row, f"{minutes} minutes is less than none")
    return minutes


def parse_all(cells: Iterable[str]) -> tuple[list[int], list[InvalidCellError]]:
    """Every cell parsed with `parse_minutes` (rows from 1): the values, and every error.

    A bad cell does not stop the others; when there is an error, the values hold only the
    good cells.
    """
    values: list[int] = []
    errors: list[InvalidCellError] = []
    for row, cell in enumerate(cells, start=1):
        try:
            values.append(parse_minutes(cell, row=row))
        except InvalidCellError as error:
            errors.append(error)
    return values, errors


# A TypeVar rather than `def retry[T]`, which Python 3.11 cannot read.
def retry(  # noqa: UP047, RUF100
    operation: Callable[[], T],
    *,
    attempts: int,
    retry_on: tuple[type[Exception], ...] = (ConnectionError, TimeoutError),
) -> T:
    """Call `operation` until it returns, at most `attempts` times.

    Only errors of the classes in `retry_on` are tried again; after the last attempt the last
    such error is raised. Any other error is raised at once. `attempts` below 1 is a ValueError.
    """
    if attempts < 1:
        raise ValueError(f"at least one attempt is needed, not {attempts}")
    for attempt in range(1, attempts + 1):
        try:
            return operation()
        except retry_on:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable: the loop returns or raises")
