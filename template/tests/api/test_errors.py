"""Errors outside any one route still leave in the API's one envelope.

How a multipart body without a boundary is answered is in `test_multipart_errors.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from .helpers import error_of

if TYPE_CHECKING:
    from ..contract import ApiClient


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/tasks/", "/api/tasks/abc"])
def test_an_unknown_api_path_is_a_404_envelope(api: ApiClient, path: str) -> None:
    response = api.get(path)

    assert error_of(response, 404)["code"] == "not_found"


@pytest.mark.parametrize(
    ("method", "path"),
    [("PUT", "/api/tasks/1"), ("DELETE", "/api/tasks"), ("GET", "/api/auth/token")],
)
def test_an_unsupported_method_is_a_405_envelope(api: ApiClient, method: str, path: str) -> None:
    response = api.send(method, path)

    assert error_of(response, 405)["code"] == "method_not_allowed"
    assert "Allow" in response.headers


def test_a_body_over_the_size_limit_is_a_413_envelope(api: ApiClient) -> None:
    oversized = b'{"title": "' + b"x" * (6 * 1024 * 1024) + b'"}'

    response = api.post_raw("/api/tasks", oversized, "application/json")

    assert error_of(response, 413)["code"] == "payload_too_large"


def test_json_nested_too_deeply_to_read_is_a_bad_request(api: ApiClient) -> None:
    # Python's json parser gives up on such nesting with a RecursionError, not a ValueError.
    nested = b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"

    response = api.post_raw("/api/tasks", nested, "application/json")

    assert error_of(response, 400)["code"] == "bad_request"
