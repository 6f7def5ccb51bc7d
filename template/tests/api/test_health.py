"""`GET /api/health`: is the service up, and can it reach its database?"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .helpers import error_of

if TYPE_CHECKING:
    from ..contract import ApiClient


def test_health_is_ok_without_authentication(anonymous_api: ApiClient) -> None:
    response = anonymous_api.get("/api/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_is_503_when_the_database_is_unreachable(cut_off_api: ApiClient) -> None:
    response = cut_off_api.get("/api/health")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


def test_other_routes_answer_a_503_envelope_when_the_database_is_unreachable(
    cut_off_api: ApiClient,
) -> None:
    credentials = {"username": "alice", "password": "a-long-robust-password-1"}

    response = cut_off_api.post("/api/auth/token", credentials)

    assert error_of(response, 503)["code"] == "database_unavailable"
