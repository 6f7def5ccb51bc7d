"""Password reset by e-mail: `/api/auth/password-reset` and `/api/auth/password-reset/confirm`.

A reset request is accepted (202) whatever the address, and only an account's address gets a
mail. The mail's plain-text part holds one link, whose last path segment is the token that
`confirm` takes, once, before it expires. A real SMTP server on loopback receives the mail in
one test; the others read the test settings' in-memory outbox.
"""

from __future__ import annotations

import email
import logging
import re
import socket
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from ..factories import DEFAULT_PASSWORD, User
from .helpers import bad_fields_of, error_of

if TYPE_CHECKING:
    from ..contract import ApiClient, Response, Store

NEW_PASSWORD = "a-long-and-unusual-passphrase"
LINK = re.compile(r"https?://\S+")


def ask_for_reset(api: ApiClient, address: str) -> Response:
    return api.post("/api/auth/password-reset", {"email": address})


def confirm(api: ApiClient, token: str, password: str = NEW_PASSWORD) -> Response:
    return api.post("/api/auth/password-reset/confirm", {"token": token, "password": password})


def link_in(text: str) -> str:
    """The one link of a mail's plain text."""
    links = LINK.findall(text)
    assert len(links) == 1, text
    return str(links[0])


def token_of(link: str) -> str:
    return urlsplit(link).path.rsplit("/", 1)[-1]


def mailed_token(api: ApiClient, user: User, outbox: list[Any]) -> str:
    """Ask for a reset link for `user` and take the token from the mail."""
    assert ask_for_reset(api, user.email).status_code == 202
    return token_of(link_in(outbox[-1].body))


def can_log_in(api: ApiClient, user: User, password: str) -> bool:
    response = api.post("/api/auth/token", {"username": user.username, "password": password})
    return response.status_code == 200


def test_a_known_address_gets_a_mail_with_one_link_in_text_and_html(
    anonymous_api: ApiClient, user: User, outbox: list[Any]
) -> None:
    response = ask_for_reset(anonymous_api, user.email)

    assert response.status_code == 202
    assert response.content == b""
    assert [message.to for message in outbox] == [[user.email]]
    message = outbox[0]
    link = link_in(message.body)
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{link}"' in html


def test_the_token_is_one_url_safe_segment(
    anonymous_api: ApiClient, user: User, outbox: list[Any]
) -> None:
    token = mailed_token(anonymous_api, user, outbox)

    assert re.fullmatch(r"[A-Za-z0-9._~-]+", token)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    anonymous_api: ApiClient, user: User, outbox: list[Any]
) -> None:
    known = ask_for_reset(anonymous_api, user.email)
    outbox.clear()

    unknown = ask_for_reset(anonymous_api, "nobody@example.com")

    assert (unknown.status_code, unknown.content) == (known.status_code, known.content)
    assert outbox == []


def test_the_address_matches_whatever_its_case(
    anonymous_api: ApiClient, user: User, outbox: list[Any]
) -> None:
    assert ask_for_reset(anonymous_api, user.email.upper()).status_code == 202

    assert [message.to for message in outbox] == [[user.email]]


def test_an_inactive_user_gets_no_mail(
    anonymous_api: ApiClient, user: User, store: Store, outbox: list[Any]
) -> None:
    store.deactivate(user)

    assert ask_for_reset(anonymous_api, user.email).status_code == 202
    assert outbox == []


@pytest.mark.parametrize("address", ["", "not-an-address", "alice@exa\x00mple.com"])
def test_an_invalid_address_names_the_field(
    anonymous_api: ApiClient, address: str, outbox: list[Any]
) -> None:
    assert list(bad_fields_of(ask_for_reset(anonymous_api, address))) == ["email"]
    assert outbox == []


def test_the_token_sets_a_new_password(
    anonymous_api: ApiClient, user: User, outbox: list[Any]
) -> None:
    token = mailed_token(anonymous_api, user, outbox)

    response = confirm(anonymous_api, token)

    assert response.status_code == 204
    assert can_log_in(anonymous_api, user, NEW_PASSWORD)
    assert not can_log_in(anonymous_api, user, DEFAULT_PASSWORD)


def test_a_token_works_once(anonymous_api: ApiClient, user: User, outbox: list[Any]) -> None:
    token = mailed_token(anonymous_api, user, outbox)
    assert confirm(anonymous_api, token).status_code == 204

    response = confirm(anonymous_api, token, "another-long-unusual-passphrase")

    assert error_of(response, 400)["code"] == "invalid_token"
    assert can_log_in(anonymous_api, user, NEW_PASSWORD)


def test_a_new_link_replaces_nothing_until_one_is_used(
    anonymous_api: ApiClient, user: User, outbox: list[Any]
) -> None:
    first = mailed_token(anonymous_api, user, outbox)
    second = mailed_token(anonymous_api, user, outbox)
    assert confirm(anonymous_api, second).status_code == 204

    assert error_of(confirm(anonymous_api, first), 400)["code"] == "invalid_token"


