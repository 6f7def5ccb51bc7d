"""Prometheus metrics: what is measured, the registry a scrape reads, and who may scrape.

Written once for the web app and the jobs; each framework's glue times the requests and serves
`/metrics` (docs/adr/0015). Under gunicorn every worker is its own process with its own counts:
prometheus-client's multiprocess mode, switched on by PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py
sets it before the app is imported, and empties the directory at start), has each process write
its values to files there, and a scrape adds up the files of every process. Without that
variable (the development server, the tests) the counts live in this process's default registry.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import re
from collections.abc import Iterable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
#: The `route` of a request that matched no route: one value, whatever the path (a raw path
#: as a label would make a new time series for every URL a scanner tries).
UNMATCHED_ROUTE = "<unmatched>"
#: Who may read /metrics when METRICS_ALLOWED_ADDRESSES is not set: this machine only.
DEFAULT_ALLOWED_ADDRESSES = "127.0.0.1,::1"
#: Methods counted by name; any other is counted as "other" (a client chooses the method).
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

JOB_DURATION_BUCKETS = (0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, float("inf"))

HTTP_REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests answered, by method, route pattern and status.",
    ["method", "route", "status"],
)
HTTP_REQUEST_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route pattern.",
    ["method", "route"],
)
JOBS = Counter("jobs_total", "Background jobs that ended, by state.", ["state"])
JOB_DURATION = Histogram(
    "job_duration_seconds",
    "Time a background job ran, from its start to its end, by the state it ended in.",
    ["state"],
    buckets=JOB_DURATION_BUCKETS,
)

_CONVERTER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def route_label(pattern: str | None) -> str:
    """The `route` label of a request: its URL pattern, its parameters written `{name}`.

    `api/tasks/<int:task_id>` and `/api/tasks/<task_id>` both give `/api/tasks/{task_id}`;
    None (no route matched) gives UNMATCHED_ROUTE.
    """
    if pattern is None:
        return UNMATCHED_ROUTE
    route = _CONVERTER.sub(r"{\1}", pattern)
    return route if route.startswith("/") else "/" + route


def method_label(method: str) -> str:
    return method if method in KNOWN_METHODS else "other"


def record_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request and the time it took."""
    method = method_label(method)
    HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
    HTTP_REQUEST_DURATION.labels(method=method, route=route).observe(seconds)


def record_job(state: str, seconds: float) -> None:
    """Count one job that ended in `state` (succeeded or failed) after `seconds`."""
    JOBS.labels(state=state).inc()
    JOB_DURATION.labels(state=state).observe(seconds)


def exposition() -> tuple[bytes, str]:
    """The body of a scrape and its content type: every process's counts when there are many."""
    if os.environ.get(MULTIPROCESS_DIR_VARIABLE):
        registry = CollectorRegistry()
        # prometheus-client leaves this constructor without annotations.
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def allowed_networks(setting: str) -> tuple[Network, ...]:
    """The networks of METRICS_ALLOWED_ADDRESSES: addresses or CIDR blocks, comma-separated.

    A value that is neither raises ValueError, so that a typo stops the app at start rather
    than opening or closing /metrics silently. Cached: every scrape reads the same setting.
    """
    entries = (entry.strip() for entry in setting.split(","))
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries if entry)


def is_allowed(address: str | None, networks: Iterable[Network]) -> bool:
    """Whether a client at `address` may read /metrics (an unparsable address may not)."""
    try:
        ip = ipaddress.ip_address((address or "").split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1 seen through an IPv6 socket
    return any(ip in network for network in networks)
