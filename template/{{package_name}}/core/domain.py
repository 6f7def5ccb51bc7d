"""The task domain's rules, shared by the models, the services and the API."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Self

from .errors import ValidationFailed

TITLE_MAX_LENGTH = 200
CATEGORY_MAX_LENGTH = 50
DESCRIPTION_MAX_LENGTH = 5000
SEARCH_MAX_LENGTH = 200
PAGE_SIZE_DEFAULT = 20
PAGE_SIZE_MAX = 100
#: A list's count reads the matches up to this many pages past the one shown (and one more),
#: then says "at least": what a pager needs, at a cost that does not grow with the list. A
#: search reads about 20 tasks for each match it counts (ADR 0017).
PAGES_COUNTED_AHEAD = 1
#: A token's last use is written at most this often: a script calling the API in a loop must
#: not turn every read into a write, each waiting for the lock on the token's row.
TOKEN_USE_RECORD_INTERVAL = timedelta(minutes=1)


def token_use_is_due(last_used_at: datetime | None, now: datetime) -> bool:
    """Whether a token's use at `now` is to be written (never used, or not for an interval)."""
    return last_used_at is None or now - last_used_at >= TOKEN_USE_RECORD_INTERVAL


class Priority(StrEnum):
    """How urgent a task is; members are declared from lowest to highest."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """0, 1, 2: orders priorities by urgency rather than alphabetically."""
        return list(type(self)).index(self)


DEFAULT_PRIORITY = Priority.NORMAL
#: Rank of every stored priority value, for ORMs that sort with a CASE expression.
PRIORITY_RANKS: dict[str, int] = {priority.value: priority.rank for priority in Priority}

#: Every order of the task list: its `ordering` value (a field, with `-` in front for
#: descending) and the words the pages show for it, in the order they offer them. The API's
#: `ordering` parameter, the pages' select and the selectors all follow this one table.
ORDERINGS: dict[str, str] = {
    "-created_at": "Newest first",
    "created_at": "Oldest first",
    "due_date": "Due soonest",
    "-due_date": "Due latest",
    "-priority": "Most urgent",
    "priority": "Least urgent",
    "title": "Title A to Z",
    "-title": "Title Z to A",
}
ORDERING_FIELDS: tuple[str, ...] = tuple(
    dict.fromkeys(choice.removeprefix("-") for choice in ORDERINGS)
)
#: The same values as the API lists them: each field, then the field descending.
ORDERING_CHOICES: tuple[str, ...] = tuple(
    choice for field in ORDERING_FIELDS for choice in (field, f"-{field}")
)
DEFAULT_ORDERING = "-created_at"


@dataclass(frozen=True)
class Ordering:
    """A parsed `ordering` parameter: which field, and which way."""

    field: str
    descending: bool

    def __post_init__(self) -> None:
        if self.field not in ORDERING_FIELDS:
            raise ValueError(f"cannot order tasks by {self.field!r}")

    @classmethod
    def parse(cls, value: str) -> Self:
        """Read `field` or `-field`; anything else is a 422 naming `ordering`."""
        if value not in ORDERING_CHOICES:
            raise ValidationFailed(
                "The ordering is not supported.",
                fields={"ordering": f"Choose one of: {', '.join(ORDERING_CHOICES)}."},
            )
        return cls(field=value.removeprefix("-"), descending=value.startswith("-"))

    @property
    def value(self) -> str:
        """The parameter form again, e.g. `-created_at`."""
        return f"-{self.field}" if self.descending else self.field
