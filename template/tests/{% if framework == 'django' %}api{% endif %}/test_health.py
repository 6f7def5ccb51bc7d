"""`GET /api/health`: is the service up, and can it reach its database?"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

import pytest
from django.db import OperationalError

if TYPE_CHECKING:
    from ..conftest import ApiClient


class UnreachableDatabase:
    """Stands in for `django.db.connection` when the database server is down."""

    def cursor(self) -> NoReturn:
        raise OperationalError("connection refused")


def test_health_is_ok_without_authentication(anonymous_api: ApiClient) -> None:
    response = anonymous_api.get("/api/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_is_503_when_the_database_is_unreachable(
    anonymous_api: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("config.api.connection", UnreachableDatabase())

    response = anonymous_api.get("/api/health")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
