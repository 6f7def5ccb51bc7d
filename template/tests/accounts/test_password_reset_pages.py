"""The password reset pages: ask for a link, follow it, choose a new password."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from ..factories import DEFAULT_PASSWORD, User, UserFactory

LOGIN_URL = "/accounts/login/"
RESET_URL = "/accounts/password-reset/"
SENT_URL = "/accounts/password-reset/sent/"
TASKS_URL = "/tasks/"
NEW_PASSWORD = "a-long-and-unusual-passphrase"
INVALID_LINK = "This link is invalid or has expired"

pytestmark = pytest.mark.django_db


def mailed_link_path(client: Client, user: User) -> str:
    client.post(RESET_URL, {"email": user.email})
    found = re.search(r"https?://[^/\s]+(/\S+)", str(mail.outbox[-1].body))
    assert found is not None
    return found.group(1)


def choose(client: Client, path: str, password: str, again: str | None = None) -> Any:
    return client.post(path, {"new_password1": password, "new_password2": again or password})


def test_the_log_in_page_links_to_the_reset_page(client: Client) -> None:
    html = client.get(LOGIN_URL).content.decode()

    assert f'<a href="{RESET_URL}">Forgot your password?</a>' in html


def test_a_known_and_an_unknown_address_get_the_same_page(
    client: Client, user: User, outbox: list[Any]
) -> None:
    known = client.post(RESET_URL, {"email": user.email})
    unknown = client.post(RESET_URL, {"email": "nobody@example.com"})

    assert known["Location"] == unknown["Location"] == SENT_URL
    assert [message.to for message in outbox] == [[user.email]]
    assert "Check your inbox" in client.get(SENT_URL).content.decode()


def test_a_malformed_address_is_shown_next_to_its_field(client: Client, outbox: list[Any]) -> None:
    response = client.post(RESET_URL, {"email": "not-an-address"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert outbox == []


def test_the_link_sets_a_new_password_and_sends_to_log_in(client: Client, user: User) -> None:
    path = mailed_link_path(client, user)
    assert 'name="new_password1"' in client.get(path).content.decode()

    response = choose(client, path, NEW_PASSWORD)

    assert response["Location"] == LOGIN_URL
    assert "Your new password is set" in client.get(LOGIN_URL).content.decode()
    assert client.login(username=user.username, password=NEW_PASSWORD)


def test_a_weak_password_is_shown_next_to_its_field_and_the_link_still_works(
    client: Client, user: User
) -> None:
    path = mailed_link_path(client, user)

    response = choose(client, path, "qwertyuiop")

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["new_password2"]
    assert choose(client, path, NEW_PASSWORD).status_code == 302


def test_two_different_passwords_are_refused(client: Client, user: User) -> None:
    path = mailed_link_path(client, user)

    response = choose(client, path, NEW_PASSWORD, "another-long-unusual-passphrase")

    assert response.status_code == 200
    assert response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_a_used_link_shows_the_invalid_link_page(client: Client, user: User) -> None:
    path = mailed_link_path(client, user)
    choose(client, path, NEW_PASSWORD)

    response = client.get(path)

    assert response.status_code == 400
    html = response.content.decode()
    assert INVALID_LINK in html
    assert f'href="{RESET_URL}"' in html


@pytest.mark.parametrize("token", ["made-up", "MQ.made-up", "%FF.x", "MQ"])
def test_a_made_up_link_shows_the_invalid_link_page(client: Client, user: User, token: str) -> None:
    path = f"/accounts/reset/{token}"
    for response in (client.get(path), choose(client, path, NEW_PASSWORD)):
        assert response.status_code == 400
        assert INVALID_LINK in response.content.decode()


def test_a_new_password_ends_the_users_other_sessions(client: Client, user: User) -> None:
    elsewhere = Client()
    elsewhere.force_login(user)
    assert elsewhere.get(TASKS_URL).status_code == 200

    choose(client, mailed_link_path(client, user), NEW_PASSWORD)

    assert elsewhere.get(TASKS_URL).status_code == 302


def test_each_account_of_a_shared_address_gets_its_own_link(
    client: Client, user: User, outbox: list[Any]
) -> None:
    UserFactory.create(username="alice2", email=user.email)

    client.post(RESET_URL, {"email": user.email})

    assert len(outbox) == 2
    assert outbox[0].body != outbox[1].body
