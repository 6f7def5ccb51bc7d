"""The password reset pages: ask for a link, follow it, choose a new password."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from ..factories import User, UserFactory
from .test_signup_and_login import csrf_token_from, fields_with_errors, page_of, post_form

LOGIN_URL = "/accounts/login/"
RESET_URL = "/accounts/password-reset/"
SENT_URL = "/accounts/password-reset/sent/"
TASKS_URL = "/tasks/"
NEW_PASSWORD = "a-long-and-unusual-passphrase"
INVALID_LINK = "This link is invalid or has expired"


def mailed_link_path(client: FlaskClient, user: User, outbox: list[Any]) -> str:
    post_form(client, RESET_URL, {"email": user.email})
    found = re.search(r"https?://[^/\s]+(/\S+)", outbox[-1].body)
    assert found is not None
    return found.group(1)


def choose(client: FlaskClient, path: str, password: str, again: str | None = None) -> TestResponse:
    return post_form(client, path, {"password": password, "confirm": again or password})


def test_the_log_in_page_links_to_the_reset_page(client: FlaskClient) -> None:
    assert f'<a href="{RESET_URL}">Forgot your password?</a>' in page_of(client.get(LOGIN_URL))


def test_a_known_and_an_unknown_address_get_the_same_page(
    client: FlaskClient, user: User, outbox: list[Any]
) -> None:
    known = post_form(client, RESET_URL, {"email": user.email})
    unknown = post_form(client, RESET_URL, {"email": "nobody@example.com"})

    assert known.headers["Location"] == unknown.headers["Location"] == SENT_URL
    assert [message.to for message in outbox] == [[user.email]]
    assert "Check your inbox" in page_of(client.get(SENT_URL))


def test_a_malformed_address_is_shown_next_to_its_field(
    client: FlaskClient, outbox: list[Any]
) -> None:
    response = post_form(client, RESET_URL, {"email": "not-an-address"})

    assert response.status_code == 200
    assert fields_with_errors(response) == ["email"]
    assert outbox == []


def test_the_request_form_needs_its_csrf_token(client: FlaskClient, user: User) -> None:
    assert client.post(RESET_URL, data={"email": user.email}).status_code == 403


def test_the_link_sets_a_new_password_and_sends_to_log_in(
    client: FlaskClient, user: User, outbox: list[Any]
) -> None:
    path = mailed_link_path(client, user, outbox)
    assert 'name="password"' in page_of(client.get(path))

    response = choose(client, path, NEW_PASSWORD)

    assert response.headers["Location"] == LOGIN_URL
    assert "Your new password is set" in page_of(client.get(LOGIN_URL))
    logged_in = post_form(client, LOGIN_URL, {"username": user.username, "password": NEW_PASSWORD})
    assert logged_in.headers["Location"] == TASKS_URL


def test_a_weak_password_is_shown_next_to_its_field_and_the_link_still_works(
    client: FlaskClient, user: User, outbox: list[Any]
) -> None:
    path = mailed_link_path(client, user, outbox)

    response = choose(client, path, "qwertyuiop")

    assert response.status_code == 200
    assert fields_with_errors(response) == ["password"]
    assert choose(client, path, NEW_PASSWORD).status_code == 302


def test_two_different_passwords_are_refused(
    client: FlaskClient, user: User, outbox: list[Any]
) -> None:
    path = mailed_link_path(client, user, outbox)

    response = choose(client, path, NEW_PASSWORD, "another-long-unusual-passphrase")

    assert response.status_code == 200
    assert fields_with_errors(response) == ["confirm"]


def test_a_used_link_shows_the_invalid_link_page(
    client: FlaskClient, user: User, outbox: list[Any]
) -> None:
    path = mailed_link_path(client, user, outbox)
    choose(client, path, NEW_PASSWORD)

    response = client.get(path)

    assert response.status_code == 400
    assert INVALID_LINK in page_of(response)
    assert f'href="{RESET_URL}"' in page_of(response)


def test_a_made_up_link_shows_the_invalid_link_page(client: FlaskClient, user: User) -> None:
    path = "/accounts/reset/made-up"
    token = csrf_token_from(client, RESET_URL)

    for response in (client.get(path), client.post(path, data={"csrf_token": token})):
        assert response.status_code == 400
        assert INVALID_LINK in page_of(response)


def test_each_account_of_a_shared_address_gets_its_own_link(
    client: FlaskClient, user: User, outbox: list[Any]
) -> None:
    UserFactory.create(username="alice2", email=user.email)

    post_form(client, RESET_URL, {"email": user.email})

    assert len(outbox) == 2
    assert outbox[0].body != outbox[1].body
