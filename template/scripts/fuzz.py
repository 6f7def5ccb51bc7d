"""Fuzz the JSON API with schemathesis: `make fuzz`.

Starts the development server (`make run`) on a free port of 127.0.0.1 against a throwaway
database, signs up a user through POST /api/auth/register and POST /api/auth/token, then runs
`schemathesis run` on the server's own /api/openapi.json with that user's Bearer token: every
operation, every check (no 5xx, each answer's status, content type and body as the document
declares them), in every phase (examples, coverage, fuzzing, stateful). schemathesis.toml holds
the checks' exceptions, each with its reason. The server is stopped at the end, whatever
happened; the exit status is schemathesis'.

The database is a fresh SQLite file unless FUZZ_DATABASE_URL (or --database-url) names another
one: give an empty PostgreSQL database to fuzz on the engine production uses. Never give it a
database whose data you want to keep: the fuzzer writes whatever the API accepts.

    uv run python scripts/fuzz.py [--max-examples N] [--database-url URL] [schemathesis options]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
STARTUP_TIMEOUT_SECONDS = 90.0
STOP_TIMEOUT_SECONDS = 10.0
REQUEST_TIMEOUT_SECONDS = 30.0
DEFAULT_MAX_EXAMPLES = 100
LOG_TAIL_LINES = 40


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def call(port: int, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """One JSON request to the server; its status and its decoded body (None if not JSON)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_SECONDS)
    try:
        data = None if body is None else json.dumps(body).encode()
        connection.request(method, path, body=data, headers={"Content-Type": "application/json"})
        answer = connection.getresponse()
        text = answer.read()
        try:
            return answer.status, json.loads(text)
        except ValueError:
            return answer.status, None
    finally:
        connection.close()


@contextmanager
def running_server(port: int, env: Mapping[str, str], log: Path) -> Iterator[None]:
    """`make run PORT=<port>` (migrations first) until /api/health answers; stopped at the end.

    The server runs in a process group of its own: the development servers' reloaders start
    children, and all of them must go.
    """
    make = os.environ.get("MAKE", "make")
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 - our own Makefile, no shell
            [make, "--no-print-directory", "run", f"PORT={port}"],
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_healthy(server, port, log)
        yield
    finally:
        stop(server)


def wait_until_healthy(server: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited {server.returncode}:\n{tail(log)}")
        try:
            if call(port, "GET", "/api/health")[0] == 200:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer within {STARTUP_TIMEOUT_SECONDS} s:\n{tail(log)}")


def stop(server: subprocess.Popen[bytes]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=STOP_TIMEOUT_SECONDS)
            return
        except subprocess.TimeoutExpired:
            continue


def tail(log: Path) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-LOG_TAIL_LINES:])


def sign_up(port: int) -> str:
    """A new user's personal API token, obtained as a script would obtain it."""
    username = f"fuzz-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)
    account = {"username": username, "email": f"{username}@example.com", "password": password}
    status, body = call(port, "POST", "/api/auth/register", account)
    if status != 201:
        raise SystemExit(f"POST /api/auth/register answered {status}: {body}")
    status, body = call(
        port, "POST", "/api/auth/token", {"username": username, "password": password}
    )
    if status != 200 or not isinstance(body, dict) or not isinstance(body.get("token"), str):
        raise SystemExit(f"POST /api/auth/token answered {status}: {body}")
    return str(body["token"])


# The fuzzer signs up and logs in with wrong passwords thousands of times from one address: with
# the usual limits (docs/adr/0009) most of its requests would get a 429 before the API's own
# rules are reached.
UNTHROTTLED = {
    name: "1000000"
    for name in (
        "LOGIN_FAILURES_PER_ACCOUNT",
        "LOGIN_FAILURES_PER_ADDRESS",
        "REGISTRATIONS_PER_ADDRESS",
        "PASSWORD_RESETS_PER_ADDRESS",
    )
}


def parse_arguments(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--max-examples", type=int, default=DEFAULT_MAX_EXAMPLES)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("FUZZ_DATABASE_URL", ""),
        help="an empty database to fuzz on (default: a fresh SQLite file)",
    )
    return parser.parse_known_args(argv)


def main(argv: Sequence[str]) -> int:
    arguments, schemathesis_options = parse_arguments(argv)
    with tempfile.TemporaryDirectory(prefix="fuzz-") as scratch:
        database_url = arguments.database_url or f"sqlite:///{Path(scratch) / 'fuzz.sqlite3'}"
        env = {**os.environ, "DATABASE_URL": database_url, **UNTHROTTLED}
        port = free_port()
        database = "FUZZ_DATABASE_URL" if arguments.database_url else "a fresh SQLite file"
        print(f"fuzzing a server on port {port}, its database: {database}", flush=True)
        with running_server(port, env, Path(scratch) / "server.log"):
            env["FUZZ_TOKEN"] = sign_up(port)  # schemathesis.toml sends it
            # Another user's, for the operations that revoke tokens: FUZZ_TOKEN stays valid.
            env["FUZZ_SPARE_TOKEN"] = sign_up(port)
            command = [
                sys.executable,
                "-m",
                "schemathesis.cli",
                "run",
                f"http://{HOST}:{port}/api/openapi.json",
                "--max-examples",
                str(arguments.max_examples),
                *schemathesis_options,
            ]
            return subprocess.run(command, env=env, check=False).returncode  # noqa: S603


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
