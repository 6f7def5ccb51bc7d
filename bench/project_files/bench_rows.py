"""The tasks the benchmark stores: varied, repeatable, framework-agnostic.

Copied into each rendered project beside its seeding script. One task in 20 has "report" in
its title (what the searched page looks for), one in 6 has the category "work" (the filtered
page; 4 in 5 of those are not done, which the filtered page also asks for), one in 5 is done,
one in 4 has no due date.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

CATEGORIES = ("work", "home", "health", "finance", "learning", "shopping")
PRIORITIES = ("low", "normal", "high")
VERBS = ("Write", "Review", "Plan", "Call", "Book", "Fix", "Order", "Read", "Pay", "Clean")
THINGS = ("the budget", "the slides", "a dentist visit", "the invoice", "the garden", "notes")
FIRST_DUE = datetime.date(2030, 1, 1)


def rows(count: int) -> Iterator[dict[str, Any]]:
    for number in range(count):
        thing = "the weekly report" if number % 20 == 0 else THINGS[number % len(THINGS)]
        yield {
            "title": f"{VERBS[number % len(VERBS)]} {thing} #{number}",
            "description": f"Generated task {number} for the benchmark.",
            "category": CATEGORIES[number % len(CATEGORIES)],
            "priority": PRIORITIES[number % len(PRIORITIES)],
            "done": number % 5 == 0,
            "due_date": None if number % 4 == 0 else FIRST_DUE + datetime.timedelta(number % 365),
        }
