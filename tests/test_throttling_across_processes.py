"""Log-in throttling counts are shared by every process of a project (issue 16, row 1).

For each framework a project is rendered, installed and migrated, and served twice at once by
`make serve` (gunicorn, production settings, two workers each) on two ports: four processes on
one database. Wrong passwords sent to the two servers in turn add up, so the 6th attempt is
refused whichever server answers it; and attempts sent to both at the same moment get exactly
the five failures the limit allows, because each attempt is counted before its password is
checked, in one atomic write.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from servers import HOST, InstalledProject
from serving_support import SERVED_HOST, production_env, serving

FLAVOURS = [
    pytest.param("django", "postgresql", id="django-postgresql"),
    pytest.param("flask", "sqlite", id="flask-sqlite"),
]
PASSWORD = "correct horse battery"
WRONG = "not the password"
LIMIT = 5  # LOGIN_FAILURES_PER_ACCOUNT's default
WINDOW = 900  # LOGIN_FAILURE_WINDOW's default
# As a proxy that terminates TLS says it: Django then answers instead of redirecting to HTTPS.
HEADERS = {"Host": SERVED_HOST, "X-Forwarded-Proto": "https", "Content-Type": "application/json"}


def post(port: int, path: str, body: Mapping[str, Any]) -> tuple[int, dict[str, str], Any]:
    """POST JSON to 127.0.0.1:port as a script would; status, headers, parsed body."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("POST", path, body=json.dumps(body).encode(), headers=HEADERS)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), json.loads(response.read())
    finally:
        connection.close()


def register(port: int, username: str) -> None:
    account = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
    status, _, body = post(port, "/api/auth/register", account)
    assert status == 201, body


def log_in(port: int, username: str, password: str) -> tuple[int, dict[str, str], Any]:
    return post(port, "/api/auth/token", {"username": username, "password": password})


@pytest.mark.slow
@pytest.mark.parametrize(("framework", "database"), FLAVOURS)
def test_failed_log_ins_add_up_across_two_servers(
    framework: str,
    database: str,
    tmp_path: Path,
    installed_project: InstalledProject,
) -> None:
    project, env = installed_project(framework, database)
    production = production_env(env)

    with (
        serving(project, production, tmp_path / "first.log") as first,
        serving(project, production, tmp_path / "second.log") as second,
    ):
        register(first, "ada")
        in_turn = [log_in(port, "ada", WRONG)[0] for port in (first, second) * 3]
        assert in_turn == [401] * LIMIT + [429]

        for port in (first, second):
            status, headers, body = log_in(port, "ada", PASSWORD)
            assert status == 429, body
            assert body["error"]["code"] == "too_many_requests"
            assert 0 < int(headers["Retry-After"]) <= WINDOW

        # Ten wrong passwords at once, five to each server: exactly five are checked.
        register(second, "grace")
        with ThreadPoolExecutor(max_workers=4) as pool:
            at_once = list(
                pool.map(lambda port: log_in(port, "grace", WRONG)[0], [first, second] * 5)
            )
        assert sorted(at_once) == [401] * LIMIT + [429] * LIMIT
