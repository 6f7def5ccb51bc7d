"""Error reports to Sentry: off unless SENTRY_DSN is set (docs/adr/0016).

sentry-sdk finds the libraries the project uses (its web framework, its ORM, ...) and turns on
its integration for each: an unhandled error, and every log record at level ERROR, becomes an
event, tagged with the request id of core/request_id.py. Off, sentry-sdk is
not imported. Neither who the user is nor the bodies of requests (passwords, uploaded files)
are sent; headers and cookies pass sentry-sdk's scrubbing of sensitive names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import request_id

if TYPE_CHECKING:
    from sentry_sdk.types import Event, Hint


def start(dsn: str, *, environment: str, transport: Any = None) -> bool:
    """Send errors to the Sentry project of `dsn`; an empty `dsn` leaves reporting off.

    `transport` replaces the one that sends over HTTP (the tests keep the events in memory).
    """
    if not dsn:
        return False
    import sentry_sdk

    options: dict[str, Any] = {} if transport is None else {"transport": transport}
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        data_collection={"user_info": False, "http_bodies": []},
        before_send=tag_with_request_id,
        **options,
    )
    return True


def tag_with_request_id(event: Event, hint: Hint) -> Event:
    """The event of a request or a job names its request id, as its log lines do."""
    current = request_id.current()
    if current is not None:
        event.setdefault("tags", {})["request_id"] = current
    return event
