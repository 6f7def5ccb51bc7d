"""Typed request and response bodies of the HTTP API (pydantic v2).

The API validates requests with these models and generates its OpenAPI document from them,
so the contract (DESIGN: the HTTP API) is written once, in types.
"""

import datetime
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PlainSerializer,
    StrictBool,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from .domain import (
    CATEGORY_MAX_LENGTH,
    DEFAULT_ORDERING,
    DEFAULT_PRIORITY,
    DESCRIPTION_MAX_LENGTH,
    PAGE_SIZE_DEFAULT,
    PAGE_SIZE_MAX,
    SEARCH_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Ordering,
    OrderingValue,
    Priority,
)

USERNAME_MAX_LENGTH = 150
EMAIL_MAX_LENGTH = 254
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_USERNAME = re.compile(r"[\w.@+-]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text; refusing it here keeps bad input a 422, not a 500.
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "The text may not contain NUL characters.")
    return value


class _PatternInSchema:
    """Writes a validator's rule into the JSON schema as a `pattern`, so that the OpenAPI
    document tells clients (and the fuzzer) which text is answered 422."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = self.pattern
        return json_schema


# No NUL (`_no_nul`); for a title also not blank, since it is stripped before its length counts.
_NUL_FREE = _PatternInSchema(r"^[^\x00]*$")
_NUL_FREE_NOT_BLANK = _PatternInSchema(r"^[^\x00]*[^\s\x00][^\x00]*$")


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


def _iso_timestamp(value: datetime.datetime) -> str:
    # One form for every time the API writes, whatever the database hands back: ISO 8601,
    # microseconds cut to milliseconds, and UTC as `Z` (2026-11-25T00:27:17.913Z).
    text = value.isoformat()
    if value.microsecond:
        text = text[:23] + text[26:]
    if text.endswith("+00:00"):
        text = text.removesuffix("+00:00") + "Z"
    return text


def _username(value: str) -> str:
    if not _USERNAME.fullmatch(value):
        raise PydanticCustomError(
            "username", "Use only letters, digits and the characters @ . + - _."
        )
    return value


def _email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise PydanticCustomError("email", "Enter a valid e-mail address.")
    return value


Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_MAX_LENGTH),
    AfterValidator(_no_nul),
    _NUL_FREE_NOT_BLANK,
]
Description = Annotated[
    str, StringConstraints(max_length=DESCRIPTION_MAX_LENGTH), AfterValidator(_no_nul), _NUL_FREE
]
Category = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=CATEGORY_MAX_LENGTH),
    AfterValidator(_no_nul),
    _NUL_FREE,
]
SearchText = Annotated[
    str, StringConstraints(max_length=SEARCH_MAX_LENGTH), AfterValidator(_no_nul), _NUL_FREE
]
CategoryFilter = Annotated[
    str, StringConstraints(max_length=CATEGORY_MAX_LENGTH), AfterValidator(_no_nul), _NUL_FREE
]
DueDate = Annotated[datetime.date, BeforeValidator(_iso_date)]
Timestamp = Annotated[
    datetime.datetime,
    PlainSerializer(_iso_timestamp, return_type=str, when_used="always"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
Username = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=USERNAME_MAX_LENGTH),
    AfterValidator(_username),
]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=EMAIL_MAX_LENGTH),
    AfterValidator(_no_nul),
    _NUL_FREE,
    AfterValidator(_email),
]
Password = Annotated[
    str,
    StringConstraints(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH),
    Field(json_schema_extra={"format": "password"}),
]


class _Input(BaseModel):
    # An unknown field is a 422 naming it, never silently dropped.
    model_config = ConfigDict(extra="forbid")


class TaskIn(_Input):
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


class TaskPatch(_Input):
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
    total: int
    page: int
    size: int


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


class RegisterIn(_Input):
    username: Username
    email: Email
    password: Password


class TokenIn(_Input):
    username: Annotated[
        str, Field(min_length=1, max_length=USERNAME_MAX_LENGTH), AfterValidator(_no_nul), _NUL_FREE
    ]
    password: str = Field(
        min_length=1, max_length=PASSWORD_MAX_LENGTH, json_schema_extra={"format": "password"}
    )


class TokenOut(BaseModel):
    token: str


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    email: str


class HealthOut(BaseModel):
    status: str
    database: str


class RowErrorOut(BaseModel):
    row: int
    field: str
    message: str


class ErrorBody(BaseModel):
    code: str
    message: str
    fields: dict[str, str] | None = None
    rows: list[RowErrorOut] | None = None


class ErrorEnvelope(BaseModel):
    """The body of every error response."""

    error: ErrorBody
