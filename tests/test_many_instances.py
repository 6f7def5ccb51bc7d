"""Many instances, one state: three `make serve` behind a load balancer (issue 17, item 3).

For each framework a project with jobs on PostgreSQL is rendered, installed and migrated, and
served three times at once by `make serve` (production settings, one SECRET_KEY, two gunicorn
workers each): six processes on one database, with one `make worker` on Redis. HAProxy, which
the test starts from Debian's package, balances them round robin, checks each on `/api/health`
every INTERVAL_MS and names the instance that answered in an `X-Served-By` header. Through it:

- the contract scenario of contract_scenario.py (accounts, tokens, tasks, CSV upload, the
  throttle's count of failed log-ins) passes as it does against one server;
- a browser signs up, logs out and in, adds tasks with the pages' scripts and uploads a CSV:
  its session and CSRF token are honoured by whichever instance answers;
- CSV imports run as jobs, started by one instance and read back from the others.

Each part must have been answered by all three instances. Then writers post tasks through the
balancer without pause, and one instance is killed (SIGKILL, its whole process group) in the
middle: every write that was acknowledged (201) is in the database, the balancer marks the
instance down within a few health checks, and after that sends it nothing and every write
succeeds. The figures (writes acknowledged and found, how the requests spread, how long the
balancer took) are printed (`-s`) and recorded as properties; the project's ADR 0018 quotes them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from test_job_isolation import PREFIXED_KEYS
from test_jobs import assert_reachable, running_worker, start_import, token_for

from contract_scenario import Client, run_scenario
from servers import HOST, InstalledProject, free_port, make_process, stop
from serving_support import production_env
from support import run, tail

INSTANCES = 3
HAPROXY = os.environ.get("HAPROXY_PATH", "/usr/sbin/haproxy")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REDIS_URL = os.environ.get("TEMPLATE_TESTS_REDIS_URL", "redis://127.0.0.1:6379/0")
# For one `make serve` to answer: more than one server alone needs (serving_support), as the
# worker starts beside it; on a machine busy with other tests one took 57 s.
START_TIMEOUT = 150.0
THREADS = 4  # per gunicorn worker; two workers an instance (production_env)
INTERVAL_MS = 250  # between two health checks of one instance
# How long a check may wait for its answer once connected. Without it HAProxy allows `inter`
# for the whole check, and on a busy machine every instance failed its 250 ms at once: all
# three were marked down and the balancer answered 503. A dead instance refuses the connection
# at once, so this does not slow down noticing it.
CHECK_TIMEOUT_MS = 2000
FALL = 2  # failed checks in a row that mark an instance down
NOTICED_WITHIN = 5.0  # seconds from the kill to the balancer's "DOWN", at most
WRITERS = 4  # threads that post tasks without pause
WRITES_BEFORE_KILL = 60  # acknowledged writes before the kill
WRITING_AFTER_DOWN = 2.0  # seconds of writes once the balancer has marked the instance down
JOBS = 3
JOB_TIMEOUT = 60.0
# The task table of each framework's model (Django names it after the app).
TASK_TABLE = {"django": "tasks_task", "flask": "tasks"}


# --- the balancer ---------------------------------------------------------------------------


def haproxy_config(port: int, stats_port: int, instances: Mapping[str, int]) -> str:
    """Round robin over `instances` (name: port), each checked on /api/health; a request that
    cannot connect to one is sent to another (`redispatch`). The stats page answers as CSV."""
    servers = "\n".join(
        f"    server {name} {HOST}:{instance_port} check"
        for name, instance_port in instances.items()
    )
    return f"""\
global
    maxconn 512

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout check {CHECK_TIMEOUT_MS}ms
    retries 2
    option redispatch
    option forwardfor

listen web
    bind {HOST}:{port}
    balance roundrobin
    option httpchk
    http-check send meth GET uri /api/health ver HTTP/1.1 hdr Host {HOST}
    http-check expect status 200
    default-server inter {INTERVAL_MS}ms fall {FALL} rise 1
    http-response set-header X-Served-By %[srv_name]
{servers}

listen stats
    bind {HOST}:{stats_port}
    stats enable
    stats uri /stats
