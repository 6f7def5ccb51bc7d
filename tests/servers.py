"""A generated project's real development server, for tests that talk HTTP to it.

`prepare_project` renders, installs and migrates a project; `running_server` starts `make run` on a
free port of 127.0.0.1 (`started_by_make` any target, `make serve` say), waits for `/api/health`,
and stops the whole process group at the end (the development servers' reloaders run in child
processes), whatever happened in between.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from support import copy_project, run, tail

HOST = "127.0.0.1"
STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


def prepare_project(template: Path, project: Path, env: Mapping[str, str], **answers: Any) -> Path:
    """Render the template without git, install the project and apply its migrations."""
    copy_project(template, project, env, init_git=False, **answers)
    run(["make", "install"], cwd=project, env=env)
    run(["make", "migrate"], cwd=project, env=env)
    return project


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(project: Path, env: Mapping[str, str], log: Path) -> Iterator[str]:
    """`make run PORT=<free port>` in project; yields its base URL once /api/health answers."""
    with started_by_make("run", project, env, log) as port:
        yield f"http://{HOST}:{port}"


@contextmanager
def started_by_make(
    target: str,
    project: Path,
    env: Mapping[str, str],
    log: Path,
    health_headers: Mapping[str, str] | None = None,
    timeout: float = STARTUP_TIMEOUT,
) -> Iterator[int]:
    """`make <target> PORT=<free port>` in project, its output in log; yields the port once
    GET /api/health (with health_headers) answers 200, and stops the process group after."""
    with make_process(target, project, env, log, health_headers, timeout) as (port, _):
        yield port


@contextmanager
def make_process(
    target: str,
    project: Path,
    env: Mapping[str, str],
    log: Path,
    health_headers: Mapping[str, str] | None = None,
    timeout: float = STARTUP_TIMEOUT,
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """As started_by_make, and the process too: the leader of the group a test may kill."""
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["make", target, f"PORT={port}"],
            cwd=project,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as a whole
        )
    try:
        wait_for_health(process, port, log, f"make {target}", health_headers or {}, timeout)
        yield port, process
    finally:
        stop(process)


def wait_for_health(
    process: subprocess.Popen[bytes],
    port: int,
    log: Path,
    command: str,
    headers: Mapping[str, str],
    timeout: float,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"`{command}` exited {process.returncode} before serving; its output ends:\n"
                f"{tail(log.read_text(errors='replace'))}",
                pytrace=False,
            )
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            try:
                connection.request("GET", "/api/health", headers=dict(headers))
                if connection.getresponse().status == 200:
                    return
            finally:
                connection.close()
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(
        f"`{command}` did not answer GET /api/health on port {port} within {timeout} s;"
        f" its output ends:\n{tail(log.read_text(errors='replace'))}",
        pytrace=False,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server's whole process group: politely, then for sure."""
    group = process.pid  # start_new_session: the group's id is the leader's pid
    for sig, grace in ((signal.SIGTERM, STOP_TIMEOUT), (signal.SIGKILL, STOP_TIMEOUT)):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if process.poll() is None:
                time.sleep(0.05)
                continue
            try:
                os.killpg(group, 0)  # anyone left in the group?
            except ProcessLookupError:
                return
            time.sleep(0.05)
    process.wait(timeout=STOP_TIMEOUT)


#: `installed_project(framework, database, **other_answers)`: a project rendered, installed and
#: migrated in the test's folder, and the environment its commands run in.
InstalledProject = Callable[..., tuple[Path, dict[str, str]]]
