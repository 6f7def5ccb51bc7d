"""The benchmark (bench/): reading wrk's report, judging the targets, and its short form.

The full benchmark takes a quarter of an hour and a quiet machine, so it is not part of this
suite; what it concludes from its numbers is, since a wrong verdict would hide a missed target,
and so is its short form (10 and 10,000 tasks, 3 s per endpoint), which fails when the SQL
statements of a request change with the number of tasks or a response fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from support import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT))

from bench.report import markdown, regressions, targets
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


def test_the_first_page_is_judged_against_health_and_the_search_against_the_first_page() -> None:
    measured = results(page_rate=749, big_p99=10.0, big_queries=4)
    measured["flavours"]["django"]["load"]["100000"]["endpoints"]["tasks: searched"] = endpoint(
        374, 10.0, 4
    )
    judged = verdicts(measured)

    assert judged["tasks: first page at 10 rows: ≥ 50 % of health's req/s"] is False
    assert judged["tasks: searched at 100,000 rows: ≥ 50 % of the first page's req/s"] is False


def test_ci_fails_on_statements_and_failures_of_the_commit_under_test_only() -> None:
    measured = results(page_rate=1, big_p99=99.0, big_queries=5)
    measured["flavours"]["django @ 38ea8e3"] = measured["flavours"]["django"]

    missed = regressions(targets(measured))

    assert {(target["flavour"], target["kind"]) for target in missed} == {("django", "statements")}
    assert {target["what"].rsplit(":", 1)[0] for target in missed} == {
        "tasks: first page",
        "tasks: filtered",
        "tasks: searched",
    }


def test_the_baseline_is_shown_beside_the_commit_under_test() -> None:
    measured = results(page_rate=1000, big_p99=10.0, big_queries=4)
    measured["flavours"]["django @ 38ea8e3"] = results(page_rate=500, big_p99=30.0, big_queries=4)[
        "flavours"
    ]["django"]
    measured["settings"]["baseline_commit"] = "38ea8e3"
    measured["targets"] = targets(measured)

    table = markdown(measured)

    assert "## Beside the baseline (38ea8e3)" in table
    assert "| django | 100,000 | tasks: searched | 1,000 | 500 | 10.00 | 30.00 | 4 | 4 |" in table


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


@pytest.mark.slow
def test_the_short_benchmark_finds_the_same_statements_at_10_and_10000_tasks(
    tmp_path: Path,
) -> None:
    """CI's form of the benchmark, both flavours served in production settings on PostgreSQL
    (wrk and PostgreSQL are needed: without them it fails, it does not skip)."""
    command = [sys.executable, str(REPO_ROOT / "bench" / "run.py"), "--short"]
    done = subprocess.run(
        [*command, "--out", str(tmp_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=1200,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]

    judged = json.loads((tmp_path / "results.json").read_text())["targets"]
    statements = [target for target in judged if target["kind"] == "statements"]
    assert {target["flavour"] for target in statements} == {"django", "flask"}
    assert all(target["met"] for target in statements), statements
