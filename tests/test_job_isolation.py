"""Two projects with jobs on one Redis: each runs its own jobs (issue 17, "Projects share jobs").

Two projects are rendered with jobs on and the default answers except the framework (one of
each) and the name, each on its own SQLite file, and both left on their default broker, Redis's
database 0 on 127.0.0.1:6379, so that they really share it. Both servers run; six CSV imports
are started in each project, interleaved: three while only the first project's worker runs (a
worker that is down is no reason for another project's worker to take its jobs), three once
both run. Every job must succeed in the project that started it, having created its file's
rows, and the project's keys on Redis must be under its prefix.

On the old defaults (both queues `celery`, no key prefix) the first worker took the second
project's first three jobs, refused them as unregistered tasks and dropped them, and took some
of the later ones by chance: those jobs stayed `pending` for ever. The figures (jobs started,
succeeded and left unfinished per project) are printed (`-s`) and recorded as properties; the
project's ADR 0012 quotes them.

Only the two projects' keys (under their prefixes) are deleted afterwards, never others.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_jobs import (
    POLL_INTERVAL,
    PYTHON_VERSION,
    assert_reachable,
    project_env,  # noqa: F401 (a fixture, used by name)
    running_worker,
    start_import,
    task_titles,
    token_for,
)

from contract_scenario import Client
from servers import prepare_project, running_server
from support import run, tail

# The projects' own default broker; the test does not set CELERY_BROKER_URL.
REDIS_URL = "redis://127.0.0.1:6379/0"
# (framework, name): one project of each, named differently (a run id is added).
PROJECTS = (("django", "Tide Log"), ("flask", "Harbour Board"))
IMPORTS_PER_PROJECT = 6
FIRST_BATCH = 3  # started while only the first project's worker runs
# Jobs of a few rows take well under a second each; what has not finished by then never will.
JOBS_TIMEOUT = 45.0

# Runs in a generated project's environment (redis-py comes with Celery's Redis support):
# prints the keys under a prefix, and deletes them with --delete.
PREFIXED_KEYS = """
import sys
import redis

url, prefix, *delete = sys.argv[1:]
client = redis.Redis.from_url(url)
pattern = "".join("\\\\" + c if c in "*?[]\\\\" else c for c in prefix) + "*"
keys = sorted(key.decode() for key in client.scan_iter(match=pattern, count=1000))
print("\\n".join(keys))
if delete and keys:
    client.delete(*keys)
