"""Turn the text of a spreadsheet cell into the value it stands for."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0", ""})


def to_bool(text: str) -> bool:
    """`true`, `yes`, `1` → True; `false`, `no`, `0` or an empty cell → False.

    Case and surrounding spaces do not matter; any other text is a ValueError.
    """
    word = text.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{text!r} is neither yes nor no")


def to_hours(text: str) -> Decimal:
    """A number of hours such as `1.5`, `1,5` or ` 2 `, exactly, as a Decimal.

    A negative number, or text that is no number, is a ValueError.
    """
    try:
        hours = Decimal(text.strip().replace(",", "."))
    except InvalidOperation as error:
        raise ValueError(f"{text!r} is not a number of hours") from error
    if not hours.is_finite() or hours < 0:
        raise ValueError(f"{text!r} is not a number of hours")
    return hours


def to_date(text: str) -> date | None:
    """An ISO date (`2025-03-01`) as a date; an empty or blank cell → None.

    Anything else is a ValueError.
    """
    if not text.strip():
        return None
    return date.fromisoformat(text.strip())
