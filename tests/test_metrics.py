"""Metrics under `make serve`: counts of every gunicorn worker add up in one scrape (issue 17).

For each framework a project is rendered, installed and migrated, then served by `make serve`
with two gunicorn workers, as production serves it. Known traffic goes in from several threads
at once, so that both workers answer: health checks, a user's task read with an API token, and
paths that match no route. /metrics must then count exactly that traffic, by route pattern,
whichever worker answered; the multiprocess directory must hold the files of two workers; and a
stale file of an earlier run left there must have been cleared at start.
"""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from servers import HOST, prepare_project
from serving_support import SERVED_HOST, production_env, serving
from support import python_interpreter

PYTHON_VERSION = "3.12"
HEALTH_CHECKS = 40
TASK_READS = 10
UNMATCHED = 3
SAMPLE = re.compile(r"^(?P<name>[a-z_]+)(?:\{(?P<labels>.*)\})? (?P<value>\S+)$")
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def call(
    port: int,
    method: str,
    path: str,
    body: Any = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        payload = None if body is None else json.dumps(body)
        all_headers = {"Host": SERVED_HOST, "Content-Type": "application/json", **(headers or {})}
        connection.request(method, path, body=payload, headers=all_headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def scrape(port: int) -> Samples:
    status, body = call(port, "GET", "/metrics")
    assert status == 200, body[:500]
    samples: Samples = {}
    for line in body.decode().splitlines():
        if not line or line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        assert match, line
        labels = frozenset(LABEL.findall(match["labels"] or ""))
        samples[(match["name"], labels)] = float(match["value"])
    return samples


def count(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def gained(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return count(after, name, **labels) - count(before, name, **labels)


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["django", "flask"])
def test_counts_of_two_workers_add_up_in_one_scrape(
    framework: str, tmp_path: Path, template_repo: Path, tool_env: dict[str, str]
) -> None:
    env = dict(tool_env)
    env["UV_PYTHON"] = python_interpreter(PYTHON_VERSION)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    project = prepare_project(template_repo, tmp_path / "project", env, framework=framework)
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    # What a crashed earlier run would leave: unreadable, it breaks every scrape unless cleared.
    (metrics_dir / "counter_1.db").write_bytes(b"left over from an earlier run")
    production = {**production_env(env), "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    assert production["WEB_CONCURRENCY"] == "2"

    with serving(project, production, tmp_path / "serve.log") as port:
        credentials = {"username": "counter", "password": "a-long-robust-password-1"}
        status, body = call(port, "POST", "/api/auth/register", {**credentials, "email": "c@x.io"})
        assert status == 201, body
        status, body = call(port, "POST", "/api/auth/token", credentials)
        assert status == 200, body
        bearer = {"Authorization": f"Bearer {json.loads(body)['token']}"}
        status, body = call(port, "POST", "/api/tasks", {"title": "Counted"}, bearer)
        assert status == 201, body
        task = f"/api/tasks/{json.loads(body)['id']}"
        before = scrape(port)

        traffic = (
            [("/api/health", None)] * HEALTH_CHECKS
            + [(task, bearer)] * TASK_READS
            + [(f"/api/no-such-thing/{n}", None) for n in range(UNMATCHED)]
        )
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(
                pool.map(
                    lambda request: call(port, "GET", request[0], None, request[1])[0], traffic
                )
            )
        assert statuses == [200] * (HEALTH_CHECKS + TASK_READS) + [404] * UNMATCHED

        after = scrape(port)

    total = "http_requests_total"
    assert gained(before, after, total, method="GET", route="/api/health", status="200") == 40
    assert (
        gained(before, after, total, method="GET", route="/api/tasks/{task_id}", status="200") == 10
    )
    assert gained(before, after, total, method="GET", route="<unmatched>", status="404") == 3
    timed = "http_request_duration_seconds_count"
    assert gained(before, after, timed, method="GET", route="/api/health") == 40
    assert gained(before, after, timed, method="GET", route="/api/tasks/{task_id}") == 10
    # The raw path is never a label.
    assert not any(task in dict(labels).get("route", "") for _, labels in after)
    # Each worker writes its own file, named by its pid: both workers answered requests.
    worker_files = sorted(path.name for path in metrics_dir.glob("counter_*.db"))
    assert len(worker_files) == 2, worker_files
    assert "counter_1.db" not in worker_files
