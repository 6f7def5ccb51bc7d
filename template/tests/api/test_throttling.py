"""Throttling of log-ins and sign-ups in the API (docs/adr/0009).

Five failed log-ins for one account from one address lock that account there, the right
password included, until the window ends; an address has its own, higher limit across
accounts; sign-ups are counted per address. A refusal is a 429 with `Retry-After` and the
error code `too_many_requests`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from ..factories import DEFAULT_PASSWORD, User, UserFactory
from .helpers import error_of

if TYPE_CHECKING:
    from ..contract import ApiClient, Response

WRONG_PASSWORD = "not-the-password"
WINDOW = 900
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 9
REGISTRATION_LIMIT = 3


@pytest.fixture(autouse=True)
def limits(change_settings: Callable[..., None]) -> None:
    change_settings(
        LOGIN_FAILURES_PER_ACCOUNT=ACCOUNT_LIMIT,
        LOGIN_FAILURES_PER_ADDRESS=ADDRESS_LIMIT,
        LOGIN_FAILURE_WINDOW=WINDOW,
        REGISTRATIONS_PER_ADDRESS=REGISTRATION_LIMIT,
    )


def log_in(client: ApiClient, username: str, password: str = DEFAULT_PASSWORD) -> Response:
    return client.post("/api/auth/token", {"username": username, "password": password})


def fail(client: ApiClient, username: str, times: int) -> None:
    for _ in range(times):
        assert log_in(client, username, WRONG_PASSWORD).status_code == 401


def retry_after(response: Response) -> int:
    error = error_of(response, 429)
    assert error["code"] == "too_many_requests"
    return int(response.headers["Retry-After"])


def test_five_failures_lock_the_account_even_against_the_right_password(
    anonymous_api: ApiClient, user: User
) -> None:
    fail(anonymous_api, user.username, ACCOUNT_LIMIT)

    response = log_in(anonymous_api, user.username)

    assert 0 < retry_after(response) <= WINDOW
    assert "Try again in 15 minutes" in response.json()["error"]["message"]


def test_every_attempt_during_the_lock_is_refused(anonymous_api: ApiClient, user: User) -> None:
    fail(anonymous_api, user.username, ACCOUNT_LIMIT)

    answers = [log_in(anonymous_api, user.username, WRONG_PASSWORD) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [429, 429, 429]


def test_an_unknown_username_is_locked_like_a_known_one(anonymous_api: ApiClient) -> None:
    # Otherwise the lock would tell which usernames exist.
    fail(anonymous_api, "nobody", ACCOUNT_LIMIT)

    assert retry_after(log_in(anonymous_api, "nobody")) > 0


def test_a_success_before_the_limit_starts_the_count_again(
    anonymous_api: ApiClient, user: User
) -> None:
    fail(anonymous_api, user.username, ACCOUNT_LIMIT - 1)
    assert log_in(anonymous_api, user.username).status_code == 200

    fail(anonymous_api, user.username, ACCOUNT_LIMIT - 1)

    assert log_in(anonymous_api, user.username).status_code == 200


def test_the_lock_holds_for_the_address_the_failures_came_from(
    anonymous_api_at: Callable[[str], ApiClient], user: User
) -> None:
    guesser, owner = anonymous_api_at("203.0.113.7"), anonymous_api_at("198.51.100.20")
    fail(guesser, user.username, ACCOUNT_LIMIT)

    assert log_in(guesser, user.username).status_code == 429
    assert log_in(owner, user.username).status_code == 200


def test_another_account_from_the_same_address_is_locked_only_at_the_address_limit(
    anonymous_api: ApiClient, user: User, other_user: User
) -> None:
    fail(anonymous_api, user.username, ACCOUNT_LIMIT)
    fail(anonymous_api, other_user.username, ADDRESS_LIMIT - ACCOUNT_LIMIT)

    response = log_in(anonymous_api, other_user.username)

    assert retry_after(response) > 0
    assert "from your address" in response.json()["error"]["message"]


def test_the_address_limit_counts_failures_only(anonymous_api: ApiClient, other_user: User) -> None:
    # A shared address (an office, a campus) where many people log in is not locked by it.
    people = UserFactory.create_batch(ADDRESS_LIMIT + 1)

    answers = [log_in(anonymous_api, person.username).status_code for person in people]

    assert answers == [200] * len(people)


def test_the_window_passing_lets_the_user_in_again(
    anonymous_api: ApiClient, user: User, move_clock: Callable[[float], None]
) -> None:
    fail(anonymous_api, user.username, ACCOUNT_LIMIT)
    move_clock(WINDOW - 300)
    assert 290 < retry_after(log_in(anonymous_api, user.username)) <= 300

    move_clock(300)

    assert log_in(anonymous_api, user.username).status_code == 200


def registration(name: str) -> dict[str, Any]:
    return {"username": name, "email": f"{name}@example.com", "password": DEFAULT_PASSWORD}


def test_sign_ups_are_limited_per_address(
    anonymous_api_at: Callable[[str], ApiClient], user: User
) -> None:
    client = anonymous_api_at("203.0.113.7")
    # Every attempt counts, a refused one (a taken username) too.
    answers = [client.post("/api/auth/register", registration(name)) for name in ("amy", "ben")]
    answers.append(client.post("/api/auth/register", registration(user.username)))
    assert [answer.status_code for answer in answers] == [201, 201, 409]

    assert retry_after(client.post("/api/auth/register", registration("cat"))) > 0
    elsewhere = anonymous_api_at("198.51.100.20").post("/api/auth/register", registration("cat"))
    assert elsewhere.status_code == 201


def test_a_forwarded_for_header_does_not_move_the_client(anonymous_api: ApiClient) -> None:
    # No proxy is trusted by default (TRUSTED_PROXY_HOPS=0): the header is the client's own.
    answers = [
        anonymous_api.post(
            "/api/auth/register",
            registration(name),
            headers={"X-Forwarded-For": f"203.0.113.{number}"},
        )
        for number, name in enumerate(["amy", "ben", "cat", "dan"])
    ]

    assert [answer.status_code for answer in answers] == [201, 201, 201, 429]
