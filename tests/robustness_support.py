"""Clients that try to break a running server, for tests/test_robustness.py.

`ApiUser` talks JSON to /api/ with a personal token; `envelope_problem` says what is wrong with
an answer that should be a 4xx error envelope; `hostile_requests` lists the attacks; `Writers`
drives N concurrent clients that create, change and delete tasks and remember exactly what the
server acknowledged; `database_tasks` reads the tasks table of a PostgreSQL database with psql,
so that what was acknowledged can be compared with what was stored. Standard library only.
"""

from __future__ import annotations

import csv
import html
import io
import json
import random
import re
import shutil
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from http.cookies import SimpleCookie
from typing import Any

import pytest

from contract_scenario import Client, Response, csv_upload, multipart

PASSWORD = "a-long-robust-password-1"
JSON = "application/json"
ENVELOPE_KEYS = frozenset({"code", "message", "fields", "rows"})
ERROR_CODE = re.compile(r"[a-z]+(_[a-z]+)*")
TASK_FIELDS = ("title", "description", "category", "priority", "done", "due_date")
# The tables of each flavour, as its ORM names them.
TASK_TABLES = {"django": "tasks_task", "flask": "tasks"}
USER_TABLES = {"django": "accounts_user", "flask": "users"}


# --- talking to the API ---------------------------------------------------------------------


class ApiUser:
    """One account on the server, speaking JSON with its Bearer token."""

    def __init__(self, client: Client, token: str) -> None:
        self.client = client
        self.token = token

    @classmethod
    def sign_up(cls, client: Client, username: str) -> ApiUser:
        """Register `username`, then exchange its password for a token (POST /api/auth/...)."""
        account = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
        registered = send_json(client, "POST", "/api/auth/register", account)
        assert registered.status == 201, registered.text()
        credentials = {"username": username, "password": PASSWORD}
        issued = send_json(client, "POST", "/api/auth/token", credentials)
        assert issued.status == 200, issued.text()
        return cls(client, issued.json()["token"])

    @property
    def authorization(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str) -> Response:
        return self.client.request("GET", path, headers=self.authorization)

    def send(self, method: str, path: str, body: Any = None) -> Response:
        return send_json(self.client, method, path, body, headers=self.authorization)

    def send_raw(self, method: str, path: str, body: bytes, content_type: str | None) -> Response:
        headers = dict(self.authorization)
        if content_type is not None:
            headers["Content-Type"] = content_type
        return self.client.request(method, path, body=body, headers=headers)

    def tasks(self) -> list[dict[str, Any]]:
        """Every task of the account, through the API, oldest first."""
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            answer = self.get(f"/api/tasks?size=100&page={page}&ordering=created_at")
            assert answer.status == 200, answer.text()
            body = answer.json()
            items += body["items"]
            if page * body["size"] >= body["total"]:
                return items
            page += 1


def send_json(
    client: Client,
    method: str,
    path: str,
    body: Any,
    headers: Mapping[str, str] | None = None,
) -> Response:
    data = None if body is None else json.dumps(body).encode()
    return client.request(
        method, path, body=data, headers={"Content-Type": JSON, **(headers or {})}
    )


def envelope_problem(response: Response, statuses: set[int] | None = None) -> str | None:
    """What is wrong with a response that should be a 4xx error envelope, or None.

    `statuses` narrows the acceptable 4xx statuses; the body must be exactly
    `{"error": {"code", "message", "fields"?, "rows"?}}` with a snake_case code.
    """
    status = response.status
    if not 400 <= status < 500 or (statuses is not None and status not in statuses):
        wanted = sorted(statuses) if statuses is not None else "a 4xx"
        return f"answered {status}, not {wanted}: {response.body[:300]!r}"
    if not response.is_json:
        return f"answered {status} as {response.content_type!r}, not JSON: {response.body[:300]!r}"
    try:
        body = response.json()
    except ValueError:
        return f"answered {status} with a body that is not JSON: {response.body[:300]!r}"
    error = body.get("error") if isinstance(body, dict) and list(body) == ["error"] else None
    if not isinstance(error, dict) or not {"code", "message"} <= set(error) <= ENVELOPE_KEYS:
        return f"answered {status} outside the error envelope: {body!r:.300}"
    if not isinstance(error["code"], str) or not ERROR_CODE.fullmatch(error["code"]):
        return f"answered {status} with the error code {error['code']!r}"
    if not isinstance(error["message"], str) or not error["message"]:
        return f"answered {status} without a message: {body!r:.300}"
    if "fields" in error and not (
        isinstance(error["fields"], dict)
        and all(isinstance(text, str) and text for text in error["fields"].values())
    ):
        return f"answered {status} with malformed fields: {body!r:.300}"
    return None


