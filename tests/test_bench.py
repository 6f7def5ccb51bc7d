"""The benchmark's own logic (bench/): reading wrk's report and judging the targets.

The benchmark itself takes minutes and a quiet machine, so it is not part of this suite; what
it concludes from its numbers is, since a wrong verdict would hide a missed target.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest

from support import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT))

from bench.report import markdown, targets
from bench.wrk import parse

WRK_REPORT = """\
Running 5s test @ http://127.0.0.1:41234/api/tasks?size=20
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.10ms    1.20ms  40.02ms   91.00%
    Req/Sec     2.60k   150.00     2.90k    70.00%
  Latency Distribution
     50%  812.00us
     75%    3.50ms
     90%    4.10ms
     99%    1.02s
  12995 requests in 5.00s, 9.87MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   2598.77
Transfer/sec:      1.97MB
"""


def test_a_wrk_report_gives_rate_percentiles_in_ms_and_failures() -> None:
    result = parse(WRK_REPORT)

    assert result.requests_per_second == pytest.approx(2598.77)
    assert result.requests == 12995
    assert result.p50_ms == pytest.approx(0.812)
    assert result.p99_ms == pytest.approx(1020.0)
    assert result.failed == 3


def test_socket_errors_count_as_failures() -> None:
    report = WRK_REPORT.replace(
        "  Non-2xx or 3xx responses: 3\n",
        "  Socket errors: connect 0, read 2, write 0, timeout 5\n",
    )
    assert parse(report).failed == 7


def test_a_report_without_latency_percentiles_is_refused() -> None:
    without = "\n".join(line for line in WRK_REPORT.splitlines() if "%  " not in line)
    with pytest.raises(ValueError, match="wrk --latency"):
        parse(without)


def endpoint(rate: float, p99: float, queries: int, failed: int = 0) -> dict[str, Any]:
    return {
        "requests_per_second": rate,
        "p50_ms": p99 / 2,
        "p99_ms": p99,
        "failed": failed,
        "queries": queries,
    }


def results(*, page_rate: float, big_p99: float, big_queries: int) -> dict[str, Any]:
    def size(page_p99: float, queries: int) -> dict[str, Any]:
        pages = {
            name: endpoint(page_rate, page_p99, queries)
            for name in ("tasks: first page", "tasks: filtered", "tasks: searched")
        }
        return {
            "seed_s": 0.1,
            "endpoints": {
                "health": endpoint(1500, 5.0, 1),
                "hello (baseline)": endpoint(2000, 4.0, 0),
                **pages,
            },
        }

    return {
        "machine": {"cpus": 2, "wrk": "wrk 4.1.0"},
        "settings": {
            "template_commit": "abc1234",
            "gunicorn_workers": 2,
            "connections": 8,
            "duration_s": 5,
        },
        "flavours": {
            "django": {
                "load": {"10": size(10.0, 4), "100000": size(big_p99, big_queries)},
                "copy": {
                    "render_s": 0.8,
                    "render_git_hooks_commit_s": 6.0,
                    "render_install_test_s": 15.0,
                    "make_check_s": 40.0,
                },
            }
        },
    }


def verdicts(measured: dict[str, Any]) -> dict[str, bool]:
    return {target["what"]: target["met"] for target in targets(measured)}


def test_targets_met_and_missed_are_told_apart() -> None:
    measured = results(page_rate=1000, big_p99=11.9, big_queries=4)
    judged = verdicts(measured)

    assert judged["tasks: first page at 100,000 rows: ≥ 50 % of the baseline's req/s"] is True
    assert judged["tasks: searched: same SQL query count at 10 and 100,000 rows"] is True
    assert judged["tasks: filtered: p99 at 100,000 rows within 20 % of p99 at 10"] is True
    assert judged["`copier copy`, render only ≤ 1 s"] is True
    assert judged["`copier copy` with git, hooks and the first commit ≤ 5 s"] is False


def test_a_slow_page_a_growing_p99_and_more_queries_are_missed() -> None:
    judged = verdicts(results(page_rate=999, big_p99=12.1, big_queries=5))

    assert judged["tasks: first page at 10 rows: ≥ 50 % of the baseline's req/s"] is False
    assert judged["tasks: first page: p99 at 100,000 rows within 20 % of p99 at 10"] is False
    assert judged["tasks: first page: same SQL query count at 10 and 100,000 rows"] is False


def test_the_table_shows_every_target_with_its_verdict() -> None:
    measured = results(page_rate=999, big_p99=12.1, big_queries=4)
    measured["targets"] = targets(measured)

    table = markdown(measured)

    assert "| django | 100,000 | tasks: searched | 999 | 50% |" in table
    assert table.count("**missed**") == sum(not t["met"] for t in measured["targets"])
    assert f"of {len(measured['targets'])} targets met." in table


def test_the_render_target_is_shown_beside_copiers_own_cost() -> None:
    measured = results(page_rate=1000, big_p99=10.0, big_queries=4)
    measured["flavours"]["django"]["copy"]["copier_one_file_s"] = 0.9
    measured["targets"] = targets(measured)

    render = next(t for t in measured["targets"] if t["what"].startswith("`copier copy`, render"))
    table = markdown(measured)

    assert render["measured"] == "0.8 s (copier with a one-file template: 0.9 s)"
    assert "| django | for scale: copier rendering a one-file template | 0.9 | |" in table
