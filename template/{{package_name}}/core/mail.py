"""Sending mail that never decides a request's answer: a failure is logged, not raised.

The project's mail layer builds messages with a `subject` and a `send()` that raises an
OSError when the server is down or refuses; this module needs nothing else of them.
"""

from __future__ import annotations

import logging
from typing import Protocol

logger = logging.getLogger(__name__)


class Message(Protocol):
    @property
    def subject(self) -> object: ...  # text, or a lazily translated one

    def send(self, fail_silently: bool = False) -> int: ...


def send(message: Message) -> bool:
    """Send `message`; a mail server that is down or refuses is logged, and the caller goes on
    (its answer must not depend on the mail). Whether it went out."""
    try:
        message.send()
    except OSError:  # smtplib's errors, a refused connection and a timeout are all OSErrors
        logger.exception("Could not send the e-mail %r", message.subject)
        return False
    return True
