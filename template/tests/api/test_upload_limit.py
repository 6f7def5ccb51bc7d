"""A request body over the upload limit (MAX_UPLOAD_BYTES, 5 MB) is refused before it is read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..contract import Upload
from .helpers import error_of

if TYPE_CHECKING:
    from ..contract import ApiClient, Store

LIMIT = 5 * 1024 * 1024


def test_a_csv_file_over_the_limit_is_a_413_envelope_and_nothing_is_stored(
    api: ApiClient, store: Store
) -> None:
    oversized = b"title\n" + b"x\n" * (LIMIT // 2 + 1)

    response = api.upload("/api/tasks/import", {"file": Upload("tasks.csv", oversized, "text/csv")})

    assert error_of(response, 413)["code"] == "payload_too_large"
    assert store.task_count() == 0


def test_a_csv_file_under_the_limit_is_imported(api: ApiClient, store: Store) -> None:
    rows = b"title\n" + b"Pay rent\n" * 3

    response = api.upload("/api/tasks/import", {"file": Upload("tasks.csv", rows, "text/csv")})

    assert response.status_code == 201, response.content
    assert store.task_count() == 3
