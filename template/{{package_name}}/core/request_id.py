"""The request id: one string that names a request, on its response and on every log line of it.

A request gets its id as it arrives: the `X-Request-ID` the proxy in front sent, when there is
a trusted proxy (TRUSTED_PROXY_HOPS > 0) and the value is a plain token of at most 128
characters; otherwise a new one. A client that speaks to the app directly could choose any id,
so its header is not believed. The id lives in a context variable while the request runs:
`RequestIdFilter` writes it into every log record (a `request_id` field of each JSON line), and
each framework's glue sends it back in the `X-Request-ID` response header (docs/adr/0016).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token

HEADER = "X-Request-ID"
#: What an id from a proxy may look like: letters, digits and `-_.:+=/`, 1 to 128 of them
#: (a UUID, nginx's `$request_id`, a load balancer's trace id). Anything else, such as spaces,
#: quotes or line breaks, is replaced with a new id, never written to a log.
ACCEPTED = re.compile(r"[A-Za-z0-9._:+=/-]{1,128}")
#: How gunicorn's access log names the response header among its atoms (see RequestIdFilter).
ACCESS_LOG_ATOM = "{x-request-id}o"

_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def new() -> str:
    """A fresh id: 32 hexadecimal digits of a random UUID."""
    return uuid.uuid4().hex


def is_acceptable(value: str | None) -> bool:
    return value is not None and ACCEPTED.fullmatch(value) is not None


def choose(header: str | None, *, trusted_proxy_hops: int) -> str:
    """The id of a request whose `X-Request-ID` header is `header` (None when absent)."""
    if trusted_proxy_hops > 0 and header is not None and is_acceptable(header):
        return header
    return new()


def current() -> str | None:
    """The id of the request (or job) this code runs for; None outside of one."""
    return _current.get()


def set_current(request_id: str) -> Token[str | None]:
    """Make `request_id` the current id until `reset` with the token (a job's start and end)."""
    return _current.set(request_id)


def reset(token: Token[str | None]) -> None:
    _current.reset(token)


@contextmanager
def bound(request_id: str) -> Iterator[str]:
    """Make `request_id` the current id until the block ends."""
    token = _current.set(request_id)
    try:
        yield request_id
    finally:
        _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to each record written during a request or a job.

    gunicorn writes its access line after the response has left, outside of the request's
    context: that line takes the id from the response's `X-Request-ID` header, which gunicorn
    hands to the record among its atoms.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = current()
        if request_id is None and isinstance(record.args, Mapping):
            atom = record.args.get(ACCESS_LOG_ATOM)
            request_id = atom if isinstance(atom, str) and is_acceptable(atom) else None
        if request_id is not None:
            record.request_id = request_id
        return True
