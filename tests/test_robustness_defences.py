"""The defences a real service ships with, tried on a served project of each framework.

Each test closes one row of the table of issue 16 (the row's number is in its docstring): the
Content-Security-Policy of the pages (3), the start-up refusal of an unsafe SECRET_KEY (4), a
PostgreSQL that accepts connections but never answers (5), the SQLite file moved while serving
(6), an oversized upload (7), the formula guard on tabs and carriage returns (10), and what
`make serve` serves (11). One project per framework is rendered (with jobs, so the worker is
tried too), installed and migrated for the whole module, on SQLite unless a test says otherwise.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from contract_scenario import Client, Response, csv_upload
from robustness_support import ApiUser, csv_rows, envelope_problem
from servers import HOST, free_port, prepare_project, started_by_make, stop, wait_for_health
from support import clean_env, python_interpreter, question_values, snapshot_template, tail

pytestmark = pytest.mark.slow

FLAVOURS: list[str] = question_values("framework")
PYTHON_VERSION = "3.12"
MEGABYTE = 1024 * 1024
# The placeholder `.env.example` ships, and keys that are empty or too short.
UNSAFE_KEYS = {
    "empty": "",
    "the .env.example placeholder": "change-me-to-a-long-random-string",
    "20 characters": "Xq7#bz9Lw2Rt5Vn8Kp3H",
}
# How long the web process and the worker may take to refuse an unsafe key.
REFUSAL_TIMEOUT = 60.0
# What a silent database may cost a request: the connect timeout (3 s) and some slack.
SILENT_DATABASE_BUDGET = 5.0
# Far less than reading a refused 20 MB body into memory would add to the server's peak.
MEMORY_GROWTH_ALLOWED = 8 * MEGABYTE


@dataclass(frozen=True)
class Project:
    framework: str
    path: Path
    env: dict[str, str]
    logs: Path

    @property
    def sqlite_file(self) -> Path:
        return self.path / "db.sqlite3"


@pytest.fixture(scope="module", params=FLAVOURS)
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Project:
    """One project of the framework for every test of the module: jobs on, SQLite, installed
    and migrated. Rendered with the PostgreSQL answer, so that its driver is installed for the
    silent-database test; DATABASE_URL points at SQLite for everything else."""
    framework: str = request.param
    workspace = tmp_path_factory.mktemp(f"defences-{framework}")
    template = snapshot_template(workspace / "template", with_git=True)
    path = workspace / framework
    env = {
        **clean_env(PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])),
        "UV_PYTHON": python_interpreter(PYTHON_VERSION),
        "UV_PYTHON_DOWNLOADS": "never",
        "DATABASE_URL": f"sqlite:///{path / 'db.sqlite3'}",
        "WEB_CONCURRENCY": "1",
    }
    prepare_project(
        template, path, env, framework=framework, database="postgresql", include_jobs=True
    )
    logs = workspace / "logs"
    logs.mkdir()
    return Project(framework, path, env, logs)


@contextmanager
def served(project: Project, name: str, **env: str) -> Iterator[Client]:
    """`make serve` of the project (with `env` on top), once /api/health answers 200."""
    log = project.logs / f"{name}.log"
    with started_by_make("serve", project.path, {**project.env, **env}, log) as port:
        yield Client(f"http://{HOST}:{port}")


def timed(action: object) -> tuple[Response, float]:
    started = time.monotonic()
    answer = action()  # type: ignore[operator]
    return answer, time.monotonic() - started


# --- row 3: a Content-Security-Policy on every page ------------------------------------------


def test_pages_carry_a_content_security_policy_and_no_script_reads_the_csrf_cookie(
    project: Project,
) -> None:
    """Row 3 (and item 6): CSP on the HTML pages, the API docs page included; every cookie a
    page sets is out of reach of scripts, since they read the CSRF token from the page."""
    with served(project, "csp") as client:
        pages = {
            path: client.request("GET", path, headers={"Accept": "text/html"})
            for path in ("/accounts/login/", "/accounts/signup/", "/api/docs")
        }

    problems = []
    for path, page in pages.items():
        policy = page.headers.get("Content-Security-Policy", "")
        if page.status != 200 or "default-src 'self'" not in policy:
            problems.append(f"{path}: {page.status}, Content-Security-Policy {policy!r}")
        for cookie in page.headers.get_all("Set-Cookie") or []:
            if "httponly" not in cookie.lower():
                problems.append(f"{path} sets a cookie scripts can read: {cookie[:80]}")
    assert problems == []


# --- row 4: production refuses to start with an unsafe SECRET_KEY ----------------------------


# The processes that must refuse: `make serve` past its migrations (so that the server itself
# is tried), gunicorn started on its own (as the container image does), and the worker.
STARTS = {
    "make serve": ["make", "serve", "MIGRATE=:"],
    "gunicorn": ["uv", "run", "gunicorn", "--config", "gunicorn.conf.py"],
    "make worker": ["make", "worker"],
}
WSGI_APPS = {"django": "config.wsgi:application", "flask": "{package}.app:create_app()"}


def refused(project: Project, start: str, secret_key: str, log: Path) -> tuple[int | None, str]:
    """Start `start` with the key and DEBUG off; its exit status (None: still running when
    stopped) and its output."""
    command = list(STARTS[start])
    if start == "gunicorn":
        command.append(WSGI_APPS[project.framework].format(package=package_name(project)))
    env = {**project.env, "SECRET_KEY": secret_key, "DEBUG": "false"}
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, f"PORT={free_port()}"] if command[0] == "make" else command,
            cwd=project.path,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        status: int | None
        try:
            status = process.wait(timeout=REFUSAL_TIMEOUT)
        except subprocess.TimeoutExpired:
            status = None
        finally:
            stop(process)
    return status, log.read_text(errors="replace")


def package_name(project: Project) -> str:
    answers = (project.path / ".copier-answers.yml").read_text()
    found = re.search(r"^package_name: (\w+)$", answers, re.M)
    assert found, answers
    return found.group(1)


@pytest.mark.parametrize("start", list(STARTS))
def test_an_unsafe_secret_key_stops_the_web_process_and_the_worker(
    project: Project, start: str
) -> None:
    """Row 4: an empty, placeholder or short SECRET_KEY with DEBUG off: the process exits
    non-zero by itself, with a line that names the setting (before: it served)."""
    problems = []
    for name, key in UNSAFE_KEYS.items():
        log = project.logs / f"key-{start.replace(' ', '-')}-{name.replace(' ', '-')}.log"
        status, output = refused(project, start, key, log)
        if status is None or status == 0:
            problems.append(f"{name}: `{start}` did not stop by itself ({status})")
            break  # it served: the other keys would be served as well
        elif not re.search(r"^\S*(Error|ImproperlyConfigured): SECRET_KEY \w", output, re.M):
            problems.append(f"{name}: no line names SECRET_KEY; output ends:\n{tail(output)}")
    assert problems == [], "\n".join(problems)


# --- row 5: a PostgreSQL that accepts connections but never answers --------------------------


@contextmanager
def silent_database() -> Iterator[int]:
    """A TCP server on a free port that accepts every connection and never says a word."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((HOST, 0))
    listener.listen(64)
    listener.settimeout(0.2)
    held: list[socket.socket] = []
    done = threading.Event()

    def accept() -> None:
        while not done.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(connection)

    thread = threading.Thread(target=accept, name="silent-database", daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        done.set()
        thread.join(timeout=5)
        listener.close()
        for connection in held:
            connection.close()


@contextmanager
def answering_anything(project: Project, name: str, **env: str) -> Iterator[Client]:
    """`make serve` without its migrations (the database is not there to take them), ready
    once /api/health gives any answer at all."""
    port = free_port()
    log = project.logs / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["make", "serve", f"PORT={port}", "MIGRATE=:"],
            cwd=project.path,
            env={**project.env, **env},
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, f"make serve exited:\n{tail(log.read_text())}"
            assert time.monotonic() < deadline, f"no answer in 90 s:\n{tail(log.read_text())}"
            try:
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                connection.request("GET", "/api/health")
                connection.getresponse().read()
                connection.close()
                break
            except OSError:
                time.sleep(0.3)
        yield Client(f"http://{HOST}:{port}")
    finally:
        stop(process)


def test_a_silent_postgresql_is_a_fast_503_in_json(project: Project) -> None:
    """Row 5: health answers 503 JSON within 5 s, other routes the error envelope, request
    after request (before: health hung 30 s, then gunicorn's HTML 500, then no answer)."""
    credentials = json.dumps({"username": "nobody", "password": "a-long-robust-password-1"})
    with silent_database() as port:
        url = f"postgres://postgres@{HOST}:{port}/silent"
        with answering_anything(project, "silent-database", DATABASE_URL=url) as client:
            answers = []
            for _ in range(3):
                answers.append(("health", *timed(lambda: client.request("GET", "/api/health"))))
                sign_in = lambda: client.request(  # noqa: E731
                    "POST",
                    "/api/auth/token",
                    body=credentials.encode(),
                    headers={"Content-Type": "application/json"},
                )
                answers.append(("token", *timed(sign_in)))
                if any(seconds > SILENT_DATABASE_BUDGET for *_, seconds in answers):
                    break  # one slow answer says enough; the next would be as slow

    problems = []
    for what, answer, seconds in answers:
        if seconds > SILENT_DATABASE_BUDGET:
            problems.append(f"{what} took {seconds:.1f} s")
        if what == "health":
            if answer.status != 503 or not answer.is_json:
                problems.append(f"health answered {answer.status}: {answer.body[:200]!r}")
            elif answer.json() != {"status": "error", "database": "unreachable"}:
                problems.append(f"health answered {answer.json()!r}")
        elif answer.status != 503 or not answer.is_json:
            problems.append(f"{what} answered {answer.status}: {answer.body[:200]!r}")
        elif answer.json().get("error", {}).get("code") != "database_unavailable":
            problems.append(f"{what} answered {answer.json()!r}")
    print(f"{project.framework}: " + ", ".join(f"{w} {s:.2f} s" for w, _, s in answers))
    assert problems == []


# --- row 6: the SQLite file moved while serving -----------------------------------------------


def test_the_sqlite_file_moved_away_while_serving_is_a_503(project: Project) -> None:
    """Row 6: the health check reads a real table, so it notices (before: still "ok")."""
    moved = project.sqlite_file.with_name("moved.sqlite3")
    with served(project, "moved-sqlite") as client:
        before = client.request("GET", "/api/health")
        project.sqlite_file.rename(moved)
        try:
            after = [client.request("GET", "/api/health") for _ in range(3)]
        finally:
            os.replace(moved, project.sqlite_file)
        restored = client.request("GET", "/api/health")

    assert before.status == 200
    assert [answer.status for answer in after] == [503] * 3, [a.body[:200] for a in after]
    assert all(answer.json()["database"] == "unreachable" for answer in after)
    assert restored.status == 200


# --- row 7: an oversized upload is refused before it is read ----------------------------------


def gunicorn_peak_memory(make_pid: int) -> int:
    """The peak resident memory (VmHWM), in bytes, summed over the gunicorn processes that
    make started: whichever of them read a body into memory, the sum grows by its size."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
            status = (entry / "status").read_text()
        except OSError:
            continue
        group = int(stat.rsplit(")", 1)[1].split()[2])
        peak = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        if group == make_pid and b"gunicorn" in command and peak:
            total += int(peak.group(1)) * 1024
    assert total, "no gunicorn process found"
    return total


def post_oversized(
    port: int, path: str, body: bytes, headers: Mapping[str, str], *, chunked: bool = False
) -> Response:
    """POST a large body, announced by Content-Length or sent in chunks without one; a server
    that answers before reading it all may close the connection mid-way, so the answer is
    read even when sending fails."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    piece = 64 * 1024
    try:
        connection.putrequest("POST", path)
        length = {"Transfer-Encoding": "chunked"} if chunked else {"Content-Length": str(len(body))}
        for name, value in {**headers, **length}.items():
            connection.putheader(name, value)
        connection.endheaders()
        try:
            for start in range(0, len(body), piece):
                data = body[start : start + piece]
                connection.send(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
            if chunked:
                connection.send(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = connection.getresponse()
        return Response(status=answer.status, headers=answer.headers, body=answer.read())
    finally:
        connection.close()


def test_an_oversized_upload_is_refused_before_it_is_read(project: Project) -> None:
    """Row 7: a ~20 MB CSV to the import is a 413 envelope, whether its length is announced or
    it comes in chunks; the server's memory stays flat and nothing is stored (before, on
    Django: read in full)."""
    rows = b"title\n" + b"".join(b"task %d\n" % n for n in range(2_000_000))
    assert len(rows) > 19 * MEGABYTE
    body, content_type = csv_upload(rows)
    port = free_port()
    log = project.logs / "oversized.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["make", "serve", f"PORT={port}"],
            cwd=project.path,
            env=dict(project.env),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_health(process, port, log, "make serve", {}, 90)
        client = Client(f"http://{HOST}:{port}")
        user = ApiUser.sign_up(client, "uploader")
        user.tasks()  # the worker has served a request or two: its baseline
        peak_before = gunicorn_peak_memory(process.pid)
        headers = {**user.authorization, "Content-Type": content_type}
        answer = post_oversized(port, "/api/tasks/import", body, headers)
        peak_after = gunicorn_peak_memory(process.pid)
        chunked = post_oversized(port, "/api/tasks/import", body, headers, chunked=True)
        peak_after_chunked = gunicorn_peak_memory(process.pid)
        stored = user.tasks()
    finally:
        stop(process)

    growth = peak_after - peak_before
    chunked_growth = peak_after_chunked - peak_after
    print(
        f"{project.framework}: gunicorn's peak memory grew by {growth / MEGABYTE:.1f} MB,"
        f" then by {chunked_growth / MEGABYTE:.1f} MB for the chunked body"
    )
    assert envelope_problem(answer, {413}) is None, envelope_problem(answer, {413})
    assert answer.json()["error"]["code"] == "payload_too_large"
    assert envelope_problem(chunked, {413}) is None, envelope_problem(chunked, {413})
    assert growth < MEMORY_GROWTH_ALLOWED
    # Without a length, the body is read up to the limit (5 MB) before it is refused.
    assert chunked_growth < 5 * MEGABYTE + MEMORY_GROWTH_ALLOWED
    assert stored == []


# --- row 10: the formula guard covers tabs and carriage returns --------------------------------


def test_export_guards_cells_that_start_with_a_tab_or_a_carriage_return(project: Project) -> None:
    """Row 10: such a cell is written with the leading quote, and import removes it again."""
    descriptions = ["\t=1+1", "\r@SUM(A1:A2)", "\t\tplain"]
    with served(project, "formulas") as client:
        alice = ApiUser.sign_up(client, "alice-formulas")
        for description in descriptions:
            created = alice.send("POST", "/api/tasks", {"title": "t", "description": description})
            assert created.status == 201, created.text()
        exported = alice.get("/api/tasks/export.csv")
        bob = ApiUser.sign_up(client, "bob-formulas")
        body, content_type = csv_upload(exported.body)
        imported = bob.send_raw("POST", "/api/tasks/import", body, content_type)
        bobs = sorted(task["description"] for task in bob.tasks())

    assert exported.status == 200
    cells = [row["description"] for row in csv_rows(exported.body)]
    assert sorted(cells) == sorted(f"'{text}" for text in descriptions)
    assert imported.status == 201, imported.text()
    assert bobs == sorted(descriptions)


# --- row 11: `make serve` serves the production settings ---------------------------------------


def test_make_serve_serves_the_production_settings_whatever_env_says(project: Project) -> None:
    """Row 11: with the generated `.env` (DEBUG=true), `make serve` answers an unknown page
    with the plain 404 page and an unknown API path with the envelope, and logs JSON lines."""
    assert re.search(r"^DEBUG=true$", (project.path / ".env").read_text(), re.M)
    with served(project, "production-settings") as client:
        page = client.request("GET", "/no-such-page/", headers={"Accept": "text/html"})
        api = client.request("GET", "/api/no-such-path")
        log = project.logs / "production-settings.log"
        time.sleep(0.5)  # the access log line of the last request
        lines = log.read_text(errors="replace").splitlines()

    assert page.status == 404
    for debug_marker in ("URLconf", "Traceback", "DEBUG = True", "Werkzeug Debugger"):
        assert debug_marker not in page.text(), debug_marker
    assert envelope_problem(api, {404}) is None
    requests_logged = [line for line in lines if "/no-such-page/" in line]
    assert requests_logged, tail("\n".join(lines))
    assert all(json.loads(line)["message"] for line in requests_logged), requests_logged
