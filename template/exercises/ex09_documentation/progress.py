from __future__ import annotations


def completion_rate(*, done: int, total: int) -> float:
    if total < 0 or not 0 <= done <= total:
        raise ValueError(f"{done} done of {total} is not possible")
    return done / total if total else 0.0


def format_rate(rate: float) -> str:
    return f"{round(rate * 100)} %"


def progress_bar(rate: float, width: int = 10) -> str:
    if width < 0:
        raise ValueError("width must not be negative")
    filled = round(min(max(rate, 0.0), 1.0) * width)
    return "#" * filled + "." * (width - filled)
