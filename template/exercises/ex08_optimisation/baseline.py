"""The starter's `duplicate_titles`, kept as it was: the optimised one is timed against it."""

from __future__ import annotations

from collections.abc import Sequence


def duplicate_titles_quadratic(titles: Sequence[str]) -> list[str]:
    """The titles occurring more than once (ignoring case), each once and as first spelt, in the
    order of their second occurrence. Compares each title with every one before it: O(n²)."""
    duplicates: list[str] = []
    for index, title in enumerate(titles):
        key = title.casefold()
        seen_before = any(key == other.casefold() for other in titles[:index])
        reported = any(key == found.casefold() for found in duplicates)
        if seen_before and not reported:
            first = next(other for other in titles if other.casefold() == key)
            duplicates.append(first)
    return duplicates
