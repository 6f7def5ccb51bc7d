"""Slow clients must not starve `make serve` (issue 17, item 2; the generated ADR 0014).

A slow client ("slowloris") opens a connection and sends its request header one byte at a
time. A server that reads a request by blocking until its header is complete gives such a
client a whole worker (sync) or thread (gthread) for as long as the client likes. For each
framework a project is served by `make serve` with production settings and two workers, 20
sockets each send one byte of a header every 2 seconds, and meanwhile /api/health is asked 6
times: every answer must be 200 within a second. Against the former serving (sync workers) no
answer came at all.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest

from servers import HOST, InstalledProject
from serving_support import SERVED_HOST, get, production_env, serving

SLOW_CLIENTS = 20
BYTE_EVERY = 2.0  # seconds between two bytes of a slow client's header
HOLD_FOR = 12.0  # seconds the slow clients keep their connections
HEALTH_TRIES = 6
ANSWER_WITHIN = 1.0  # seconds
SLOW_REQUEST = f"GET /api/health HTTP/1.1\r\nHost: {SERVED_HOST}\r\nX-Slow: {'x' * 40}\r\n\r\n"


def hold_slow_connection(port: int, stop: threading.Event, opened: threading.Barrier) -> None:
    """Connect and send SLOW_REQUEST one byte every BYTE_EVERY seconds until stop is set."""
    with socket.create_connection((HOST, port), timeout=5) as connection:
        opened.wait()
        for byte in SLOW_REQUEST.encode():
            try:
                connection.sendall(bytes([byte]))
            except OSError:
                return  # the server gave up on this client: fine, it was slow
            if stop.wait(BYTE_EVERY):
                return


def timed_health(port: int) -> tuple[int | None, float]:
    """GET /api/health: (status or None when no answer came within the 10 s limit, seconds)."""
    start = time.monotonic()
    try:
        status, _, body = get(port, "/api/health")
    except OSError:  # timed out or refused: no answer
        return None, time.monotonic() - start
    elapsed = time.monotonic() - start
    assert status != 200 or json.loads(body)["status"] == "ok", body
    return status, elapsed


@pytest.mark.slow
@pytest.mark.parametrize(
    ("framework", "database"),
    [
        pytest.param("django", "sqlite", id="django-sqlite"),
        pytest.param("flask", "postgresql", id="flask-postgresql"),
    ],
)
def test_health_answers_within_a_second_while_slow_clients_hold_connections(
    framework: str,
    database: str,
    tmp_path: Path,
    installed_project: InstalledProject,
) -> None:
    project, env = installed_project(framework, database)

    with serving(project, production_env(env), tmp_path / "serve.log") as port:
        stop = threading.Event()
        opened = threading.Barrier(SLOW_CLIENTS + 1)
        clients = [
            threading.Thread(target=hold_slow_connection, args=(port, stop, opened), daemon=True)
            for _ in range(SLOW_CLIENTS)
        ]
        for client in clients:
            client.start()
        opened.wait(timeout=10)
        time.sleep(BYTE_EVERY)  # every slow client has begun its header
        answers = []
        try:
            for _ in range(HEALTH_TRIES):
                answers.append(timed_health(port))
                time.sleep(max(0.0, (HOLD_FOR - 2 * BYTE_EVERY) / HEALTH_TRIES - answers[-1][1]))
        finally:
            stop.set()
            for client in clients:
                client.join(timeout=BYTE_EVERY + 5)

    on_time = [elapsed for status, elapsed in answers if status == 200 and elapsed < ANSWER_WITHIN]
    report = ", ".join(f"{status} in {elapsed:.3f} s" for status, elapsed in answers)
    print(f"{framework}: {len(on_time)}/{HEALTH_TRIES} within {ANSWER_WITHIN} s: {report}")
    assert len(on_time) == HEALTH_TRIES, report
