"""The container's health check: is the server on this machine ready to take requests?

Asks GET /api/health of the gunicorn on this machine and exits 0 when it answers 200, 1
otherwise: Docker's HEALTHCHECK contract. Standard library only, since slim images have no
curl. The request names the first of ALLOWED_HOSTS as its host, as a real request would, or the
app would refuse a host it does not serve. Redirects are not followed: /api/health is exempt
from the HTTPS redirect, so a redirect means a misconfigured app, not a healthy one.

    python scripts/healthcheck.py    reads GUNICORN_BIND and ALLOWED_HOSTS from the environment
"""

from __future__ import annotations

import http.client
import os
import sys
from collections.abc import Mapping

HEALTH_PATH = "/api/health"
DEFAULT_PORT = 8000
TIMEOUT_SECONDS = 4.0


def server_port(environ: Mapping[str, str]) -> int:
    """The port of GUNICORN_BIND (host:port), as gunicorn.conf.py reads it."""
    bind = environ.get("GUNICORN_BIND", "")
    _, _, port = bind.rpartition(":")
    return int(port) if port.isdigit() else DEFAULT_PORT


def host_header(environ: Mapping[str, str]) -> str:
    """A host name the app serves: the first of ALLOWED_HOSTS (`.example.com` is a pattern for
    the domain and its subdomains, `*` any host)."""
    hosts = [host.strip() for host in environ.get("ALLOWED_HOSTS", "").split(",") if host.strip()]
    first = hosts[0].lstrip(".") if hosts else "localhost"
    return "localhost" if first == "*" else first


def is_healthy(port: int, host: str) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("GET", HEALTH_PATH, headers={"Host": host})
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def main() -> int:
    return 0 if is_healthy(server_port(os.environ), host_header(os.environ)) else 1


if __name__ == "__main__":
    sys.exit(main())
