"""`/api/auth/...`: register, exchange a password for a token, and ask who am I."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from ..factories import DEFAULT_PASSWORD, User
from .helpers import bad_fields_of, error_of

if TYPE_CHECKING:
    from ..contract import ApiClient, Store

NEW_PASSWORD = "a-long-and-unusual-passphrase"


def registration(**changes: Any) -> dict[str, Any]:
    return {"username": "carol", "email": "carol@example.com", "password": NEW_PASSWORD, **changes}


def test_register_creates_the_user_and_never_returns_the_password(
    anonymous_api: ApiClient, store: Store
) -> None:
    response = anonymous_api.post("/api/auth/register", registration())

    assert response.status_code == 201
    body = response.json()
    assert body == {"id": body["id"], "username": "carol", "email": "carol@example.com"}
    user = store.get_user(body["id"])
    assert store.password_matches(user, NEW_PASSWORD)
    assert NEW_PASSWORD not in store.stored_password(user)


def test_a_taken_username_is_a_conflict(anonymous_api: ApiClient, user: User, store: Store) -> None:
    response = anonymous_api.post("/api/auth/register", registration(username=user.username))

    error = error_of(response, 409)
    assert error["code"] == "conflict"
    assert "username" in error["fields"]
    assert store.user_count(user.username) == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("username", ""),
        ("username", "has spaces"),
        ("username", "x" * 151),
        ("email", "not-an-address"),
        ("email", ""),
        ("password", "short"),
        ("password", "password"),
        # Common passwords and keyboard patterns, however long (issue 16, row 9).
        ("password", "1qaz2wsx"),
        ("password", "zaq12wsx"),
        ("password", "qwertyuiop"),
    ],
)
def test_register_names_the_bad_field(
    anonymous_api: ApiClient, field: str, value: str, store: Store
) -> None:
    response = anonymous_api.post("/api/auth/register", registration(**{field: value}))

    assert list(bad_fields_of(response)) == [field]
    assert store.user_count("carol") == 0


def test_register_names_every_bad_field_at_once(anonymous_api: ApiClient) -> None:
    response = anonymous_api.post("/api/auth/register", {"username": "", "email": "nope"})

    assert set(bad_fields_of(response)) == {"username", "email", "password"}


@pytest.mark.parametrize(("field", "value"), [("is_staff", True), ("is_active", False)])
def test_register_refuses_an_unknown_field(
    anonymous_api: ApiClient, field: str, value: bool, store: Store
) -> None:
    response = anonymous_api.post("/api/auth/register", registration(**{field: value}))

    assert list(bad_fields_of(response)) == [field]
    assert store.user_count("carol") == 0


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/auth/register", registration(email="carol\x00@example.com"), "email"),
        ("/api/auth/register", registration(username="car\x00ol"), "username"),
        ("/api/auth/token", {"username": "ali\x00ce", "password": DEFAULT_PASSWORD}, "username"),
    ],
    ids=["register email", "register username", "token username"],
)
def test_a_nul_character_is_a_validation_error_not_a_server_error(
    anonymous_api: ApiClient, user: User, path: str, body: dict[str, Any], field: str
) -> None:
    # PostgreSQL cannot store NUL in text: it must be refused before it reaches the database.
    response = anonymous_api.post(path, body)

    assert list(bad_fields_of(response)) == [field]


@pytest.mark.parametrize("path", ["/api/auth/register", "/api/auth/token"])
def test_a_body_that_is_not_json_is_a_bad_request(anonymous_api: ApiClient, path: str) -> None:
    response = anonymous_api.post_raw(path, b'{"username": "carol",', "application/json")

    assert error_of(response, 400)["code"] == "bad_request"


def test_the_right_password_gives_a_token(anonymous_api: ApiClient, user: User) -> None:
    response = anonymous_api.post(
        "/api/auth/token", {"username": user.username, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["token", "id", "expires_at"]
    assert isinstance(body["token"], str)
    assert len(body["token"]) >= 32


def test_the_token_authenticates_its_user(anonymous_api: ApiClient, user: User) -> None:
    token = anonymous_api.post(
        "/api/auth/token", {"username": user.username, "password": DEFAULT_PASSWORD}
    ).json()["token"]

    response = anonymous_api.request(
        "GET", "/api/auth/me", headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 200
    assert response.json()["username"] == user.username


def test_each_token_request_gives_a_new_token(anonymous_api: ApiClient, user: User) -> None:
    credentials = {"username": user.username, "password": DEFAULT_PASSWORD}

    first = anonymous_api.post("/api/auth/token", credentials).json()["token"]
    second = anonymous_api.post("/api/auth/token", credentials).json()["token"]

    assert first != second


@pytest.mark.parametrize(
    ("username", "password"),
    [("alice", "not-the-password"), ("nobody", DEFAULT_PASSWORD)],
    ids=["wrong password", "unknown user"],
)
def test_wrong_credentials_are_unauthenticated(
    anonymous_api: ApiClient, user: User, username: str, password: str
) -> None:
    response = anonymous_api.post("/api/auth/token", {"username": username, "password": password})

    error = error_of(response, 401)
    assert error["code"] == "not_authenticated"


def test_an_inactive_user_gets_no_token(anonymous_api: ApiClient, user: User, store: Store) -> None:
    store.deactivate(user)

    response = anonymous_api.post(
        "/api/auth/token", {"username": user.username, "password": DEFAULT_PASSWORD}
    )

    assert error_of(response, 401)["code"] == "not_authenticated"


def test_a_token_request_names_missing_fields(anonymous_api: ApiClient) -> None:
    response = anonymous_api.post("/api/auth/token", {})

    assert set(bad_fields_of(response)) == {"username", "password"}


def test_me_with_a_token(api: ApiClient, user: User) -> None:
    response = api.get("/api/auth/me")

    assert response.status_code == 200
    assert response.json() == {"id": user.id, "username": "alice", "email": user.email}


def test_me_with_the_session(session_api: ApiClient, user: User) -> None:
    response = session_api.get("/api/auth/me")

    assert response.status_code == 200
    assert response.json() == {"id": user.id, "username": "alice", "email": user.email}


def test_me_without_credentials_is_unauthenticated(anonymous_api: ApiClient) -> None:
    response = anonymous_api.get("/api/auth/me")

    assert error_of(response, 401)["code"] == "not_authenticated"


def test_a_user_does_not_outlive_their_request(api: ApiClient, anonymous_api: ApiClient) -> None:
    assert api.get("/api/auth/me").status_code == 200

    response = anonymous_api.get("/api/auth/me")

    assert error_of(response, 401)["code"] == "not_authenticated"


@pytest.mark.parametrize(
    "authorization",
    ["Bearer not-a-real-token", "Bearer ", "Token abc", "Basic YWxpY2U6cHc="],
)
def test_me_with_a_bad_authorization_header_is_unauthenticated(
    anonymous_api: ApiClient, user: User, authorization: str
) -> None:
    response = anonymous_api.request(
        "GET", "/api/auth/me", headers={"Authorization": authorization}
    )

    assert error_of(response, 401)["code"] == "not_authenticated"


def test_a_token_stops_working_when_its_user_is_deactivated(
    api: ApiClient, user: User, store: Store
) -> None:
    store.deactivate(user)

    response = api.get("/api/auth/me")

    assert error_of(response, 401)["code"] == "not_authenticated"


def test_a_session_stops_working_when_its_user_is_deactivated(
    session_api: ApiClient, user: User, store: Store
) -> None:
    store.deactivate(user)

    response = session_api.get("/api/auth/me")

    assert error_of(response, 401)["code"] == "not_authenticated"