# --- hostile requests -----------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    """One request a careless or malicious client sends, and the 4xx statuses it may get."""

    name: str
    method: str
    path: str
    body: bytes | None = None
    content_type: str | None = JSON
    statuses: frozenset[int] = frozenset({400, 413, 415, 422})


MEGABYTE = 1024 * 1024
# Larger than the 5 MB both flavours accept for a request body.
OVERSIZED = 6 * MEGABYTE
# Deep enough to exhaust Python's recursion limit in any JSON parser built on it.
NESTING = 100_000
PATH_LIKE_IDS = (
    "..%2F..",
    "..%2F..%2Fapi%2Fhealth",
    "%2e%2e",
    "..;",
    "1%2F..",
    "1%00",
    "%00",
    "-1",
    "0",
    "abc",
    "1.5",
    "1e3",
    "%201",
    "%EF%BC%90",  # a full-width zero: a digit to str.isdigit, not to a URL converter
    str(2**31),
    str(2**63),
    "1" + "0" * 30,
    "9" * 2000,
)


def hostile_requests(task_id: int) -> Iterator[Hostile]:
    """Everything `tests/test_robustness.py` throws at one flavour; each wants a 4xx envelope.

    `task_id` is a task of the attacking user, for the attacks on an existing task.
    """
    one = f"/api/tasks/{task_id}"
    for path, method in (("/api/tasks", "POST"), (one, "PATCH"), ("/api/auth/register", "POST")):
        yield Hostile(f"{method} {path}: an oversized JSON body", method, path, oversized_json())
        yield Hostile(f"{method} {path}: JSON cut short", method, path, b'{"title": "Half')
        yield Hostile(f"{method} {path}: an empty body", method, path, b"")
        yield Hostile(f"{method} {path}: not UTF-8", method, path, b'{"title": "\xff\xfe"}')
        yield Hostile(f"{method} {path}: JSON nested too deep", method, path, deep_json())
        yield Hostile(f"{method} {path}: a JSON list", method, path, b'["title"]')
        yield Hostile(f"{method} {path}: JSON null", method, path, b"null")
        yield Hostile(f"{method} {path}: a JSON number too big", method, path, huge_number())
        yield Hostile(f"{method} {path}: NaN", method, path, b'{"title": NaN}')
        yield Hostile(
            f"{method} {path}: a form instead of JSON",
            method,
            path,
            b"title=Pay+rent",
            "application/x-www-form-urlencoded",
        )
        body, content_type = multipart({"title": ("title.txt", b"Pay rent", "text/plain")})
        yield Hostile(
            f"{method} {path}: multipart instead of JSON", method, path, body, content_type
        )
        yield Hostile(
            f"{method} {path}: XML instead of JSON",
            method,
            path,
            b"<task><title>Pay rent</title></task>",
            "application/xml",
        )
    yield Hostile(
        "PATCH a task with a title that is a number",
        "PATCH",
        one,
        b'{"title": 1e400}',
        statuses=frozenset({400, 422}),
    )
    imports = "/api/tasks/import"
    for name, data in csv_files_that_cannot_be_imported().items():
        body, content_type = csv_upload(data)
        yield Hostile(f"import {name}", "POST", imports, body, content_type, frozenset({422}))
    body, content_type = csv_upload(b"title\n" + b"x" * OVERSIZED)
    yield Hostile("import an oversized file", "POST", imports, body, content_type)
    yield Hostile("import a JSON body", "POST", imports, b'{"file": "title\\nx"}')
    yield Hostile("import a body without a content type", "POST", imports, b"title\nx\n", None)
    yield Hostile(
        "import multipart without a boundary",
        "POST",
        imports,
        b"title\nx\n",
        "multipart/form-data",
    )
    yield Hostile(
        "import a multipart body cut short",
        "POST",
        imports,
        b'--cut\r\nContent-Disposition: form-data; name="file"; filename="t.csv"\r\n\r\ntit',
        "multipart/form-data; boundary=cut",
    )
    for raw_id in PATH_LIKE_IDS:
        for method in ("GET", "PATCH", "DELETE"):
            body = b'{"title": "Moved"}' if method == "PATCH" else None
            yield Hostile(
                f"{method} /api/tasks/{raw_id[:40]}",
                method,
                f"/api/tasks/{raw_id}",
                body,
                JSON if body else None,
                frozenset({404, 405}),
            )
    for query in (
        "page=0",
        "page=-1",
        "page=abc",
        "size=101",
        "size=0",
        "done=maybe",
        "ordering=id;DROP%20TABLE%20tasks",
        "ordering=-",
        f"q={'x' * 1000}",
        "q=%00",
        "category=%00",
    ):
        yield Hostile(
            f"GET /api/tasks?{query[:40]}",
            "GET",
            f"/api/tasks?{query}",
            None,
            None,
            frozenset({422}),
        )


