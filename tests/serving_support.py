"""Helpers of the production-serving and container tests: read a Dockerfile, serve as production.

`dockerfile_stages` splits a Dockerfile into its stages and instructions (continuation lines
joined, comments dropped), enough to state what each stage does. `serving` starts a generated
project's `make serve` (gunicorn with its gunicorn.conf.py) on a free port of 127.0.0.1 with
production settings, waits until /api/health answers for the allowed host, and stops the whole
process group at the end.
"""

from __future__ import annotations

import http.client
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from servers import HOST, started_by_make

STARTUP_TIMEOUT = 90.0
# The one host name the production settings allow; every request names it.
SERVED_HOST = "tasks.example.com"


# --- Dockerfiles ----------------------------------------------------------------------------


@dataclass
class Instruction:
    keyword: str  # upper case: FROM, RUN, COPY, ...
    arguments: str  # continuation lines joined with single spaces


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        """The arguments of every `keyword` instruction of the stage, in order."""
        return [i.arguments for i in self.instructions if i.keyword == keyword]


def dockerfile_instructions(text: str) -> list[Instruction]:
    instructions: list[Instruction] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pending = f"{pending} {line}".strip()
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip()
            continue
        keyword, _, arguments = pending.partition(" ")
        instructions.append(Instruction(keyword.upper(), " ".join(arguments.split())))
        pending = ""
    return instructions


def dockerfile_stages(text: str) -> list[Stage]:
    stages: list[Stage] = []
    for instruction in dockerfile_instructions(text):
        if instruction.keyword == "FROM":
            base, _, name = instruction.arguments.partition(" AS ")
            stages.append(Stage(base=base.strip(), name=name.strip() or None))
        elif stages:
            stages[-1].instructions.append(instruction)
    return stages


# --- a project served as production serves it -----------------------------------------------


def production_env(env: Mapping[str, str]) -> dict[str, str]:
    """What a production environment sets: no DEBUG, a real secret, one real host name."""
    return {
        **env,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": SERVED_HOST,
        "WEB_CONCURRENCY": "2",
    }


def get(
    port: int, path: str, headers: Mapping[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """GET `path` from 127.0.0.1:port as a request for SERVED_HOST; status, headers, body."""
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": SERVED_HOST, **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@contextmanager
def serving(project: Path, env: Mapping[str, str], log: Path) -> Iterator[int]:
    """`make serve PORT=<free port>` in project with env; yields the port once it is ready."""
    with started_by_make(
        "serve", project, env, log, {"Host": SERVED_HOST}, timeout=STARTUP_TIMEOUT
    ) as port:
        yield port
