"""What a job keeps of the request that queued it: its request id and its trace (docs/adr/0016).

The id travels in a header of the job's message, set as the message leaves (Celery's
`before_task_publish`), and is the current id while the worker runs the job (`task_prerun` to
`task_postrun`), so the job's log lines carry the request's id. A job queued outside of a
request (a command) gets an id of its own. `trace_jobs` turns on OpenTelemetry's Celery
instrumentation, which carries the trace the same way, in the `traceparent` header.
Imported by the Celery app of the project, so these receivers are connected in the web process
and in the worker alike.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import Token
from typing import TYPE_CHECKING, Any

from celery import Task
from celery.signals import before_task_publish, task_postrun, task_prerun

from ..core import request_id, tracing

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

#: The message header that carries the request id (a job's `task.request` reads it back).
REQUEST_ID_HEADER = "request_id"

_bound: dict[str, Token[str | None]] = {}


@before_task_publish.connect
def send_the_request_id(headers: dict[str, Any] | None = None, **_: object) -> None:
    current = request_id.current()
    if headers is not None and current is not None:
        headers[REQUEST_ID_HEADER] = current


@task_prerun.connect
def bind_the_request_id(task_id: str, task: Task[Any, Any], **_: object) -> None:
    received = getattr(task.request, REQUEST_ID_HEADER, None)
    if isinstance(received, str) and request_id.is_acceptable(received):
        chosen = received
    else:  # run in the process that queued it (eager), or queued outside of a request
        chosen = request_id.current() or request_id.new()
    _bound[task_id] = request_id.set_current(chosen)


@task_postrun.connect
def unbind_the_request_id(task_id: str, **_: object) -> None:
    token = _bound.pop(task_id, None)
    if token is not None:
        request_id.reset(token)


def trace_jobs(provider: TracerProvider) -> Callable[[], None]:
    """A span for each job queued and each job run; the run's is a child of the queuing one,
    in the trace of the request that queued it."""
    from opentelemetry.instrumentation.celery import CeleryInstrumentor

    # OpenTelemetry's instrumentations come without type hints.
    instrumentor = CeleryInstrumentor()  # type: ignore[no-untyped-call]
    return tracing.instrument(instrumentor, provider)