def oversized_json() -> bytes:
    return json.dumps({"title": "Too big", "description": "x" * OVERSIZED}).encode()


def deep_json() -> bytes:
    return b'{"title": ' + b"[" * NESTING + b"]" * NESTING + b"}"


def huge_number() -> bytes:
    return b'{"title": "Big", "done": ' + b"9" * 5000 + b"}"


def csv_files_that_cannot_be_imported() -> dict[str, bytes]:
    """Files that must be refused with a 422 naming `file` or listing their rows."""
    good = "title,description\nPay rent,Before the 5th\nCafé,Crème brûlée\n"
    return {
        "UTF-16 with a BOM": good.encode("utf-16"),
        "UTF-16 without a BOM": good.encode("utf-16-le"),
        "Latin-1 bytes": good.encode("latin-1"),
        "a UTF-8 file with one Latin-1 byte": good.encode() + b"Caf\xe9\n",
        "a NUL byte in a cell": b"title\nPay\x00rent\n",
        "a header only of unknown columns": b"=cmd|' /C calc'!A0\nx\n",
        "no header at all": b"",
        "a row with more cells than the header": b"title\nPay rent,extra\n",
        "a title over 200 characters": b"title\n" + b"x" * 201 + b"\n",
        "more rows than allowed": b"title\n" + b"x\n" * 10_001,
    }


# Text that would run, or break a query or a page, if it were not kept as text.
NASTY_TEXTS = (
    "'; DROP TABLE tasks; --",
    "Robert'); DELETE FROM users WHERE ('1'='1",
    '" OR 1=1 --',
    "%_\\",
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "</textarea><b>bold</b>&amp;",
    "{{ 7*7 }} {% raw %}",
    "=cmd|' /C calc'!A0",
    "+SUM(A1:A2)",
    "-2+3",
    "@SUM(1)",
    "'=already quoted",
    "Ünïcödé 😀 \u202e right-to-left",
    'line one\nline two, "quoted"',
)


def nasty_task(index: int) -> dict[str, Any]:
    """A valid task whose every text field holds one of NASTY_TEXTS."""
    texts = NASTY_TEXTS
    return {
        "title": texts[index % len(texts)],
        "description": texts[(index + 1) % len(texts)],
        "category": texts[(index + 2) % len(texts)][:50].strip(),
    }


def csv_rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))


# --- the HTML pages -------------------------------------------------------------------------


class Browser:
    """A browser's cookie jar on Client: signs in through the log-in form, then reads pages."""

    LOGIN = "/accounts/login/"
    # The hidden input's attributes in either order (WTForms writes them alphabetically).
    CSRF_INPUT = re.compile(
        r'<input(?=[^>]*\bname="(csrfmiddlewaretoken|csrf_token)")[^>]*\bvalue="([^"]+)"'
    )

    def __init__(self, client: Client) -> None:
        self.client = client
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str | None = None
    ) -> Response:
        headers = {"Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if content_type is not None:
            headers["Content-Type"] = content_type
        answer = self.client.request(method, path, body=body, headers=headers)
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return answer

    def sign_in(self, username: str) -> None:
        form = self.request("GET", self.LOGIN)
        assert form.status == 200, form.text()
        found = self.CSRF_INPUT.search(form.text())
        assert found, "the log-in form has no CSRF token"
        fields = {found.group(1): found.group(2), "username": username, "password": PASSWORD}
        answer = self.request(
            "POST",
            self.LOGIN,
            urllib.parse.urlencode(fields).encode(),
            "application/x-www-form-urlencoded",
        )
        assert answer.status in (302, 303), f"log-in answered {answer.status}: {answer.text()}"

    def page(self, path: str) -> str:
        answer = self.request("GET", path)
        assert answer.status == 200, f"{path} answered {answer.status}"
        return answer.text()


def shown_escaped(page: str, text: str) -> str | None:
    """What is wrong with how `page` shows a nasty `text`, or None.

    The text must be on the page once HTML entities are read, and a text that carries markup
    must never be on it as it is (each template engine escapes quotes its own way, so the
    escaped form is not compared).
    """
    if text not in html.unescape(page):
        return f"{text!r} is not on the page"
    if "<" in text and text in page:
        return f"{text!r} is on the page unescaped"
    return None


# --- concurrent writers ---------------------------------------------------------------------

# Each writer owns one field of the shared tasks: concurrent changes to different fields of one
# row must all survive.
WRITER_FIELDS = ("title", "description", "category", "priority", "done", "due_date")
PRIORITIES = ("low", "normal", "high")


@dataclass
class Ledger:
    """What the server acknowledged, by task id: the task's fields, or None once deleted."""

    tasks: dict[int, dict[str, Any] | None] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)

    def counted(self) -> None:
        with self.lock:
            self.requests += 1


