"""scripts/healthcheck.py, the container's HEALTHCHECK: exit 0 only when /api/health says 200.

Each test runs the script as Docker does, against a small stand-in server on this machine that
answers like the app: 400 to a host it does not serve, as the ALLOWED_HOSTS setting makes it.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "healthcheck.py"
SERVED_HOST = "tasks.example.com"

Server = Callable[[int], int]  # the health endpoint's status -> the port it listens on


@pytest.fixture
def server() -> Iterator[Server]:
    started: list[ThreadingHTTPServer] = []

    def start(health_status: int) -> int:
        class App(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                host = self.headers.get("Host", "").partition(":")[0]
                status = health_status if self.path == "/api/health" else 404
                self.send_response(status if host == SERVED_HOST else 400)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep the test output quiet

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), App)
        # shutdown() waits for the loop's next poll: 0.5 s by default, for every test.
        threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True).start()
        started.append(httpd)
        return int(httpd.server_address[1])

    yield start
    for httpd in started:
        httpd.shutdown()
        httpd.server_close()


def healthcheck(*, port: int, allowed_hosts: str) -> int:
    environment = {"GUNICORN_BIND": f"0.0.0.0:{port}", "ALLOWED_HOSTS": allowed_hosts}
    command = [sys.executable, str(SCRIPT)]
    return subprocess.run(command, env=environment, timeout=30).returncode  # noqa: S603 (ours)


def test_a_healthy_server_passes(server: Server) -> None:
    assert healthcheck(port=server(200), allowed_hosts=SERVED_HOST) == 0


def test_the_request_names_the_first_allowed_host(server: Server) -> None:
    assert healthcheck(port=server(200), allowed_hosts=f"{SERVED_HOST},other.example.com") == 0


def test_a_subdomain_pattern_names_its_domain(server: Server) -> None:
    # `.tasks.example.com` allows the domain and its subdomains.
    assert healthcheck(port=server(200), allowed_hosts=f".{SERVED_HOST}") == 0


def test_a_server_without_its_database_fails(server: Server) -> None:
    assert healthcheck(port=server(503), allowed_hosts=SERVED_HOST) == 1


def test_a_host_the_server_refuses_fails(server: Server) -> None:
    assert healthcheck(port=server(200), allowed_hosts="elsewhere.example.com") == 1


def test_no_server_at_all_fails() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago, and nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])

    assert healthcheck(port=port, allowed_hosts=SERVED_HOST) == 1
