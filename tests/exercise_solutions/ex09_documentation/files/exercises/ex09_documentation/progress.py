"""How far a list of tasks has come: a rate, its percentage, and a bar for a terminal."""

from __future__ import annotations


def completion_rate(*, done: int, total: int) -> float:
    """The fraction of tasks done, from 0 to 1.

    No tasks at all is a rate of 0, not a division by zero:

    >>> completion_rate(done=1, total=4)
    0.25
    >>> completion_rate(done=0, total=0)
    0.0

    More done than there are, or negative counts, are a ValueError.
    """
    if total < 0 or not 0 <= done <= total:
        raise ValueError(f"{done} done of {total} is not possible")
    return done / total if total else 0.0


def format_rate(rate: float) -> str:
    """A rate as a whole percentage, rounded to the nearest.

    >>> format_rate(0.256)
    '26 %'
    """
    return f"{round(rate * 100)} %"


def progress_bar(rate: float, width: int = 10) -> str:
    """A bar of `width` characters, `#` for the part done and `.` for the rest.

    >>> progress_bar(0.5)
    '#####.....'

    Rates outside 0 to 1 are clamped, and a width of 0 is an empty bar:

    >>> progress_bar(1.7, width=4)
    '####'
    >>> progress_bar(0.5, width=0)
    ''
    """
    if width < 0:
        raise ValueError("width must not be negative")
    filled = round(min(max(rate, 0.0), 1.0) * width)
    return "#" * filled + "." * (width - filled)
