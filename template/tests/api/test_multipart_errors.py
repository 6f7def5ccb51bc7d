"""A multipart body that cannot be split into parts is a bad request, in the one envelope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .helpers import error_of

if TYPE_CHECKING:
    from ..contract import ApiClient


def test_a_multipart_body_without_a_boundary_is_a_bad_request(api: ApiClient) -> None:
    response = api.post_raw("/api/tasks/import", b"title\nPay rent\n", "multipart/form-data")

    assert error_of(response, 400)["code"] == "bad_request"
