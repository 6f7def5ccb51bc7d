"""E-mail with jobs: a request queues the message and the worker sends it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import pytest

from ..factories import User

if TYPE_CHECKING:
    from ..contract import ApiClient

pytestmark = pytest.mark.usefixtures("queued_mail")


def ask_for_reset(api: ApiClient, address: str) -> int:
    return api.post("/api/auth/password-reset", {"email": address}).status_code


def test_the_worker_sends_the_mail_a_request_queued(
    anonymous_api: ApiClient, user: User, outbox: list[Any]
) -> None:
    assert ask_for_reset(anonymous_api, user.email) == 202

    [message] = outbox
    assert message.to == [user.email]
    assert "/accounts/reset/" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "/accounts/reset/" in html


@pytest.mark.usefixtures("unreachable_broker")
def test_a_broker_that_is_down_is_logged_and_the_answer_stays_the_same(
    anonymous_api: ApiClient, user: User, outbox: list[Any], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        assert ask_for_reset(anonymous_api, user.email) == 202

    assert outbox == []  # not sent by the request itself either
    assert "Could not queue the e-mail" in caplog.text
