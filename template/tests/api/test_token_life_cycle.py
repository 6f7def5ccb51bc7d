"""The life of a personal API token: made with a name, listed without its secret, revoked one
at a time or from the request it authenticates, and expired after API_TOKEN_LIFETIME_DAYS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from ..factories import DEFAULT_PASSWORD, User
from .helpers import bad_fields_of, error_of

if TYPE_CHECKING:
    from ..contract import ApiClient, Store

TOKEN_INFO_KEYS = ["id", "name", "created_at", "last_used_at", "expires_at"]
DEFAULT_LIFETIME = timedelta(days=30)


def new_token(client: ApiClient, user: User, name: str | None = None) -> dict[str, Any]:
    """A fresh token of `user`, as `POST /api/auth/token` answers it."""
    body = {"username": user.username, "password": DEFAULT_PASSWORD}
    if name is not None:
        body["name"] = name
    response = client.post("/api/auth/token", body)
    assert response.status_code == 200, response.content
    answer: dict[str, Any] = response.json()
    return answer


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def me_status(client: ApiClient, token: str) -> int:
    return client.request("GET", "/api/auth/me", headers=bearer(token)).status_code


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_a_new_token_answers_its_secret_id_and_expiry(anonymous_api: ApiClient, user: User) -> None:
    answer = new_token(anonymous_api, user, name="backup script")

    assert list(answer) == ["token", "id", "expires_at"]
    assert isinstance(answer["id"], int)
    lifetime = parse_time(answer["expires_at"]) - datetime.now(UTC)
    assert DEFAULT_LIFETIME - timedelta(minutes=1) < lifetime <= DEFAULT_LIFETIME


def test_the_list_shows_the_users_working_tokens_newest_first_and_no_secret(
    api: ApiClient, anonymous_api: ApiClient, user: User
) -> None:
    first = new_token(anonymous_api, user, name="first")
    second = new_token(anonymous_api, user, name="second")

    response = api.get("/api/auth/tokens")

    assert response.status_code == 200
    tokens = response.json()
    assert [token["name"] for token in tokens] == ["second", "first", ""]
    assert [token["id"] for token in tokens][:2] == [second["id"], first["id"]]
    assert all(list(token) == TOKEN_INFO_KEYS for token in tokens)
    assert first["token"] not in response.text
    assert second["token"] not in response.text


def test_the_list_holds_only_the_users_own_tokens(
    api: ApiClient, other_api: ApiClient, anonymous_api: ApiClient, user: User
) -> None:
    alices = new_token(anonymous_api, user, name="alice's")

    response = other_api.get("/api/auth/tokens")

    assert response.status_code == 200
    assert alices["id"] not in [token["id"] for token in response.json()]
    assert [token["name"] for token in response.json()] == [""]


def test_the_list_records_when_a_token_was_last_used(api: ApiClient) -> None:
    api.get("/api/auth/me")

    (token,) = api.get("/api/auth/tokens").json()

    assert token["last_used_at"] is not None


def test_a_revoked_token_stops_working(
    api: ApiClient, anonymous_api: ApiClient, user: User
) -> None:
    doomed = new_token(anonymous_api, user, name="leaked")
    assert me_status(anonymous_api, doomed["token"]) == 200

    response = api.delete(f"/api/auth/tokens/{doomed['id']}")

    assert response.status_code == 204
    assert response.content == b""
    assert me_status(anonymous_api, doomed["token"]) == 401
    assert doomed["id"] not in [token["id"] for token in api.get("/api/auth/tokens").json()]
    assert api.get("/api/auth/me").status_code == 200  # the other tokens still work


def test_another_users_token_cannot_be_revoked(
    other_api: ApiClient, anonymous_api: ApiClient, user: User
) -> None:
    alices = new_token(anonymous_api, user)

    response = other_api.delete(f"/api/auth/tokens/{alices['id']}")

    assert error_of(response, 404)["code"] == "not_found"
    assert me_status(anonymous_api, alices["token"]) == 200


def test_an_unknown_token_id_is_not_found(api: ApiClient) -> None:
    response = api.delete("/api/auth/tokens/999999")

    assert error_of(response, 404)["code"] == "not_found"


def test_a_request_can_revoke_the_token_it_is_made_with(
    api: ApiClient, anonymous_api: ApiClient, user: User
) -> None:
    spare = new_token(anonymous_api, user)

    response = api.delete("/api/auth/token")

    assert response.status_code == 204
    assert error_of(api.get("/api/auth/me"), 401)["code"] == "not_authenticated"
    assert me_status(anonymous_api, spare["token"]) == 200


def test_a_session_has_no_token_to_revoke(session_api: ApiClient, csrf_token: str) -> None:
    # Signing out of a session is the log-out page's work, not this endpoint's.
    response = session_api.delete("/api/auth/token", headers={"X-CSRFToken": csrf_token})

    assert error_of(response, 400)["code"] == "bad_request"
    assert session_api.get("/api/auth/me").status_code == 200


def test_a_session_lists_and_revokes_tokens_with_the_csrf_token(
    session_api: ApiClient, anonymous_api: ApiClient, user: User, csrf_token: str
) -> None:
    issued = new_token(anonymous_api, user)
    path = f"/api/auth/tokens/{issued['id']}"

    assert [token["id"] for token in session_api.get("/api/auth/tokens").json()] == [issued["id"]]
    assert error_of(session_api.delete(path), 403)["code"] == "permission_denied"
    assert session_api.delete(path, headers={"X-CSRFToken": csrf_token}).status_code == 204


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/auth/tokens"), ("DELETE", "/api/auth/tokens/1"), ("DELETE", "/api/auth/token")],
)
def test_the_token_routes_need_credentials(
    anonymous_api: ApiClient, method: str, path: str
) -> None:
    response = anonymous_api.request(method, path)

    assert error_of(response, 401)["code"] == "not_authenticated"


def test_an_expired_token_is_unauthenticated_and_unlisted(
    api: ApiClient, session_api: ApiClient, user: User, store: Store
) -> None:
    store.expire_tokens(user)

    assert error_of(api.get("/api/auth/me"), 401)["code"] == "not_authenticated"
    assert session_api.get("/api/auth/tokens").json() == []


def test_a_new_token_clears_away_the_expired_ones(
    api: ApiClient, anonymous_api: ApiClient, other_user: User, user: User, store: Store
) -> None:
    store.expire_tokens(user)
    assert store.token_count(user) == 1

    new_token(anonymous_api, other_user)

    assert store.token_count(user) == 0
    assert store.token_count(other_user) == 1


@pytest.mark.parametrize("name", ["x" * 101, "nul\x00"], ids=["too long", "NUL"])
def test_a_bad_token_name_is_refused(anonymous_api: ApiClient, user: User, name: str) -> None:
    response = anonymous_api.post(
        "/api/auth/token", {"username": user.username, "password": DEFAULT_PASSWORD, "name": name}
    )

    assert list(bad_fields_of(response)) == ["name"]
