"""The tasks' bodies: a task in and out, a change, the list's query and page, statistics and
the CSV import's result."""

import datetime
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from ..domain import (
    CATEGORY_MAX_LENGTH,
    DEFAULT_ORDERING,
    DEFAULT_PRIORITY,
    DESCRIPTION_MAX_LENGTH,
    ORDERING_CHOICES,
    PAGE_SIZE_DEFAULT,
    PAGE_SIZE_MAX,
    SEARCH_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Ordering,
    Priority,
)
from .fields import Input, NulFree, Timestamp

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: object) -> object:
    # pydantic alone would also take timestamps and compact forms; the contract says ISO.
    if isinstance(value, datetime.datetime):
        raise PydanticCustomError("date_type", "Enter a date without a time.")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("date_format", "Enter a valid date as YYYY-MM-DD.")


# A title is stripped before its length counts, so white space alone is no title.
Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_MAX_LENGTH),
    NulFree(not_blank=True),
]
Description = Annotated[str, StringConstraints(max_length=DESCRIPTION_MAX_LENGTH), NulFree()]
Category = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=CATEGORY_MAX_LENGTH), NulFree()
]
SearchText = Annotated[str, StringConstraints(max_length=SEARCH_MAX_LENGTH), NulFree()]
CategoryFilter = Annotated[str, StringConstraints(max_length=CATEGORY_MAX_LENGTH), NulFree()]
DueDate = Annotated[datetime.date, BeforeValidator(_iso_date)]


def _known_ordering(value: str) -> str:
    if value not in ORDERING_CHOICES:
        *others, last = (repr(choice) for choice in ORDERING_CHOICES)
        expected = f"{', '.join(others)} or {last}"
        raise PydanticCustomError(
            "literal_error", "Input should be {expected}", {"expected": expected}
        )
    return value


# One of core/domain.py's ORDERINGS, listed in the JSON schema as an enum.
OrderingValue = Annotated[
    str,
    AfterValidator(_known_ordering),
    WithJsonSchema({"enum": list(ORDERING_CHOICES), "type": "string"}),
]


class TaskIn(Input):
    """A new task: only the title is required."""

    title: Title
    description: Description = ""
    category: Category = ""
    priority: Priority = DEFAULT_PRIORITY
    done: StrictBool = False
    due_date: DueDate | None = None


def _not_null_in_schema(schema: dict[str, Any]) -> None:
    # None only marks a patch field as not sent, and validation refuses null for it: the JSON
    # schema shows the value's own type alone, without null and without a default.
    branches = [branch for branch in schema.pop("anyOf", []) if branch != {"type": "null"}]
    schema.pop("default", None)
    if len(branches) == 1:
        schema.update(branches[0])


_NOT_SENT: Any = Field(None, json_schema_extra=_not_null_in_schema)


class TaskPatch(Input):
    """A partial update: the fields sent are validated like `TaskIn`, the rest kept.

    None marks a field as not sent; only `due_date` may be sent as null.
    """

    title: Title | None = _NOT_SENT
    description: Description | None = _NOT_SENT
    category: Category | None = _NOT_SENT
    priority: Priority | None = _NOT_SENT
    done: StrictBool | None = _NOT_SENT
    due_date: DueDate | None = None

    @field_validator("title", "description", "category", "priority", "done", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # None is only the "not sent" marker here; only due_date may be cleared with null.
        if value is None:
            raise PydanticCustomError("not_null", "This field may not be null.")
        return value

    def changes(self) -> dict[str, Any]:
        """The validated values of the fields the client sent, in declaration order."""
        sent = self.model_fields_set
        return {name: getattr(self, name) for name in type(self).model_fields if name in sent}


class TaskOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    description: str
    category: str
    priority: Priority
    done: bool
    due_date: datetime.date | None
    created_at: Timestamp
    updated_at: Timestamp


class TaskPage(BaseModel):
    items: list[TaskOut]
    total: int = Field(
        description="How many tasks match; when `total_is_bound`, how many match at least."
    )
    page: int
    size: int
    total_is_bound: bool = Field(
        description="Whether the count stopped at `total` (the tasks up to the end of the "
        'next page, and one more), so that more tasks may match (shown as "at least").'
    )


class TaskListQuery(BaseModel):
    """Query parameters of the task list; unknown parameters are left to the framework."""

    page: int = Field(1, ge=1)
    size: int = Field(PAGE_SIZE_DEFAULT, ge=1, le=PAGE_SIZE_MAX)
    q: SearchText | None = None
    category: CategoryFilter | None = None
    done: Literal["true", "false"] | None = None
    ordering: OrderingValue = DEFAULT_ORDERING

    @property
    def done_value(self) -> bool | None:
        return None if self.done is None else self.done == "true"

    @property
    def order(self) -> Ordering:
        return Ordering.parse(self.ordering)


class TaskStats(BaseModel):
    total: int
    done: int
    completion_rate: float = Field(ge=0, le=1)
    by_category: dict[str, int]


class ImportResult(BaseModel):
    created: int