@dataclass
class Writers:
    """N clients of one account that create, change and delete tasks at the same time.

    First, for `seconds` or `max_requests` requests per writer, whichever ends first: writer `i`
    alone changes field WRITER_FIELDS[i] of every shared task, so each field's final value is
    that writer's last acknowledged one, whatever the others wrote to the row meanwhile; each
    writer also creates tasks of its own and changes or deletes some of them. Then, for
    `race_rounds` rounds, all writers change one new task while one of them deletes it: each
    change must be a 200 or a 404, never a 5xx. The ledger holds what was acknowledged.
    """

    user: ApiUser
    clients: int
    seconds: float
    max_requests: int
    race_rounds: int
    changes_per_race: int = 3
    shared: int = 3
    seed: int = 20261125
    ledger: Ledger = field(default_factory=Ledger)

    def run(self) -> Ledger:
        assert 2 <= self.clients <= len(WRITER_FIELDS), "one field of the shared tasks a writer"
        shared = [self._create(f"shared {n}") for n in range(self.shared)]
        deadline = time.monotonic() + self.seconds
        self._all_at_once(partial(self._write, shared=shared, deadline=deadline))
        for round_number in range(self.race_rounds):
            doomed = self._create(f"doomed {round_number}")
            start = threading.Barrier(self.clients)
            self._all_at_once(partial(self._race, doomed=doomed, start=start))
        return self.ledger

    def _all_at_once(self, work: Callable[[int], None]) -> None:
        threads = [
            threading.Thread(target=self._guarded, args=(work, number), name=f"writer-{number}")
            for number in range(self.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=self.seconds + 120)
            if thread.is_alive():
                self.ledger.problem(f"{thread.name} did not finish")

    def _guarded(self, work: Callable[[int], None], number: int) -> None:
        try:
            work(number)
        except OSError as error:
            self.ledger.problem(f"writer {number}: the connection failed: {error!r}")
        except threading.BrokenBarrierError:
            self.ledger.problem(f"writer {number}: another writer gave up")

    def _create(self, title: str) -> int:
        answer = self.user.send("POST", "/api/tasks", {"title": title})
        self.ledger.counted()
        assert answer.status == 201, answer.text()
        task = answer.json()
        with self.ledger.lock:
            self.ledger.tasks[task["id"]] = {name: task[name] for name in TASK_FIELDS}
        return int(task["id"])

    def _write(self, number: int, shared: list[int], deadline: float) -> None:
        choose = random.Random(self.seed + number)
        own: list[int] = []
        for sequence in range(self.max_requests):
            if time.monotonic() >= deadline:
                return
            roll = choose.random()
            if roll < 0.4:
                self._change_shared(number, sequence, choose.choice(shared))
            elif roll < 0.7 or not own:
                if (created := self._create_own(number, sequence)) is not None:
                    own.append(created)
            elif roll < 0.9:
                self._change_own(number, sequence, choose.choice(own))
            else:
                self._delete(own.pop(choose.randrange(len(own))), {204})

    def _race(self, number: int, doomed: int, start: threading.Barrier) -> None:
        start.wait(timeout=60)
        if number == 0:
            self._delete(doomed, {204})
            return
        for attempt in range(self.changes_per_race):
            changes = {"description": f"race {number}-{attempt}"}
            answer = self.user.send("PATCH", f"/api/tasks/{doomed}", changes)
            if self._answer(f"change task {doomed} while it is deleted", answer, {200, 404}):
                if answer.status == 404:
                    return
                self._acknowledge(doomed, changes)

    def _answer(self, what: str, answer: Response, wanted: set[int]) -> bool:
        self.ledger.counted()
        if answer.status in wanted:
            return True
        self.ledger.problem(f"{what} answered {answer.status}: {answer.body[:300]!r}")
        return False

    def _acknowledge(self, task_id: int, changes: Mapping[str, Any]) -> None:
        with self.ledger.lock:
            known = self.ledger.tasks.get(task_id)
            if known is not None:  # a deletion acknowledged first stays a deletion
                known.update(changes)

    def _create_own(self, number: int, sequence: int) -> int | None:
        data = {"title": f"w{number}-{sequence}", "description": f"by writer {number}"}
        answer = self.user.send("POST", "/api/tasks", data)
        if not self._answer("create", answer, {201}):
            return None
        task = answer.json()
        with self.ledger.lock:
            self.ledger.tasks[task["id"]] = {name: task[name] for name in TASK_FIELDS}
        return int(task["id"])

    def _change_shared(self, number: int, sequence: int, task_id: int) -> None:
        name = WRITER_FIELDS[number]
        changes = {name: value_for(name, number, sequence)}
        answer = self.user.send("PATCH", f"/api/tasks/{task_id}", changes)
        if self._answer(f"change {name} of shared task {task_id}", answer, {200}):
            self._acknowledge(task_id, changes)

    def _change_own(self, number: int, sequence: int, task_id: int) -> None:
        changes = {"category": f"c{number}", "done": sequence % 2 == 0}
        answer = self.user.send("PATCH", f"/api/tasks/{task_id}", changes)
        if self._answer(f"change own task {task_id}", answer, {200}):
            self._acknowledge(task_id, changes)

    def _delete(self, task_id: int, wanted: set[int]) -> None:
        answer = self.user.send("DELETE", f"/api/tasks/{task_id}")
        if self._answer(f"delete task {task_id}", answer, wanted):
            with self.ledger.lock:
                self.ledger.tasks[task_id] = None


def value_for(name: str, number: int, sequence: int) -> Any:
    """A value for field `name` that says who wrote it, and when."""
    if name == "priority":
        return PRIORITIES[sequence % len(PRIORITIES)]
    if name == "done":
        return sequence % 2 == 1
    if name == "due_date":
        return f"2030-01-{sequence % 28 + 1:02d}"
    return f"{name} by {number} at {sequence}"


# --- the database, read directly --------------------------------------------------------------


def query_csv(database_url: str, query: str) -> list[list[str]]:
    """The rows of a SELECT, read with psql as CSV (so any text survives)."""
    psql = shutil.which("psql")
    if psql is None:
        pytest.fail("psql is not installed: the database cannot be read", pytrace=False)
    result = subprocess.run(
        [
            psql,
            database_url,
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            f"COPY ({query}) TO STDOUT WITH (FORMAT csv)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return list(csv.reader(io.StringIO(result.stdout, newline="")))


def database_count(database_url: str, table: str) -> int:
    return int(query_csv(database_url, f"SELECT count(*) FROM {table}")[0][0])


def database_tasks(database_url: str, table: str) -> dict[int, dict[str, Any]]:
    """Every row of the tasks table, by id, with the API's field names and JSON values."""
    columns = ", ".join(("id", *TASK_FIELDS))
    rows: dict[int, dict[str, Any]] = {}
    for cells in query_csv(database_url, f"SELECT {columns} FROM {table} ORDER BY id"):
        task_id, title, description, category, priority, done, due_date = cells
        rows[int(task_id)] = {
            "title": title,
            "description": description,
            "category": category,
            "priority": priority,
            "done": done == "t",
            "due_date": due_date or None,
        }
    return rows


def ledger_differences(
    acknowledged: Mapping[int, dict[str, Any] | None], stored: Mapping[int, dict[str, Any]]
) -> list[str]:
    """Every way the stored tasks differ from the acknowledged ones."""
    differences = []
    for task_id, task in sorted(acknowledged.items()):
        if task is None and task_id in stored:
            differences.append(f"task {task_id} was deleted (204) but is still stored")
        elif task is not None and task_id not in stored:
            differences.append(f"task {task_id} was acknowledged but is lost")
        elif task is not None and stored[task_id] != task:
            differences.append(f"task {task_id} is stored as {stored[task_id]}, not {task}")
    for task_id in sorted(set(stored) - set(acknowledged)):
        differences.append(f"task {task_id} is stored but was never acknowledged")
    titles = [task["title"] for task in stored.values()]
    duplicated = sorted({title for title in titles if titles.count(title) > 1})
    if duplicated:
        differences.append(f"titles stored more than once: {duplicated}")
    return differences


def first_lines(problems: list[str], limit: int = 20) -> str:
    shown = "\n".join(problems[:limit])
    more = len(problems) - limit
    return shown + (f"\n... and {more} more" if more > 0 else "")
