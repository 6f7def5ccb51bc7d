"""Assertions the API tests share: every error leaves in one envelope."""

from __future__ import annotations

from typing import Any

from ..contract import Response

ENVELOPE_KEYS = frozenset({"code", "message", "fields", "rows"})


def error_of(response: Response, status: int) -> dict[str, Any]:
    """The `error` object of `response`, which must be an error envelope with `status`."""
    assert response.status_code == status, response.content
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["error"]
    error: dict[str, Any] = body["error"]
    assert {"code", "message"} <= set(error) <= ENVELOPE_KEYS
    assert isinstance(error["message"], str)
    assert error["message"]
    return error


def bad_fields_of(response: Response) -> dict[str, str]:
    """The `fields` of a 422 validation error: each bad field's name mapped to its message."""
    error = error_of(response, 422)
    assert error["code"] == "validation_error"
    fields: dict[str, str] = error["fields"]
    assert all(isinstance(message, str) and message for message in fields.values())
    return fields
