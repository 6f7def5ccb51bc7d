"""Assertions the API tests share: every error leaves in one envelope, CSV bodies are streamed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from werkzeug.test import TestResponse

ENVELOPE_KEYS = frozenset({"code", "message", "fields", "rows"})


def error_of(response: TestResponse, status: int) -> dict[str, Any]:
    """The `error` object of `response`, which must be an error envelope with `status`."""
    assert response.status_code == status, response.data
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.get_json()
    assert list(body) == ["error"]
    error: dict[str, Any] = body["error"]
    assert {"code", "message"} <= set(error) <= ENVELOPE_KEYS
    assert isinstance(error["message"], str)
    assert error["message"]
    return error


def bad_fields_of(response: TestResponse) -> dict[str, str]:
    """The `fields` of a 422 validation error: each bad field's name mapped to its message."""
    error = error_of(response, 422)
    assert error["code"] == "validation_error"
    fields: dict[str, str] = error["fields"]
    assert all(isinstance(message, str) and message for message in fields.values())
    return fields


def text_of(response: TestResponse) -> str:
    """The whole body of a response as text."""
    return response.get_data(as_text=True)


def chunks_of(response: TestResponse) -> list[bytes]:
    """The pieces the body was sent in: one for a body built whole, several for a stream."""
    chunks: list[bytes] = []
    for chunk in response.response:  # the test client buffers the app's iterator as a list
        assert isinstance(chunk, bytes)
        chunks.append(chunk)
    return chunks


@contextmanager
def recorded_queries(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement sent to `engine` inside the block, in order."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])  # (connection, cursor, statement, parameters, ...)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
