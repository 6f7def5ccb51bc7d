"""Titles that occur more than once: one pass with a dict and a set, O(n)."""

from __future__ import annotations

from collections.abc import Sequence


def duplicate_titles(titles: Sequence[str]) -> list[str]:
    """The titles occurring more than once (ignoring case), each once and as first spelt, in the
    order of their second occurrence. One pass over the titles: O(n)."""
    first_spelling: dict[str, str] = {}
    reported: set[str] = set()
    duplicates: list[str] = []
    for title in titles:
        key = title.casefold()
        if key not in first_spelling:
            first_spelling[key] = title
        elif key not in reported:
            reported.add(key)
            duplicates.append(first_spelling[key])
    return duplicates
