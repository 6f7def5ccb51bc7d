"""Assertions the API tests share: every error leaves in one envelope, CSV bodies are streamed."""

from __future__ import annotations

from typing import Any

ENVELOPE_KEYS = frozenset({"code", "message", "fields", "rows"})


def error_of(response: Any, status: int) -> dict[str, Any]:
    """The `error` object of `response`, which must be an error envelope with `status`."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["error"]
    error: dict[str, Any] = body["error"]
    assert {"code", "message"} <= set(error) <= ENVELOPE_KEYS
    assert isinstance(error["message"], str)
    assert error["message"]
    return error


def bad_fields_of(response: Any) -> dict[str, str]:
    """The `fields` of a 422 validation error: each bad field's name mapped to its message."""
    error = error_of(response, 422)
    assert error["code"] == "validation_error"
    fields: dict[str, str] = error["fields"]
    assert all(isinstance(message, str) and message for message in fields.values())
    return fields


def text_of(response: Any) -> str:
    """The whole body of a response, streamed or not, as text."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text: str = content.decode("utf-8")
    return text
