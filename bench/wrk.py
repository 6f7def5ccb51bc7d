"""Reading wrk's report: requests per second, latency percentiles, failed responses.

wrk (Debian's package) is the load generator: a C program with an event loop, it keeps a few
connections busy from one thread using a fraction of a core, so on this 2-core machine the
server, not the generator, is what gets measured. Python load generators (locust, even
asyncio-based ones) would need a core of their own to reach the same rate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_PERCENTILE = re.compile(r"^\s*(50|75|90|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.M)
_REQUESTS_PER_SECOND = re.compile(r"^Requests/sec:\s+([\d.]+)\s*$", re.M)
_REQUESTS_DONE = re.compile(r"^\s*(\d+) requests in ", re.M)
_NON_2XX = re.compile(r"^\s*Non-2xx or 3xx responses:\s+(\d+)\s*$", re.M)
_SOCKET_ERRORS = re.compile(
    r"^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)\s*$", re.M
)


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    requests: int
    p50_ms: float
    p99_ms: float
    failed: int  # responses outside 2xx/3xx, plus socket errors


def parse(report: str) -> WrkResult:
    """The numbers of `wrk --latency`'s report; ValueError when one is missing."""
    percentiles = {int(p): float(v) * _UNITS_MS[unit] for p, v, unit in _PERCENTILE.findall(report)}
    rate = _REQUESTS_PER_SECOND.search(report)
    done = _REQUESTS_DONE.search(report)
    if rate is None or done is None or not {50, 99} <= set(percentiles):
        raise ValueError(f"not a report of `wrk --latency`:\n{report}")
    non_2xx = _NON_2XX.search(report)
    sockets = _SOCKET_ERRORS.search(report)
    failed = int(non_2xx.group(1)) if non_2xx else 0
    if sockets:
        failed += sum(int(count) for count in sockets.groups())
    return WrkResult(
        requests_per_second=float(rate.group(1)),
        requests=int(done.group(1)),
        p50_ms=percentiles[50],
        p99_ms=percentiles[99],
        failed=failed,
    )