"""


@dataclass
class Balancer:
    url: str
    stats_url: str

    def servers(self) -> dict[str, dict[str, str]]:
        """The stats page's row of each server: `status` (UP, DOWN, ...), `stot` (requests
        sent to it), `lastchg`, ..."""
        parts = urllib.parse.urlsplit(self.stats_url)
        client = Client(self.stats_url)
        answer = client.request("GET", f"{parts.path};csv", headers={"Accept": "text/csv"})
        assert answer.status == 200, answer.text()
        rows = csv.DictReader(io.StringIO(answer.text().removeprefix("# ")))
        return {
            row["svname"]: row
            for row in rows
            if row["pxname"] == "web" and row["svname"] not in ("FRONTEND", "BACKEND")
        }

    def sent(self) -> Counter[str]:
        return Counter({name: int(row["stot"]) for name, row in self.servers().items()})

    def wait_until(self, status: str, names: set[str], timeout: float) -> float:
        """Poll the stats until every server in `names` has `status`; the moment it did."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            servers = self.servers()
            if all(servers[name]["status"].startswith(status) for name in names):
                return time.monotonic()
            time.sleep(0.02)
        pytest.fail(f"the balancer did not mark {sorted(names)} {status}: {self.servers()}")


@contextmanager
def running_balancer(instances: Mapping[str, int], folder: Path) -> Iterator[Balancer]:
    """HAProxy in the foreground, a child of the test, with its configuration in `folder`."""
    if not Path(HAPROXY).exists():
        pytest.fail(f"HAProxy is not installed at {HAPROXY} (Debian: apt-get install haproxy)")
    port, stats_port = free_port(), free_port()
    config = folder / "haproxy.cfg"
    config.write_text(haproxy_config(port, stats_port, instances))
    run([HAPROXY, "-c", "-q", "-f", str(config)], cwd=folder)
    log = folder / "haproxy.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [HAPROXY, "-db", "-f", str(config)],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    balancer = Balancer(f"http://{HOST}:{port}", f"http://{HOST}:{stats_port}/stats")
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                balancer.servers()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"HAProxy did not start:\n{tail(log.read_text())}")
                time.sleep(0.05)
        balancer.wait_until("UP", set(instances), timeout=10)
        yield balancer
    finally:
        stop(process)


def served_by(response: Any) -> str:
    return str(response.headers.get("X-Served-By", "?"))


# --- the browser ----------------------------------------------------------------------------

# Runs in the generated project's environment (Playwright is among its development packages),
# with the project's own page helpers (tests/e2e/pages.py). Prints which instance served each
# response the browser received.
BROWSER_VISIT = """
import json
import sys
from collections import Counter

from playwright.sync_api import expect, sync_playwright

from tests.e2e.pages import (
    add_task, csv_file, import_csv, log_in, log_out, new_member, sign_up, task_item, task_titles,
)

base_url, chromium = sys.argv[1:]
served = Counter()
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(
        executable_path=chromium,
        args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )
    page = browser.new_context(base_url=base_url).new_page()
    page.on("response", lambda response: served.update([response.headers.get("x-served-by")]))
    member = new_member()
    sign_up(page, member)  # a form with a CSRF token, then a session
    log_out(page)
    log_in(page, member)
    titles = [f"Balanced task {n}" for n in range(1, 4)]
    for title in titles:  # each through the API with the session and the CSRF token
        add_task(page, title)
        expect(task_item(page, title)).to_be_visible()
    import_csv(page, csv_file("more.csv", "title,category", "Uploaded one,home", "Uploaded two,"))
    expect(task_item(page, "Uploaded two")).to_be_visible()
    page.reload()
    expect(task_titles(page)).to_have_count(5)
    log_out(page)
    browser.close()
print(json.dumps(served))
"""


def browser_visit(project: Path, env: Mapping[str, str], base_url: str) -> Counter[str]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (set CHROMIUM_PATH)")
    visit = run(
        ["uv", "run", "python", "-c", BROWSER_VISIT, base_url, CHROMIUM], cwd=project, env=env
    )
    return Counter(json.loads(visit.stdout.strip().splitlines()[-1]))


# --- writes while an instance dies ----------------------------------------------------------


@dataclass
class Write:
    title: str
    status: int | None  # None: no answer at all
    served_by: str
    sent_at: float
    task_id: int | None = None


