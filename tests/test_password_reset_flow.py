"""Password reset by e-mail, end to end, through a real SMTP server (issue 16).

For each framework a project is rendered, installed and migrated, and `make run` serves it with
EMAIL_URL pointing at an SMTP server (aiosmtpd) that this test runs on loopback. A user signs up;
a reset request through the API makes the server send a mail, which the SMTP server receives;
the test takes the one link from the mail's plain text, sets a new password with its token
through the API, and logs in with it. A second mail's link is then followed as a browser
would: its page, its form with the CSRF token, and the log-in page it sends to.
"""

from __future__ import annotations

import email
import re
import threading
import urllib.parse
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from contract_scenario import Client
from robustness_support import Browser, send_json
from servers import HOST, free_port, prepare_project, running_server
from support import python_interpreter

PYTHON_VERSION = "3.12"
PASSWORD = "a-long-robust-password-1"
NEW_PASSWORD = "a-new-and-unusual-passphrase"
NEWER_PASSWORD = "another-new-unusual-passphrase"
LINK = re.compile(r"https?://\S+")
MAIL_TIMEOUT = 20.0
# The set-new-password form's fields, as each framework's form names them.
NEW_PASSWORD_FIELDS = {
    "django": ("new_password1", "new_password2"),
    "flask": ("password", "confirm"),
}


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        message = email.message_from_bytes(envelope.original_content or b"", policy=default_policy)
        assert isinstance(message, EmailMessage)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int) -> EmailMessage:
        """The `count`-th message, once it has arrived."""
        with self.arrived:
            received = self.arrived.wait_for(lambda: len(self.messages) >= count, MAIL_TIMEOUT)
        assert received, f"no mail number {count} within {MAIL_TIMEOUT} s"
        return self.messages[count - 1]


def text_of(message: EmailMessage, subtype: str) -> str:
    part = message.get_body((subtype,))
    assert part is not None, f"the mail has no text/{subtype} part"
    return str(part.get_content())


def mailed_link(client: Client, inbox: Inbox, address: str) -> urllib.parse.SplitResult:
    """Ask the server for a reset link for `address`; the link of the mail that arrives."""
    expected = len(inbox.messages) + 1
    answer = send_json(client, "POST", "/api/auth/password-reset", {"email": address})
    assert answer.status == 202, answer.text()
    message = inbox.wait_for(expected)
    assert message["To"] == address
    links = LINK.findall(text_of(message, "plain"))
    assert len(links) == 1, text_of(message, "plain")
    assert links[0] in text_of(message, "html")
    return urllib.parse.urlsplit(links[0])


def can_log_in(client: Client, username: str, password: str) -> bool:
    answer = send_json(
        client, "POST", "/api/auth/token", {"username": username, "password": password}
    )
    return answer.status == 200


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["django", "flask"])
def test_a_forgotten_password_is_reset_through_the_mailed_link(
    framework: str, tmp_path: Path, template_repo: Path, tool_env: dict[str, str]
) -> None:
    env = dict(tool_env)
    env["UV_PYTHON"] = python_interpreter(PYTHON_VERSION)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    project = prepare_project(template_repo, tmp_path / "project", env, framework=framework)
    inbox = Inbox()
    smtp = Controller(inbox, hostname=HOST, port=free_port())
    smtp.start()
    env["EMAIL_URL"] = f"smtp://{HOST}:{smtp.port}"
    try:
        with running_server(project, env, tmp_path / "run.log") as base_url:
            client = Client(base_url)
            account = {"username": "alice", "email": "alice@example.com", "password": PASSWORD}
            assert send_json(client, "POST", "/api/auth/register", account).status == 201

            # Through the API: the token is the link's last path segment.
            link = mailed_link(client, inbox, "alice@example.com")
            assert f"{link.scheme}://{link.netloc}" == base_url
            token = link.path.rsplit("/", 1)[-1]
            confirm = {"token": token, "password": NEW_PASSWORD}
            path = "/api/auth/password-reset/confirm"
            assert send_json(client, "POST", path, confirm).status == 204
            assert can_log_in(client, "alice", NEW_PASSWORD)
            assert not can_log_in(client, "alice", PASSWORD)
            assert send_json(client, "POST", path, confirm).status == 400  # used once already

            # As a browser: the link's page, its form, then the log-in page.
            link = mailed_link(client, inbox, "alice@example.com")
            browser = Browser(client)
            page = browser.page(link.path)
            found = Browser.CSRF_INPUT.search(page)
            assert found, "the new password form has no CSRF token"
            first, again = NEW_PASSWORD_FIELDS[framework]
            form = {found.group(1): found.group(2), first: NEWER_PASSWORD, again: NEWER_PASSWORD}
            body = urllib.parse.urlencode(form).encode()
            answer = browser.request("POST", link.path, body, "application/x-www-form-urlencoded")
            assert answer.status == 302, answer.text()
            assert answer.headers["Location"].endswith("/accounts/login/")
            assert "Your new password is set" in browser.page("/accounts/login/")
            assert can_log_in(client, "alice", NEWER_PASSWORD)
            assert "invalid or has expired" in browser.request("GET", link.path).text()
    finally:
        smtp.stop()
