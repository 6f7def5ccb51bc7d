"""Field types the API's bodies share: NUL-free text, and times in one fixed form."""

import datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "The text may not contain NUL characters.")
    return value


class NulFree:
    """Text without a NUL character: PostgreSQL refuses NUL in text, and refusing it here
    keeps bad input a 422, not a 500. The rule is also written into the JSON schema as a
    `pattern`, so that the OpenAPI document tells clients (and the fuzzer) which text is
    answered 422; `not_blank` adds that the text has more than white space.

    Put it after the field's own constraints: `Annotated[str, StringConstraints(...), NulFree()]`.
    """

    def __init__(self, *, not_blank: bool = False) -> None:
        self.pattern = r"^[^\x00]*[^\s\x00][^\x00]*$" if not_blank else r"^[^\x00]*$"

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_after_validator_function(_no_nul, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = self.pattern
        return json_schema


def _iso_timestamp(value: datetime.datetime) -> str:
    # One form for every time the API writes, whatever the database hands back: ISO 8601,
    # microseconds cut to milliseconds, and UTC as `Z` (2026-11-25T00:27:17.913Z).
    text = value.isoformat()
    if value.microsecond:
        text = text[:23] + text[26:]
    if text.endswith("+00:00"):
        text = text.removesuffix("+00:00") + "Z"
    return text


Timestamp = Annotated[
    datetime.datetime,
    PlainSerializer(_iso_timestamp, return_type=str, when_used="always"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class Input(BaseModel):
    """A request body: an unknown field is a 422 naming it, never silently dropped."""

    model_config = ConfigDict(extra="forbid")