@dataclass
class WriteStream:
    """WRITERS threads posting tasks through the balancer until stopped."""

    client: Client
    token: str
    writes: list[Write] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def acknowledged(self) -> list[Write]:
        with self.lock:
            return [write for write in self.writes if write.status == 201]

    def write(self, writer: int) -> None:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        number = 0
        while not self.stopping.is_set():
            number += 1
            title = f"write {writer}-{number}"
            body = json.dumps({"title": title}).encode()
            sent_at = time.monotonic()
            try:
                answer = self.client.request("POST", "/api/tasks", body=body, headers=headers)
            except OSError:
                record = Write(title, None, "?", sent_at)
            else:
                record = Write(title, answer.status, served_by(answer), sent_at)
                if answer.status == 201:
                    record.task_id = answer.json()["id"]
            with self.lock:
                self.writes.append(record)

    @contextmanager
    def running(self) -> Iterator[WriteStream]:
        threads = [threading.Thread(target=self.write, args=(n,)) for n in range(WRITERS)]
        for thread in threads:
            thread.start()
        try:
            yield self
        finally:
            self.stopping.set()
            for thread in threads:
                thread.join(timeout=60)


def stored_tasks(database_url: str, framework: str, folder: Path) -> dict[int, str]:
    """Every task in the database, read there directly: id -> title."""
    psql = shutil.which("psql")
    assert psql is not None, "psql is not installed"
    query = f"SELECT id, title FROM {TASK_TABLE[framework]}"
    rows = run([psql, database_url, "-X", "-A", "-t", "-F", "\t", "-c", query], cwd=folder)
    return {
        int(task_id): title
        for task_id, title in (line.split("\t", 1) for line in rows.stdout.splitlines() if line)
    }


