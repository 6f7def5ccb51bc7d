"""`GET /api/health`: is the service up, and can it reach its database?"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