"""


def import_csv(rows: int, project: str) -> bytes:
    lines = [f"{project} task {n},isolation,normal" for n in range(1, rows + 1)]
    return ("title,category,priority\n" + "\n".join(lines) + "\n").encode()


@dataclass
class Project:
    framework: str
    path: Path
    slug: str
    env: dict[str, str]
    client: Client | None = None
    token: str = ""
    started: dict[int, int] = field(default_factory=dict)  # job id -> rows in its file
    finished: dict[int, dict[str, Any]] = field(default_factory=dict)

    def key_prefix(self) -> str:
        return f"{self.slug}:"


def answers_of(project: Path) -> dict[str, Any]:
    answers: dict[str, Any] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return answers


def prefixed_keys(project: Project, *, delete: bool = False) -> list[str]:
    command = ["uv", "run", "python", "-c", PREFIXED_KEYS, REDIS_URL, project.key_prefix()]
    output = run([*command, *(["--delete"] if delete else [])], cwd=project.path, env=project.env)
    return [line for line in output.stdout.splitlines() if line.startswith(project.key_prefix())]


@contextmanager
def keys_deleted_afterwards(projects: list[Project]) -> Iterator[None]:
    try:
        yield
    finally:
        for project in projects:
            prefixed_keys(project, delete=True)


def poll_until_finished(projects: list[Project]) -> None:
    """Read every started job until all have succeeded or failed, or the time is up."""
    deadline = time.monotonic() + JOBS_TIMEOUT
    while time.monotonic() < deadline:
        for project in projects:
            assert project.client is not None
            headers = {"Authorization": f"Bearer {project.token}"}
            for job_id in project.started.keys() - project.finished.keys():
                answer = project.client.request("GET", f"/api/jobs/{job_id}", headers=headers)
                assert answer.status == 200, answer.text()
                job: dict[str, Any] = answer.json()
                if job["state"] in ("succeeded", "failed"):
                    project.finished[job_id] = job
        if all(project.finished.keys() == project.started.keys() for project in projects):
            return
        time.sleep(POLL_INTERVAL * 10)


@pytest.mark.slow
def test_two_projects_on_one_redis_each_run_their_own_jobs(
    tmp_path: Path,
    template_repo: Path,
    project_env: dict[str, str],  # noqa: F811 (the fixture imported above)
    record_property: Any,
) -> None:
    assert_reachable("redis", REDIS_URL)
    # The projects take their queue and prefix from their own defaults (project_env has already
    # dropped the broker's URL and the queue's name).
    project_env.pop("CELERY_KEY_PREFIX", None)
    # A name no other run on this machine uses, so that no one else's worker shares the queue.
    run_id = uuid.uuid4().hex[:6]

    def prepare(framework: str, name: str) -> Project:
        path = prepare_project(
            template_repo,
            tmp_path / framework,
            project_env,
            framework=framework,
            include_jobs=True,
            python_version=PYTHON_VERSION,
            project_name=f"{name} {run_id}",
        )
        return Project(framework, path, answers_of(path)["project_slug"], dict(project_env))

    with ThreadPoolExecutor(max_workers=2) as pool:
        rendering = [pool.submit(prepare, *project) for project in PROJECTS]
        projects = [future.result() for future in rendering]

    with ExitStack() as running, keys_deleted_afterwards(projects):
        for project in projects:
            base_url = running.enter_context(
                running_server(project.path, project.env, tmp_path / f"server-{project.slug}.log")
            )
            project.client = Client(base_url)
            project.token = token_for(project.client, "ada")

        # First only the first project's worker runs: the second project's jobs must wait for
        # their own worker, not be taken (and refused) by the one that is up. Then both run,
        # and both projects' imports are started interleaved. Job n imports n rows.
        batches = (range(1, FIRST_BATCH + 1), range(FIRST_BATCH + 1, IMPORTS_PER_PROJECT + 1))
        for project, rows_of_batch in zip(projects, batches, strict=True):
            worker_log = tmp_path / f"worker-{project.slug}.log"
            running.enter_context(running_worker(project.path, project.env, worker_log))
            for rows in rows_of_batch:
                for each in projects:
                    assert each.client is not None
                    job_id = start_import(each.client, each.token, import_csv(rows, each.slug))
                    each.started[job_id] = rows
        poll_until_finished(projects)

        figures = {
            project.framework: {
                "started": len(project.started),
                "succeeded": sum(job["state"] == "succeeded" for job in project.finished.values()),
                "unfinished": len(project.started) - len(project.finished),
            }
            for project in projects
        }
        print(f"\njobs per project on one Redis: {figures}")
        record_property("jobs_per_project", figures)
        logs = "\n".join(
            f"--- worker of {project.slug}:\n"
            + tail((tmp_path / f"worker-{project.slug}.log").read_text(errors="replace"), 15)
            for project in projects
        )
        for project in projects:
            assert project.client is not None
            assert project.finished == {
                job_id: {
                    "id": job_id,
                    "state": "succeeded",
                    "progress": 100,
                    "result": {"created": rows},
                    "error": None,
                }
                for job_id, rows in project.started.items()
            }, f"{figures}\n{logs}"
            titles = task_titles(project.client, project.token)
            assert len(titles) == sum(project.started.values())
            assert all(title.startswith(f"{project.slug} task ") for title in titles)

        # Every key kombu wrote for the project is under its prefix: its queue's binding is.
        for project in projects:
            assert f"{project.key_prefix()}_kombu.binding.{project.slug}" in prefixed_keys(project)
