"""A job is part of the request that queued it: its log lines carry the request's id, and its
span is in the request's trace. Both travel in the job's message, so these tests run the job
in a worker of its own (a thread, on an in-memory broker), as a real worker would."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from celery.contrib.testing.worker import start_worker
from opentelemetry.trace import SpanKind

from ..log_lines import json_log_lines
from .test_jobs_api import GOOD_CSV, csv_file

if TYPE_CHECKING:
    from celery import Celery
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from ..contract import ApiClient

WAIT_SECONDS = 10
ON_A_WORKER = {
    "task_always_eager": False,
    "broker_url": "memory://",
    "broker_transport_options": {"polling_interval": 0.01},
}


@pytest.fixture
def worker(celery_app: Celery[Any]) -> Iterator[None]:
    """A worker in a thread of this process: jobs leave the request as messages, as in
    production, and no longer run in the request's own context."""
    conf = celery_app.conf
    before = {name: conf[name] for name in ON_A_WORKER}
    conf.update(ON_A_WORKER)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False):
            yield
    finally:
        conf.update(before)


def wait_for(found: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not found():
        assert time.monotonic() < deadline, "the worker did not finish the job in time"
        time.sleep(0.02)


def start_import(api: ApiClient, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """Queue an import; its job's id and the request's id."""
    response = api.upload("/api/tasks/import?async=1", csv_file(GOOD_CSV), headers=headers)
    assert response.status_code == 202, response.content
    return response.json()["job_id"], response.headers["X-Request-ID"]


@pytest.mark.usefixtures("worker")
def test_the_log_lines_of_a_job_carry_the_id_of_its_request(api: ApiClient) -> None:
    with json_log_lines() as lines:
        job_id, request_id = start_import(api)
        ended = f"Job {job_id} succeeded"
        wait_for(lambda: any(line["message"].startswith(ended) for line in lines()))

    (line,) = [line for line in lines() if line["message"].startswith(ended)]
    assert line["request_id"] == request_id


@pytest.mark.usefixtures("worker")
def test_a_job_queued_behind_a_trusted_proxy_carries_the_proxys_id(
    api: ApiClient, change_settings: Callable[..., None]
) -> None:
    change_settings(TRUSTED_PROXY_HOPS=1)

    with json_log_lines() as lines:
        job_id, request_id = start_import(api, {"X-Request-ID": "import-42"})
        ended = f"Job {job_id} succeeded"
        wait_for(lambda: any(line["message"].startswith(ended) for line in lines()))

    assert request_id == "import-42"
    assert [line["request_id"] for line in lines() if line["message"].startswith(ended)] == [
        "import-42"
    ]


def test_a_job_is_traced_in_the_trace_of_its_request(
    traced_api: ApiClient, span_exporter: InMemorySpanExporter, worker: None
) -> None:
    start_import(traced_api)

    def job_spans() -> list[Any]:
        spans = span_exporter.get_finished_spans()
        return [span for span in spans if span.kind == SpanKind.CONSUMER]

    wait_for(lambda: bool(job_spans()))
    spans = span_exporter.get_finished_spans()
    (request,) = [span for span in spans if span.kind == SpanKind.SERVER]
    (job,) = job_spans()
    assert job.context.trace_id == request.context.trace_id
    assert "import_tasks_job" in job.name
