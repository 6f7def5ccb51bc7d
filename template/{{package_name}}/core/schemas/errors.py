"""The one error envelope of the API: `{"error": {"code", "message", "fields"?, "rows"?}}`.

core/errors.py builds it from the domain's errors; these models document it.
"""

from pydantic import BaseModel


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