# --- the test -------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["django", "flask"])
def test_three_instances_behind_a_balancer_share_one_state(
    framework: str,
    tmp_path: Path,
    installed_project: InstalledProject,
    record_property: Any,
) -> None:
    assert_reachable("redis", REDIS_URL)
    started = time.monotonic()
    project, env = installed_project(framework, "postgresql", include_jobs=True)
    installed = time.monotonic()
    run_id = uuid.uuid4().hex[:8]
    served_env = {
        # One SECRET_KEY for every instance, as in production: sessions and CSRF rely on it.
        **production_env(env),
        "ALLOWED_HOSTS": HOST,
        # Each busy thread holds a database connection: 3 instances x 2 workers x the default
        # 32 threads could ask for 192, above PostgreSQL's default limit of 100, which this
        # machine's other tests share (docs/adr/0014). 4 threads each serve this test's four
        # writers and more.
        "GUNICORN_THREADS": str(THREADS),
        "TRUSTED_PROXY_HOPS": "1",  # the balancer's X-Forwarded-For names the client
        "CELERY_BROKER_URL": REDIS_URL,
        # A queue and keys of this run's own: no other test's worker takes its jobs.
        "CELERY_TASK_DEFAULT_QUEUE": f"many-{run_id}",
        "CELERY_KEY_PREFIX": f"many-{run_id}:",
    }
    figures: dict[str, Any] = {}

    with ExitStack() as stack:
        stack.callback(
            run,
            ["uv", "run", "python", "-c", PREFIXED_KEYS, REDIS_URL, f"many-{run_id}:", "--delete"],
            cwd=project,
            env=served_env,
        )
        processes: dict[str, subprocess.Popen[bytes]] = {}
        ports: dict[str, int] = {}
        starts = []
        with ThreadPoolExecutor(max_workers=1) as beside:
            # The worker gets ready while the instances start.
            worker = running_worker(project, served_env, tmp_path / "worker.log")
            worker_ready = beside.submit(stack.enter_context, worker)
            # The instances one after the other: each `make serve` migrates (nothing to do)
            # and, with Django, collects the static files into the one folder they share.
            for number in range(1, INSTANCES + 1):
                name = f"web{number}"
                log = tmp_path / f"{name}.log"
                starting = time.monotonic()
                ports[name], processes[name] = stack.enter_context(
                    make_process("serve", project, served_env, log, timeout=START_TIMEOUT)
                )
                starts.append(round(time.monotonic() - starting, 1))
            worker_ready.result()
        figures["instance_start_s"] = starts
        balancer = stack.enter_context(running_balancer(ports, tmp_path))
        figures["installed_s"] = round(installed - started, 1)
        # From installed to ready: the instances, the worker and the balancer started.
        figures["serving_s"] = round(time.monotonic() - installed, 1)
        client = Client(balancer.url)

        # The contract scenario, every request to the next instance in turn.
        before = balancer.sent()
        recorder = run_scenario(balancer.url)
        scenario_spread = balancer.sent() - before
        figures["scenario_requests_per_instance"] = dict(sorted(scenario_spread.items()))
        assert recorder.problems == [], "\n".join(recorder.problems)
        assert set(scenario_spread) == set(ports), scenario_spread

        # A browser's visit: session, CSRF token, upload.
        browser_spread = browser_visit(project, served_env, balancer.url)
        figures["browser_responses_per_instance"] = dict(sorted(browser_spread.items()))
        assert set(browser_spread) == set(ports), browser_spread

        # Imports as jobs: each started by one instance, run by the worker, read from any.
        token = token_for(client, "importer")
        jobs = {
            start_import(client, token, f"title\nJob {n} task\n".encode()): n
            for n in range(1, JOBS + 1)
        }
        job_spread, finished = poll_jobs(client, token, jobs, tmp_path / "worker.log")
        figures["job_reads_per_instance"] = dict(sorted(job_spread.items()))
        assert finished == {
            job_id: {"state": "succeeded", "result": {"created": 1}} for job_id in jobs
        }
        assert set(job_spread) == set(ports), job_spread

        # Writes while one instance dies.
        victim = "web2"
        stream = WriteStream(client, token_for(client, "writer"))
        with stream.running():
            wait_for(lambda: len(stream.acknowledged()) >= WRITES_BEFORE_KILL, timeout=60)
            killed_at = time.monotonic()
            os.killpg(processes[victim].pid, signal.SIGKILL)
            down_at = balancer.wait_until("DOWN", {victim}, timeout=NOTICED_WITHIN)
            sent_to_victim = balancer.sent()[victim]
            time.sleep(WRITING_AFTER_DOWN)
        sent_after_down = balancer.sent()[victim] - sent_to_victim

    stored = stored_tasks(env["DATABASE_URL"], framework, tmp_path)
    writes = stream.writes
    acknowledged = [write for write in writes if write.status == 201]
    found = [write for write in acknowledged if stored.get(write.task_id or 0) == write.title]
    failed = [write for write in writes if write.status != 201]
    after_down = [write for write in writes if write.sent_at > down_at]
    stored_titles = set(stored.values())
    figures.update(
        writes=len(writes),
        acknowledged=len(acknowledged),
        acknowledged_and_found=len(found),
        failed=len(failed),
        failed_statuses=dict(Counter(str(write.status) for write in failed)),
        stored_without_acknowledgement=sum(write.title in stored_titles for write in failed),
        noticed_down_after_s=round(down_at - killed_at, 3),
        writes_after_down=len(after_down),
        writes_after_down_per_instance=dict(Counter(write.served_by for write in after_down)),
        sent_to_dead_after_down=sent_after_down,
        total_s=round(time.monotonic() - started, 1),
    )
    print(f"\n{framework}: {json.dumps(figures)}")
    record_property("many_instances", figures)

    assert len(found) == len(acknowledged), figures
    assert figures["noticed_down_after_s"] < NOTICED_WITHIN
    assert sent_after_down == 0, figures
    assert after_down, figures
    assert all(write.status == 201 for write in after_down), figures
    assert {write.served_by for write in after_down} == set(ports) - {victim}, figures


def wait_for(condition: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout} s")
        time.sleep(0.02)


def poll_jobs(
    client: Client, token: str, jobs: Mapping[int, int], worker_log: Path
) -> tuple[Counter[str], dict[int, dict[str, Any]]]:
    """Read every job until it has finished; who answered the reads, and how each ended."""
    headers = {"Authorization": f"Bearer {token}"}
    spread: Counter[str] = Counter()
    finished: dict[int, dict[str, Any]] = {}
    deadline = time.monotonic() + JOB_TIMEOUT
    while len(finished) < len(jobs) and time.monotonic() < deadline:
        for job_id in jobs.keys() - finished.keys():
            answer = client.request("GET", f"/api/jobs/{job_id}", headers=headers)
            assert answer.status == 200, answer.text()
            spread[served_by(answer)] += 1
            job = answer.json()
            if job["state"] in ("succeeded", "failed"):
                finished[job_id] = {"state": job["state"], "result": job["result"]}
        time.sleep(0.05)
    if len(finished) < len(jobs):
        pytest.fail(f"jobs unfinished after {JOB_TIMEOUT} s:\n{tail(worker_log.read_text())}")
    return spread, finished