# Not the last character: it may carry bits that decoding ignores.
@pytest.mark.parametrize("position", [0, 10, -5], ids=["start", "middle", "signature"])
def test_a_tampered_token_is_invalid(
    anonymous_api: ApiClient, user: User, outbox: list[Any], position: int
) -> None:
    token = mailed_token(anonymous_api, user, outbox)
    swapped = "A" if token[position] != "A" else "B"
    tampered = token[:position] + swapped + token[position:][1:]

    response = confirm(anonymous_api, tampered)

    assert error_of(response, 400)["code"] == "invalid_token"
    assert can_log_in(anonymous_api, user, DEFAULT_PASSWORD)


@pytest.mark.parametrize(
    "token",
    [
        "made-up",
        "MQ.made-up",
        "x" * 300,
        ".",
        "LTE.made-up",  # the id -1
        "OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5.made-up",  # an id too long for the database
        "eyJhbGciOiJub25lIn0.e30.",
    ],
)
def test_a_made_up_token_is_invalid(anonymous_api: ApiClient, user: User, token: str) -> None:
    assert error_of(confirm(anonymous_api, token), 400)["code"] == "invalid_token"


@pytest.mark.usefixtures("expired_reset_links")
def test_an_expired_token_is_invalid(
    anonymous_api: ApiClient, user: User, outbox: list[Any]
) -> None:
    token = mailed_token(anonymous_api, user, outbox)

    response = confirm(anonymous_api, token)

    assert error_of(response, 400)["code"] == "invalid_token"
    assert can_log_in(anonymous_api, user, DEFAULT_PASSWORD)


@pytest.mark.parametrize("password", ["short", "password", "qwertyuiop", "12345678901"])
def test_a_weak_password_names_the_field_and_keeps_the_token(
    anonymous_api: ApiClient, user: User, outbox: list[Any], password: str
) -> None:
    token = mailed_token(anonymous_api, user, outbox)

    assert list(bad_fields_of(confirm(anonymous_api, token, password))) == ["password"]
    assert confirm(anonymous_api, token).status_code == 204


def test_a_password_like_the_username_is_refused(
    anonymous_api: ApiClient, user: User, outbox: list[Any]
) -> None:
    token = mailed_token(anonymous_api, user, outbox)

    response = confirm(anonymous_api, token, f"{user.username}{user.username}123")

    assert list(bad_fields_of(response)) == ["password"]


def test_a_confirm_names_missing_fields(anonymous_api: ApiClient) -> None:
    assert set(bad_fields_of(anonymous_api.post("/api/auth/password-reset/confirm", {}))) == {
        "token",
        "password",
    }


def test_a_new_password_revokes_the_users_api_tokens(
    api: ApiClient, anonymous_api: ApiClient, user: User, outbox: list[Any]
) -> None:
    assert api.get("/api/auth/me").status_code == 200
    token = mailed_token(anonymous_api, user, outbox)

    assert confirm(anonymous_api, token).status_code == 204

    assert error_of(api.get("/api/auth/me"), 401)["code"] == "not_authenticated"


def test_the_link_opens_a_page(anonymous_api: ApiClient, user: User, outbox: list[Any]) -> None:
    assert ask_for_reset(anonymous_api, user.email).status_code == 202

    page = anonymous_api.get(urlsplit(link_in(outbox[0].body)).path)

    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")


# Through a real SMTP server


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        content = envelope.original_content or b""
        parsed = email.message_from_bytes(content, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"


def free_port() -> int:
    """A port nothing listens on (the system's choice, let go again)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def smtp_inbox(use_email_url: Callable[[str], None]) -> Iterator[Inbox]:
    """An SMTP server on loopback that the app's e-mail goes to; what it received."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_email_url(f"smtp://127.0.0.1:{controller.port}")
    yield inbox
    controller.stop()


def part(message: EmailMessage, subtype: str) -> str:
    body = message.get_body((subtype,))
    assert body is not None, f"the mail has no text/{subtype} part"
    return str(body.get_content())


def test_the_mail_goes_through_smtp_and_its_link_resets_the_password(
    anonymous_api: ApiClient, user: User, smtp_inbox: Inbox
) -> None:
    assert ask_for_reset(anonymous_api, user.email).status_code == 202

    [message] = smtp_inbox.messages
    assert message["To"] == user.email
    assert message["Subject"].startswith("Reset your password")
    link = link_in(part(message, "plain"))
    assert link in part(message, "html")
    assert anonymous_api.get(urlsplit(link).path).status_code == 200
    assert confirm(anonymous_api, token_of(link)).status_code == 204
    assert can_log_in(anonymous_api, user, NEW_PASSWORD)


def test_a_mail_server_that_is_down_is_logged_and_the_answer_stays_the_same(
    anonymous_api: ApiClient,
    user: User,
    use_email_url: Callable[[str], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    use_email_url(f"smtp://127.0.0.1:{free_port()}")

    with caplog.at_level(logging.ERROR):
        response = ask_for_reset(anonymous_api, user.email)

    assert response.status_code == 202
    assert response.content == b""
    assert "Could not send the e-mail" in caplog.text
