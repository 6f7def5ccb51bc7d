"""Background jobs through a real Celery worker and real brokers (DESIGN.md §3, "With jobs").

For each flavour a project rendered with `include_jobs=true` (SQLite, no git) is installed and
migrated. Then, for each broker running on this machine, Redis and RabbitMQ, its development
server (`make run`) and a worker (`make worker`) are started against that broker, and a CSV
import goes through the API: `POST /api/tasks/import?async=1` answers 202, and
`GET /api/jobs/{id}` is polled until the job has succeeded. The time from the POST to the
first answer that shows the job succeeded is printed (run with `-s` to see it). A file with a
bad row then ends as a failed job that names the row, and nothing of it is stored.

Isolation: the suite runs under pytest-xdist, and other people's workers may share the
brokers. Each run sends its jobs to a queue of its own (CELERY_TASK_DEFAULT_QUEUE, a random
name), which only its own worker consumes, and deletes that queue afterwards. A broker that
cannot be reached fails the test: it is never skipped.

Without jobs, no trace of Celery is left in a project: `test_without_jobs_*`.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from contract_scenario import Client, multipart
from servers import prepare_project, running_server, stop
from support import python_interpreter, question_values, run, tail

FLAVOURS: list[str] = question_values("framework")
PYTHON_VERSION = "3.12"
BROKERS = {
    "redis": os.environ.get("TEMPLATE_TESTS_REDIS_URL", "redis://127.0.0.1:6379/0"),
    "rabbitmq": os.environ.get(
        "TEMPLATE_TESTS_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//"
    ),
}
WORKER_READY = re.compile(r"@\S+ ready\.")
WORKER_STARTUP_TIMEOUT = 60.0
JOB_TIMEOUT = 60.0
POLL_INTERVAL = 0.02
PASSWORD = "analytical-engine-1843"

GOOD_CSV = b"title,category,priority\nWrite the notes,work,high\nBuy milk,home,\nCall Ada,,low\n"
GOOD_TITLES = ["Write the notes", "Buy milk", "Call Ada"]
BAD_CSV = b"title,done\nFine,\n,maybe\n"


# --- brokers ---------------------------------------------------------------------------------


def assert_reachable(name: str, url: str) -> None:
    """Fail, loudly, when nothing listens where the broker should be."""
    parts = urlsplit(url)
    default_port = 6379 if parts.scheme == "redis" else 5672
    address = (parts.hostname or "127.0.0.1", parts.port or default_port)
    try:
        socket.create_connection(address, timeout=5).close()
    except OSError as exc:
        pytest.fail(
            f"the {name} broker at {address[0]}:{address[1]} cannot be reached ({exc}); "
            "the jobs tests need it running (they are never skipped)",
            pytrace=False,
        )


# Runs in the generated project's environment, which has kombu (Celery's messaging library).
DELETE_QUEUE = """
import sys
from kombu import Connection

url, name = sys.argv[1:]
with Connection(url) as connection:
    channel = connection.default_channel
    channel.queue_delete(name)
    channel.exchange_delete(name)
    client = getattr(channel, "client", None)  # Redis: the binding keys kombu leaves behind
    if client is not None:
        for key in client.scan_iter(f"_kombu.binding*.{name}"):
            client.delete(key)
"""


@contextmanager
def own_queue(project: Path, env: Mapping[str, str], broker_url: str) -> Iterator[str]:
    """A queue name no one else uses, deleted from the broker afterwards."""
    name = f"template-tests-{uuid.uuid4().hex[:12]}"
    try:
        yield name
    finally:
        run(
            ["uv", "run", "python", "-c", DELETE_QUEUE, broker_url, name],
            cwd=project,
            env=env,
            timeout=60,
        )


# --- the worker ------------------------------------------------------------------------------


@contextmanager
def running_worker(project: Path, env: Mapping[str, str], log: Path) -> Iterator[None]:
    """`make worker`, until its log says it is ready; stopped with its process group."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["make", "worker"],
            cwd=project,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + WORKER_STARTUP_TIMEOUT
        while not WORKER_READY.search(log.read_text(errors="replace")):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    "`make worker` did not get ready; its output ends:\n"
                    f"{tail(log.read_text(errors='replace'))}",
                    pytrace=False,
                )
            time.sleep(0.1)
        yield
    finally:
        stop(process)


# --- the API ---------------------------------------------------------------------------------


def token_for(client: Client, username: str) -> str:
    account = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
    headers = {"Content-Type": "application/json"}
    registered = client.request(
        "POST", "/api/auth/register", body=json.dumps(account).encode(), headers=headers
    )
    assert registered.status == 201, registered.text()
    credentials = json.dumps({"username": username, "password": PASSWORD}).encode()
    issued = client.request("POST", "/api/auth/token", body=credentials, headers=headers)
    assert issued.status == 200, issued.text()
    token: str = issued.json()["token"]
    return token


def start_import(client: Client, token: str, content: bytes) -> int:
    body, content_type = multipart({"file": ("tasks.csv", content, "text/csv")})
    headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}
    answer = client.request("POST", "/api/tasks/import?async=1", body=body, headers=headers)
    assert answer.status == 202, answer.text()
    job_id: int = answer.json()["job_id"]
    return job_id


