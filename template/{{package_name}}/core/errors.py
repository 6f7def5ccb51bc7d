"""Domain errors and the one JSON error envelope of the API.

Services raise these; the web layer turns them into `{"error": {...}}` responses with
`status_code`, so every route answers an error the same way (DESIGN: one error envelope).
"""

# The exception names follow the HTTP wording (NotFound, Conflict), as the status codes they
# stand for do, rather than pep8-naming's "...Error" suffix.
# ruff: noqa: N818

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import ValidationError

#: The `fields` key used for an error that belongs to no single field.
NON_FIELD = "__all__"

DEFAULT_SKIP_LOCS = ("body", "query", "path", "form")


@dataclass(frozen=True)
class RowError:
    """One problem in one line of an uploaded file (the header is line 1)."""

    row: int
    field: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "message": self.message}


def error_envelope(
    code: str,
    message: str,
    *,
    fields: Mapping[str, str] | None = None,
    rows: Sequence[RowError] | None = None,
) -> dict[str, Any]:
    """Build the API's error body; `fields` and `rows` appear only when non-empty."""
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = dict(fields)
    if rows:
        body["rows"] = [row.as_dict() for row in rows]
    return {"error": body}


class DomainError(Exception):
    """Base of every error a service may raise on purpose."""

    code: ClassVar[str] = "error"
    status_code: ClassVar[int] = 400

    def __init__(
        self,
        message: str,
        *,
        fields: Mapping[str, str] | None = None,
        rows: Sequence[RowError] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields: dict[str, str] = dict(fields or {})
        self.rows: list[RowError] = list(rows or [])

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, fields={self.fields!r}, rows={self.rows!r})"
        )

    def to_envelope(self) -> dict[str, Any]:
        return error_envelope(self.code, self.message, fields=self.fields, rows=self.rows)


class BadRequest(DomainError):
    """The request cannot be read at all (for example a body that is not JSON)."""

    code = "bad_request"
    status_code = 400


class InvalidToken(DomainError):
    """A signed link or token that is tampered with, used already, or expired."""

    code = "invalid_token"
    status_code = 400


class ValidationFailed(DomainError):
    """The request is well-formed but some values break the rules."""

    code = "validation_error"
    status_code = 422


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status_code = 401


class PermissionDenied(DomainError):
    code = "permission_denied"
    status_code = 403


class NotFound(DomainError):
    """Missing, or not the caller's to see: both answer 404 so ids leak nothing."""

    code = "not_found"
    status_code = 404


class Conflict(DomainError):
    code = "conflict"
    status_code = 409


class ServiceUnavailable(DomainError):
    code = "service_unavailable"
    status_code = 503


def fields_from_pydantic(
    errors: ValidationError | Iterable[Mapping[str, Any]],
    *,
    skip_locs: Iterable[str] = DEFAULT_SKIP_LOCS,
) -> dict[str, str]:
    """Map pydantic's error list to `{field: message}`, first message per field.

    Leading location parts naming where the value came from (`body`, `query`, ...) are
    dropped; the rest is joined with dots, so `("body", "title")` becomes `title` and
    `("tags", 0)` becomes `tags.0`.
    """
    details = errors.errors() if isinstance(errors, ValidationError) else errors
    skipped = set(skip_locs)
    fields: dict[str, str] = {}
    for detail in details:
        loc = [str(part) for part in detail.get("loc", ())]
        while loc and loc[0] in skipped:
            loc.pop(0)
        fields.setdefault(".".join(loc) or NON_FIELD, _message(detail))
    return fields


def _message(detail: Mapping[str, Any]) -> str:
    # pydantic renders a ValueError raised by a validator as "Value error, <text>";
    # the text alone is what a person should read.
    error = (detail.get("ctx") or {}).get("error")
    if detail.get("type") == "value_error" and error is not None:
        return str(error)
    return str(detail.get("msg", "Invalid value."))
