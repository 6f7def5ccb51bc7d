"""Turn the text of a spreadsheet cell into the value it stands for."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def to_bool(text: str) -> bool:
    """`true`, `yes`, `1` → True; `false`, `no`, `0` or an empty cell → False.

    Case and surrounding spaces do not matter; any other text is a ValueError.
    """
    raise NotImplementedError


def to_hours(text: str) -> Decimal:
    """A number of hours such as `1.5`, `1,5` or ` 2 `, exactly, as a Decimal.

    A negative number, or text that is no number, is a ValueError.
    """
    raise NotImplementedError


def to_date(text: str) -> date | None:
    """An ISO date (`2025-03-01`) as a date; an empty or blank cell → None.

    Anything else is a ValueError.
    """
    raise NotImplementedError