def finished_job(client: Client, token: str, job_id: int, worker_log: Path) -> dict[str, Any]:
    """Poll the job until it has succeeded or failed."""
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        answer = client.request("GET", f"/api/jobs/{job_id}", headers=headers)
        assert answer.status == 200, answer.text()
        job: dict[str, Any] = answer.json()
        assert set(job) == {"id", "state", "progress", "result", "error"}
        assert 0 <= job["progress"] <= 100
        if job["state"] in ("succeeded", "failed"):
            return job
        assert job["state"] in ("pending", "running"), job
        time.sleep(POLL_INTERVAL)
    pytest.fail(
        f"job {job_id} did not finish within {JOB_TIMEOUT} s; the worker's output ends:\n"
        f"{tail(worker_log.read_text(errors='replace'))}",
        pytrace=False,
    )


def task_titles(client: Client, token: str) -> list[str]:
    headers = {"Authorization": f"Bearer {token}"}
    answer = client.request("GET", "/api/tasks?size=100&ordering=title", headers=headers)
    assert answer.status == 200, answer.text()
    return [task["title"] for task in answer.json()["items"]]


# --- the tests -------------------------------------------------------------------------------


@pytest.fixture
def project_env(tool_env: dict[str, str]) -> dict[str, str]:
    env = dict(tool_env)
    env["UV_PYTHON"] = python_interpreter(PYTHON_VERSION)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    for name in ("CELERY_BROKER_URL", "CELERY_TASK_DEFAULT_QUEUE", "CELERY_WORKER_HOSTNAME"):
        env.pop(name, None)
    return env


@pytest.mark.slow
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_an_import_runs_as_a_job_on_a_real_worker_with_each_broker(
    flavour: str,
    tmp_path: Path,
    template_repo: Path,
    project_env: dict[str, str],
    record_property: Any,
) -> None:
    for name, url in BROKERS.items():
        assert_reachable(name, url)
    project = prepare_project(
        template_repo,
        tmp_path / "project",
        project_env,
        framework=flavour,
        include_jobs=True,
        python_version=PYTHON_VERSION,
    )

    for broker, broker_url in BROKERS.items():
        with own_queue(project, project_env, broker_url) as queue:
            env = {
                **project_env,
                "CELERY_BROKER_URL": broker_url,
                "CELERY_TASK_DEFAULT_QUEUE": queue,
                # The worker's node name (celery's `--hostname`, read from the environment):
                # RabbitMQ gives each name one exclusive control queue, so no two at once.
                "CELERY_WORKER_HOSTNAME": f"{queue}@%h",
            }
            worker_log = tmp_path / f"worker-{broker}.log"
            with (
                running_worker(project, env, worker_log),
                running_server(project, env, tmp_path / f"server-{broker}.log") as base_url,
            ):
                client = Client(base_url)
                token = token_for(client, f"ada_{broker}")

                # The first job also pays for the worker's and the server's first use of the
                # code; the second shows the steady state.
                timings = []
                for _ in range(2):
                    started = time.perf_counter()
                    job_id = start_import(client, token, GOOD_CSV)
                    job = finished_job(client, token, job_id, worker_log)
                    timings.append(time.perf_counter() - started)
                    assert job == {
                        "id": job_id,
                        "state": "succeeded",
                        "progress": 100,
                        "result": {"created": 3},
                        "error": None,
                    }, tail(worker_log.read_text(errors="replace"))
                assert sorted(task_titles(client, token)) == sorted(GOOD_TITLES * 2)
                print(
                    f"\n{flavour} + {broker}: one import job, from POST to succeeded, took "
                    f"{timings[0]:.3f} s (first job) and {timings[1]:.3f} s (next job)"
                )
                record_property(f"job_seconds_{broker}", [round(t, 3) for t in timings])

                failed = finished_job(
                    client, token, start_import(client, token, BAD_CSV), worker_log
                )
                assert failed["state"] == "failed", failed
                assert failed["error"]["code"] == "validation_error"
                assert [(row["row"], row["field"]) for row in failed["error"]["rows"]] == [
                    (3, "title"),
                    (3, "done"),
                ]
                assert len(task_titles(client, token)) == 6, "a failed import stored tasks"
            assert "received" in worker_log.read_text(errors="replace")


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_without_jobs_no_trace_of_celery_is_left(flavour: str, render: Any) -> None:
    project = render(framework=flavour, include_jobs=False, include_ml=True)

    files = [path for path in project.rglob("*") if path.is_file()]
    # The answers file records every answer, include_jobs=false among them.
    mentions = [
        str(path.relative_to(project))
        for path in files
        if path.name != ".copier-answers.yml"
        and re.search("celery", path.read_text(errors="ignore"), re.IGNORECASE)
    ]
    named = [
        str(path.relative_to(project))
        for path in project.rglob("*")
        if re.search(r"celery|jobs?\b|worker", path.name, re.IGNORECASE)
    ]

    assert mentions == []
    assert named == []
