"""One scripted HTTP scenario of the API contract (DESIGN.md §3), replayable against any server.

`run_scenario(base_url)` drives a fresh server of either flavour through the contract: accounts
and tokens, password reset, tasks created, listed, filtered, ordered, paged, changed and
deleted, another user's task, no credentials, statistics, CSV export and import, routing errors
and health. It uses the standard library only (http.client), so it needs nothing the server's
project does not have.

Every step checks what the contract says about it (its status code, the error envelope and the
fields it names, the values the contract fixes) and adds a *recording* of the answer: the status,
the JSON shape (keys and value types, recursively, never values such as ids, tokens or times),
for errors the code and the named `fields` / `rows`, and the few values that the scenario's data
determine (titles in order, totals, counts). Two flavours serve one contract when their
recordings are equal, step by step.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import re
import urllib.parse
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

CSV_HEADER = "title,description,category,priority,done,due_date"
TASK_KEYS = {
    "id",
    "title",
    "description",
    "category",
    "priority",
    "done",
    "due_date",
    "created_at",
    "updated_at",
}
USER_KEYS = {"id", "username", "email"}
TOKEN_KEYS = {"token", "id", "expires_at"}
TOKEN_INFO_KEYS = {"id", "name", "created_at", "last_used_at", "expires_at"}
PAGE_KEYS = {"items", "total", "page", "size", "total_is_bound"}
STATS_KEYS = {"total", "done", "completion_rate", "by_category"}
ORDERINGS = (
    "created_at",
    "-created_at",
    "due_date",
    "-due_date",
    "priority",
    "-priority",
    "title",
    "-title",
)
REQUEST_TIMEOUT = 30.0

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?")
_OFFSET = re.compile(r"Z|[+-][0-9]{2}:?[0-9]{2}")


# --- shapes ---------------------------------------------------------------------------------


def string_kind(value: str) -> str:
    """`str`, or what the string holds when the contract gives it a format (dates, times)."""
    if _DATE.fullmatch(value):
        return "str:date"
    match = _DATETIME.match(value)
    if match:
        rest = value[match.end() :]
        if _OFFSET.fullmatch(rest):
            return "str:datetime"
        return "str:datetime-without-offset" if not rest else "str"
    return "str"


def shape(value: Any) -> Any:
    """The JSON shape of a value: keys and value types, recursively; list items' distinct shapes.

    `{"id": 3, "tags": ["a", "b"], "due": None}` → `{"due": "null", "id": "int",
    "tags": ["str"]}`. A list's shape lists each distinct item shape once, in a stable order;
    an empty list is `[]`.
    """
    if isinstance(value, dict):
        return {str(key): shape(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        distinct: dict[str, Any] = {}
        for item in value:
            item_shape = shape(item)
            distinct.setdefault(json.dumps(item_shape, sort_keys=True), item_shape)
        return [distinct[key] for key in sorted(distinct)]
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return string_kind(value)
    return type(value).__name__


# --- HTTP -------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    @property
    def is_json(self) -> bool:
        return self.content_type.split(";")[0].strip() == "application/json"

    def json(self) -> Any:
        return json.loads(self.body)

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Client:
    """A tiny HTTP client on http.client: one connection a request, no redirects followed."""

    def __init__(self, base_url: str) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        assert parsed.hostname is not None
        assert parsed.port is not None
        self.host = parsed.hostname
        self.port = parsed.port

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)
        try:
            all_headers = {"Accept": "application/json", **(headers or {})}
            if body is not None:
                all_headers.setdefault("Content-Length", str(len(body)))
            connection.request(method, path, body=body, headers=all_headers)
            answer = connection.getresponse()
            return Response(status=answer.status, headers=answer.headers, body=answer.read())
        finally:
            connection.close()


def multipart(files: Mapping[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    """A multipart/form-data body of `{field: (filename, content, content type)}`."""
    boundary = f"contract-{uuid.uuid4().hex}"
    parts = []
    for name, (filename, content, content_type) in files.items():
        parts.append(
            (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


# --- the recording --------------------------------------------------------------------------


class ScenarioAborted(Exception):
    """A step the rest of the scenario depends on failed (no token, say)."""


@dataclass
class Recorder:
    """Runs the steps against one server; keeps the recording and every broken expectation."""

    client: Client
    recording: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def call(
        self,
        step: str,
        method: str,
        path: str,
        *,
        expect: int,
        json_body: Any = None,
        raw: bytes | None = None,
        content_type: str | None = None,
        token: str | None = None,
        headers: Mapping[str, str] | None = None,
        code: str | None = None,
        fields: set[str] | None = None,
        rows: list[tuple[int, str]] | None = None,
        keys: set[str] | None = None,
        facts: Callable[[Response], Mapping[str, Any]] | None = None,
        record_shape: bool = True,
    ) -> Response:
        """One request: record its answer and check it against the contract.

        `expect` is the status code the contract names; `code`, `fields` and `rows` what an
        error's envelope must say; `keys` the exact keys of a JSON object answer; `facts`
        picks values the scenario's data fix (recorded, so flavours must agree on them too).
        `record_shape=False` leaves a JSON answer's shape out of the recording (the OpenAPI
        document, which the test compares on its own terms).
        """
        assert all(entry["step"] != step for entry in self.recording), f"two steps named {step}"
        request_headers = dict(headers or {})
        body = raw
        if json_body is not None:
            body = json.dumps(json_body).encode()
            request_headers.setdefault("Content-Type", "application/json")
        if content_type is not None:
            request_headers["Content-Type"] = content_type
        if token is not None:
            request_headers["Authorization"] = f"Bearer {token}"
        response = self.client.request(method, path, body=body, headers=request_headers)

        entry: dict[str, Any] = {"step": step, "status": response.status}
        shown = f"{step} ({method} {path})"
        if response.status != expect:
            self.problem(shown, f"status {response.status}, the contract says {expect}", response)
        parsed: Any = None
        if not response.body:
            entry["body"] = "empty"
        elif response.is_json:
            try:
                parsed = response.json()
            except ValueError:
                self.problem(shown, "the body is not valid JSON", response)
            else:
                entry["shape"] = shape(parsed) if record_shape else "(not compared here)"
        elif response.body:
            entry["content_type"] = response.content_type.split(";")[0].strip()
        if response.status >= 400:
            entry["error"] = self.check_envelope(shown, response, parsed)
            expected_error = {
                "code": code,
                "fields": sorted(fields) if fields is not None else None,
                "rows": [list(row) for row in rows] if rows is not None else None,
            }
            for name, expected in expected_error.items():
                got = (entry["error"] or {}).get(name)
                if expected is not None and got != expected:
                    self.problem(shown, f"error {name} is {got!r}, expected {expected!r}", response)
        elif keys is not None:
            got_keys = set(parsed) if isinstance(parsed, dict) else None
            if got_keys != keys:
                self.problem(shown, f"keys {sorted(got_keys or [])}, expected {sorted(keys)}")
        if facts is not None and response.status == expect:
            try:
                entry["facts"] = dict(facts(response))
            except Exception as error:  # a fact that cannot be read is a broken answer
                self.problem(shown, f"cannot read the answer's facts: {error!r}", response)
        self.recording.append(entry)
        return response

    def check_envelope(self, shown: str, response: Response, parsed: Any) -> dict[str, Any] | None:
        """`{"error": {"code", "message", "fields"?, "rows"?}}`; what it names, for the record."""
        if not response.is_json:
            self.problem(
                shown, f"an error answered as {response.content_type!r}, not JSON", response
            )
            return None
        error = parsed.get("error") if isinstance(parsed, dict) else None
        if not isinstance(parsed, dict) or set(parsed) != {"error"} or not isinstance(error, dict):
            self.problem(shown, "the error is not in the envelope {'error': {...}}", response)
            return None
        if not isinstance(error.get("code"), str) or not isinstance(error.get("message"), str):
            self.problem(shown, "the envelope needs a string `code` and `message`", response)
        extra = set(error) - {"code", "message", "fields", "rows"}
        if extra:
            self.problem(shown, f"the envelope has unknown keys {sorted(extra)}", response)
        recorded: dict[str, Any] = {"code": error.get("code")}
        if "fields" in error:
            fields = error["fields"]
            if not isinstance(fields, dict) or not all(
                isinstance(message, str) for message in fields.values()
            ):
                self.problem(shown, "`fields` must map names to messages", response)
            recorded["fields"] = sorted(fields) if isinstance(fields, dict) else fields
        if "rows" in error:
            rows = error["rows"]
            try:
                recorded["rows"] = [[row["row"], row["field"]] for row in rows]
                assert all(isinstance(row["message"], str) for row in rows)
            except (TypeError, KeyError, AssertionError):
                self.problem(shown, "`rows` must be [{row, field, message}]", response)
                recorded["rows"] = rows
        return recorded

    def problem(self, shown: str, what: str, response: Response | None = None) -> None:
        detail = ""
        if response is not None and response.is_json:
            detail = f"\n      body: {response.text()[:400]}"
        elif response is not None:
            detail = f"\n      body: {len(response.body)} bytes of {response.content_type!r}"
        self.problems.append(f"{shown}: {what}{detail}")


# --- helpers for the steps ------------------------------------------------------------------


def titles(response: Response) -> list[str]:
    return [item["title"] for item in response.json()["items"]]


def page_facts(response: Response) -> dict[str, Any]:
    body = response.json()
    return {
        "titles": titles(response),
        "total": body["total"],
        "total_is_bound": body["total_is_bound"],
        "page": body["page"],
        "size": body["size"],
    }


def task_facts(response: Response) -> dict[str, Any]:
    """The fields of a task the client chose (or the defaults gave); not id or times."""
    body = response.json()
    return {
        name: body[name]
        for name in ("title", "description", "category", "priority", "done", "due_date")
    }


def user_facts(response: Response) -> dict[str, Any]:
    body = response.json()
    return {"username": body["username"], "email": body["email"]}


def query(path: str, **params: Any) -> str:
    return f"{path}?{urllib.parse.urlencode(params)}" if params else path


def csv_upload(text: str | bytes) -> tuple[bytes, str]:
    content = text.encode("utf-8") if isinstance(text, str) else text
    return multipart({"file": ("tasks.csv", content, "text/csv")})


# --- the scenario ---------------------------------------------------------------------------

AUTH = "/api/auth"
TASKS = "/api/tasks"
PASSWORD = "correct horse battery"

# Alice's tasks, created in this order (so the default order, newest first, is the reverse).
ALICE_TASKS: list[dict[str, Any]] = [
    {"title": "Buy milk"},  # every other field from its default
    {
        "title": "Write report",
        "description": "Quarterly numbers",
        "category": "work",
        "priority": "high",
        "done": False,
        "due_date": "2030-03-01",
    },
    {
        "title": "Pay rent",
        "category": "home",
        "priority": "low",
        "done": True,
        "due_date": "2030-01-15",
    },
    {
        "title": "Call the plumber",
        "description": "The kitchen sink LEAKS",
        "category": "home",
        "priority": "high",
        "due_date": "2030-01-15",
    },
    {"title": "Archive mail", "category": "work", "priority": "low", "done": True},
]
DEFAULTS: dict[str, Any] = {
    "description": "",
    "category": "",
    "priority": "normal",
    "done": False,
    "due_date": None,
}
NEWEST_FIRST = [data["title"] for data in reversed(ALICE_TASKS)]

# Filters and search over alice's five tasks, and the titles they give (newest first).
FILTERS: list[tuple[dict[str, str], list[str]]] = [
    ({"done": "true"}, ["Archive mail", "Pay rent"]),
    ({"done": "false"}, ["Call the plumber", "Write report", "Buy milk"]),
    ({"category": "home"}, ["Call the plumber", "Pay rent"]),
    ({"category": "hom"}, []),  # exact, not a prefix
    ({"category": ""}, ["Buy milk"]),
    ({"q": "leaks"}, ["Call the plumber"]),  # in the description, case-insensitive
    ({"q": "MILK"}, ["Buy milk"]),  # bob's "milk" stays his
    ({"q": "r"}, ["Archive mail", "Call the plumber", "Pay rent", "Write report"]),
    ({"q": "%"}, []),  # a literal percent sign, not a wildcard
    ({"category": "work", "done": "false"}, ["Write report"]),
]
# Every ordering: priority by rank, no due date last either way, ties by id in the direction.
ORDERS: dict[str, list[str]] = {
    "created_at": list(reversed(NEWEST_FIRST)),
    "-created_at": NEWEST_FIRST,
    "due_date": ["Pay rent", "Call the plumber", "Write report", "Buy milk", "Archive mail"],
    "-due_date": ["Write report", "Call the plumber", "Pay rent", "Archive mail", "Buy milk"],
    "priority": ["Pay rent", "Archive mail", "Buy milk", "Write report", "Call the plumber"],
    "-priority": ["Call the plumber", "Write report", "Buy milk", "Archive mail", "Pay rent"],
    "title": sorted(NEWEST_FIRST),
    "-title": sorted(NEWEST_FIRST, reverse=True),
}
BAD_LIST_PARAMETERS: list[tuple[dict[str, str], set[str]]] = [
    ({"size": "0"}, {"size"}),
    ({"size": "101"}, {"size"}),
    ({"page": "0"}, {"page"}),
    ({"page": "first"}, {"page"}),
    ({"done": "maybe"}, {"done"}),
    ({"ordering": "colour"}, {"ordering"}),
    ({"page": "-1", "size": "1000", "done": "yes"}, {"page", "size", "done"}),
]
GOOD_CSV = (
    "\ufeff"  # a byte order mark is accepted on import
    f"{CSV_HEADER}\n"
    "Water plants,Every other day,home,low,false,2030-02-01\n"
    "'=SUM(A1),,,,true,\n"  # a guarded formula: import drops the one quote
)
BAD_CSV = (
    f"{CSV_HEADER}\n"  # line 1
    "Fine,,,,,\n"  # line 2
    ",no title,,,,\n"  # line 3
    "Bad priority,,,urgent,,\n"  # line 4
    "Bad done and date,,,,maybe,2030-13-01\n"  # line 5
)
BAD_CSV_ROWS = [(3, "title"), (4, "priority"), (5, "done"), (5, "due_date")]


@dataclass
class People:
    """What the later chapters need from the earlier ones."""

    alice: str = ""
    bob: str = ""
    task_ids: dict[str, int] = field(default_factory=dict)
    bobs_task: int = 0


def run_scenario(base_url: str, train_model: Callable[[], None] | None = None) -> Recorder:
    """Replay the whole scenario against the server at base_url (fresh, empty database).

    With `train_model` (a project with the ML module, no model trained yet), the ML chapters
    run too: the endpoints without a model, then `train_model()`, then with the model.
    """
    recorder = Recorder(Client(base_url))
    people = People()
    chapters: list[Callable[[Recorder, People], None]] = [
        health_and_documents,
        accounts,
        password_reset,
        creating_tasks,
        listing_tasks,
        one_task,
        another_users_task,
        no_credentials,
        statistics,
        csv_export_and_import,
        routing_errors,
        throttling,
    ]
    if train_model is not None:
        chapters += [ml_without_a_model, lambda _r, _p: train_model(), ml_with_a_model]
    try:
        for chapter in chapters:
            chapter(recorder, people)
    except ScenarioAborted as aborted:
        recorder.problems.append(f"the scenario stopped: {aborted}")
    return recorder


def params_label(params: Mapping[str, str]) -> str:
    return " ".join(f"{key}={value!r}" for key, value in params.items())


def health_and_documents(r: Recorder, _: People) -> None:
    r.call(
        "health",
        "GET",
        "/api/health",
        expect=200,
        keys={"status", "database"},
        facts=lambda response: response.json(),
    )
    docs = r.call("interactive docs", "GET", "/api/docs", expect=200)
    if docs.status == 200 and not docs.content_type.startswith("text/html"):
        r.problem("interactive docs", f"served as {docs.content_type!r}, not HTML")
    document = r.call(
        "openapi document", "GET", "/api/openapi.json", expect=200, record_shape=False
    )
    if document.is_json and not str(document.json().get("openapi", "")).startswith("3."):
        r.problem("openapi document", "not an OpenAPI 3 document")


def accounts(r: Recorder, people: People) -> None:
    for name in ("alice", "bob"):
        registered = r.call(
            f"register {name}",
            "POST",
            f"{AUTH}/register",
            json_body={"username": name, "email": f"{name}@example.com", "password": PASSWORD},
            expect=201,
            keys=USER_KEYS,
            facts=user_facts,
        )
        if registered.status != 201:
            raise ScenarioAborted(f"cannot register {name}")
    r.call(
        "register a taken username",
        "POST",
        f"{AUTH}/register",
        json_body={"username": "alice", "email": "other@example.com", "password": PASSWORD},
        expect=409,
        code="conflict",
    )
    r.call(
        "register with bad values",
        "POST",
        f"{AUTH}/register",
        json_body={"username": "no spaces allowed", "email": "not-an-email", "password": "short"},
        expect=422,
        code="validation_error",
        fields={"username", "email", "password"},
    )
    r.call(
        "register with missing fields and an unknown one",
        "POST",
        f"{AUTH}/register",
        json_body={"username": "carol", "is_staff": True},
        expect=422,
        code="validation_error",
        fields={"email", "password", "is_staff"},
    )
    r.call(
        "register with a body that is not JSON",
        "POST",
        f"{AUTH}/register",
        raw=b'{"username": "carol",',
        content_type="application/json",
        expect=400,
        code="bad_request",
    )
    for name in ("alice", "bob"):
        answer = r.call(
            f"token for {name}",
            "POST",
            f"{AUTH}/token",
            json_body={"username": name, "password": PASSWORD},
            expect=200,
            keys=TOKEN_KEYS,
        )
        if answer.status != 200 or not answer.is_json:
            raise ScenarioAborted(f"no token for {name}")
        setattr(people, name, answer.json()["token"])
    if people.alice == people.bob:
        r.problem("token for bob", "two users got the same token")
    r.call(
        "token with a wrong password",
        "POST",
        f"{AUTH}/token",
        json_body={"username": "alice", "password": "wrong password"},
        expect=401,
        code="not_authenticated",
    )
    r.call(
        "token for an unknown user",
        "POST",
        f"{AUTH}/token",
        json_body={"username": "nobody", "password": PASSWORD},
        expect=401,
        code="not_authenticated",
    )
    r.call(
        "token with missing fields",
        "POST",
        f"{AUTH}/token",
        json_body={},
        expect=422,
        code="validation_error",
        fields={"username", "password"},
    )
    me = r.call(
        "me", "GET", f"{AUTH}/me", token=people.alice, expect=200, keys=USER_KEYS, facts=user_facts
    )
    if me.status == 200 and user_facts(me) != {"username": "alice", "email": "alice@example.com"}:
        r.problem("me", f"the token is not alice's: {user_facts(me)}")
    r.call("me without credentials", "GET", f"{AUTH}/me", expect=401, code="not_authenticated")
    r.call(
        "me with a bad token",
        "GET",
        f"{AUTH}/me",
        token="not-a-token",
        expect=401,
        code="not_authenticated",
    )
    token_life_cycle(r, people)


def token_facts(response: Response) -> dict[str, Any]:
    """The names of the listed tokens, in the list's order, and that no secret is among them."""
    tokens = response.json()
    assert all(set(token) == TOKEN_INFO_KEYS for token in tokens), "a token's keys differ"
    return {"names": [token["name"] for token in tokens]}


def token_life_cycle(r: Recorder, people: People) -> None:
    """A named token, the list, revoking one (not another user's), revoking the request's own
    token, and a revoked token refused (DESIGN.md §3, Tokens)."""
    named = r.call(
        "a named token for alice",
        "POST",
        f"{AUTH}/token",
        json_body={"username": "alice", "password": PASSWORD, "name": "backup script"},
        expect=200,
        keys=TOKEN_KEYS,
    )
    if named.status != 200 or not named.is_json:
        raise ScenarioAborted("no named token for alice")
    secret, token_id = named.json()["token"], named.json()["id"]
    listed = r.call(
        "alice's tokens", "GET", f"{AUTH}/tokens", token=people.alice, expect=200, facts=token_facts
    )
    if listed.status == 200 and secret in listed.text():
        r.problem("alice's tokens", "the list shows a token's secret")
    r.call(
        "tokens without credentials", "GET", f"{AUTH}/tokens", expect=401, code="not_authenticated"
    )
    r.call(
        "bob revokes alice's token",
        "DELETE",
        f"{AUTH}/tokens/{token_id}",
        token=people.bob,
        expect=404,
        code="not_found",
    )
    r.call("the token still works", "GET", f"{AUTH}/me", token=secret, expect=200, keys=USER_KEYS)
    r.call("revoke a token", "DELETE", f"{AUTH}/tokens/{token_id}", token=people.alice, expect=204)
    r.call(
        "a revoked token", "GET", f"{AUTH}/me", token=secret, expect=401, code="not_authenticated"
    )
    r.call(
        "revoke an unknown token",
        "DELETE",
        f"{AUTH}/tokens/{token_id}",
        token=people.alice,
        expect=404,
        code="not_found",
    )
    throwaway = r.call(
        "a token to revoke by itself",
        "POST",
        f"{AUTH}/token",
        json_body={"username": "alice", "password": PASSWORD, "name": "throwaway"},
        expect=200,
        keys=TOKEN_KEYS,
    )
    if throwaway.status != 200 or not throwaway.is_json:
        raise ScenarioAborted("no throwaway token for alice")
    own = throwaway.json()["token"]
    r.call("revoke the request's own token", "DELETE", f"{AUTH}/token", token=own, expect=204)
    r.call(
        "the token revoked by itself",
        "GET",
        f"{AUTH}/me",
        token=own,
        expect=401,
        code="not_authenticated",
    )
    r.call(
        "revoke the request's token without one",
        "DELETE",
        f"{AUTH}/token",
        expect=401,
        code="not_authenticated",
    )
    r.call(
        "alice's tokens after revoking",
        "GET",
        f"{AUTH}/tokens",
        token=people.alice,
        expect=200,
        facts=token_facts,
    )


def password_reset(r: Recorder, _: People) -> None:
    """The calls that need no mail: every address is accepted, a made-up token is refused."""
    r.call(
        "password reset for an unknown address",
        "POST",
        f"{AUTH}/password-reset",
        json_body={"email": "nobody@example.com"},
        expect=202,
    )
    r.call(
        "password reset for a bad address",
        "POST",
        f"{AUTH}/password-reset",
        json_body={"email": "not-an-email"},
        expect=422,
        code="validation_error",
        fields={"email"},
    )
    r.call(
        "password reset confirm with a made-up token",
        "POST",
        f"{AUTH}/password-reset/confirm",
        json_body={"token": "made-up", "password": "a-long-and-unusual-passphrase"},
        expect=400,
        code="invalid_token",
    )
    r.call(
        "password reset confirm with a short password",
        "POST",
        f"{AUTH}/password-reset/confirm",
        json_body={"token": "made-up", "password": "short"},
        expect=422,
        code="validation_error",
        fields={"password"},
    )
    r.call(
        "password reset confirm with missing fields",
        "POST",
        f"{AUTH}/password-reset/confirm",
        json_body={},
        expect=422,
        code="validation_error",
        fields={"token", "password"},
    )


def creating_tasks(r: Recorder, people: People) -> None:
    for data in ALICE_TASKS:
        step = f"create {data['title']!r}"
        created = r.call(
            step,
            "POST",
            TASKS,
            json_body=data,
            token=people.alice,
            expect=201,
            keys=TASK_KEYS,
            facts=task_facts,
        )
        if created.status != 201:
            raise ScenarioAborted(f"cannot create {data['title']!r}")
        people.task_ids[data["title"]] = created.json()["id"]
        if task_facts(created) != {**DEFAULTS, **data}:
            r.problem(step, f"answered {task_facts(created)} for {data}")
    created = r.call(
        "create bob's task",
        "POST",
        TASKS,
        json_body={"title": "Bob's secret", "category": "work", "description": "milk"},
        token=people.bob,
        expect=201,
        keys=TASK_KEYS,
    )
    if created.status != 201:
        raise ScenarioAborted("cannot create bob's task")
    people.bobs_task = created.json()["id"]
    for step, body, fields in (
        (
            "create with a blank title, a bad priority and an unknown field",
            {"title": "   ", "priority": "urgent", "colour": "red"},
            {"title", "priority", "colour"},
        ),
        ("create without a title", {"description": "no title"}, {"title"}),
        (
            "create with a long title, a string for done and a bad date",
            {"title": "x" * 201, "done": "yes", "due_date": "01/02/2030"},
            {"title", "done", "due_date"},
        ),
    ):
        r.call(
            step,
            "POST",
            TASKS,
            json_body=body,
            token=people.alice,
            expect=422,
            code="validation_error",
            fields=fields,
        )
    for step, raw in (
        ("create with a body that is not JSON", b'{"title": "unfinished'),
        ("create with an empty body", b""),
    ):
        r.call(
            step,
            "POST",
            TASKS,
            raw=raw,
            content_type="application/json",
            token=people.alice,
            expect=400,
            code="bad_request",
        )
    r.call(
        "create with a JSON list",
        "POST",
        TASKS,
        json_body=["a", "list"],
        token=people.alice,
        expect=422,
        code="validation_error",
    )


def listing_tasks(r: Recorder, people: People) -> None:
    listing = r.call(
        "list", "GET", TASKS, token=people.alice, expect=200, keys=PAGE_KEYS, facts=page_facts
    )
    expected_page = {
        "titles": NEWEST_FIRST,
        "total": 5,
        "total_is_bound": False,
        "page": 1,
        "size": 20,
    }
    if listing.status == 200 and page_facts(listing) != expected_page:
        r.problem("list", f"got {page_facts(listing)}, expected {expected_page}")
    for params, expected_titles in FILTERS:
        step = f"list {params_label(params)}"
        answer = r.call(
            step, "GET", query(TASKS, **params), token=people.alice, expect=200, facts=page_facts
        )
        if answer.status == 200 and titles(answer) != expected_titles:
            r.problem(step, f"titles {titles(answer)}, expected {expected_titles}")
    for ordering, expected_titles in ORDERS.items():
        step = f"list ordering={ordering}"
        answer = r.call(
            step,
            "GET",
            query(TASKS, ordering=ordering),
            token=people.alice,
            expect=200,
            facts=page_facts,
        )
        if answer.status == 200 and titles(answer) != expected_titles:
            r.problem(step, f"titles {titles(answer)}, expected {expected_titles}")
    # The count stops after the next page and one task more (ADR 0017): page 1 of size 2
    # counts 5 tasks and says "at least"; from page 2 on it reaches past the fifth, exact.
    pages = ((1, NEWEST_FIRST[:2], True), (3, NEWEST_FIRST[4:], False), (4, [], False))
    for page, expected_titles, bound in pages:
        step = f"list page={page} size=2"
        answer = r.call(
            step,
            "GET",
            query(TASKS, page=page, size=2),
            token=people.alice,
            expect=200,
            keys=PAGE_KEYS,
            facts=page_facts,
        )
        expected_page = {
            "titles": expected_titles,
            "total": 5,
            "total_is_bound": bound,
            "page": page,
            "size": 2,
        }
        if answer.status == 200 and page_facts(answer) != expected_page:
            r.problem(step, f"got {page_facts(answer)}, expected {expected_page}")
    for params, bad in BAD_LIST_PARAMETERS:
        r.call(
            f"list {params_label(params)}",
            "GET",
            query(TASKS, **params),
            token=people.alice,
            expect=422,
            code="validation_error",
            fields=bad,
        )


def one_task(r: Recorder, people: People) -> None:
    milk = f"{TASKS}/{people.task_ids['Buy milk']}"
    alice = people.alice
    r.call("get a task", "GET", milk, token=alice, expect=200, keys=TASK_KEYS, facts=task_facts)
    patched = r.call(
        "patch a task",
        "PATCH",
        milk,
        json_body={"done": True, "priority": "high", "due_date": "2030-05-01"},
        token=alice,
        expect=200,
        keys=TASK_KEYS,
        facts=task_facts,
    )
    expected = {**DEFAULTS, "title": "Buy milk", "done": True, "priority": "high"}
    if patched.status == 200 and task_facts(patched) != {**expected, "due_date": "2030-05-01"}:
        r.problem("patch a task", f"the task is now {task_facts(patched)}")
    for step, body in (
        ("patch clears the due date", {"due_date": None}),
        ("patch with an empty object", {}),
    ):
        answer = r.call(
            step,
            "PATCH",
            milk,
            json_body=body,
            token=alice,
            expect=200,
            keys=TASK_KEYS,
            facts=task_facts,
        )
        if answer.status == 200 and task_facts(answer) != expected:
            r.problem(step, f"the task is now {task_facts(answer)}, expected {expected}")
    r.call(
        "patch with bad values",
        "PATCH",
        milk,
        json_body={"title": "", "priority": "urgent", "done": None, "colour": "red"},
        token=alice,
        expect=422,
        code="validation_error",
        fields={"title", "priority", "done", "colour"},
    )
    r.call(
        "patch with a body that is not JSON",
        "PATCH",
        milk,
        raw=b"{not json",
        content_type="application/json",
        token=alice,
        expect=400,
        code="bad_request",
    )
    archive = f"{TASKS}/{people.task_ids['Archive mail']}"
    deleted = r.call("delete a task", "DELETE", archive, token=alice, expect=204)
    if deleted.status == 204 and deleted.body:
        r.problem("delete a task", f"a 204 with a body: {deleted.body[:100]!r}")
    r.call("get a deleted task", "GET", archive, token=alice, expect=404, code="not_found")
    r.call("delete a deleted task", "DELETE", archive, token=alice, expect=404, code="not_found")
    r.call(
        "get a missing task", "GET", f"{TASKS}/999999", token=alice, expect=404, code="not_found"
    )
    r.call(
        "get a task by a non-integer id",
        "GET",
        f"{TASKS}/abc",
        token=alice,
        expect=404,
        code="not_found",
    )


def another_users_task(r: Recorder, people: People) -> None:
    theirs = f"{TASKS}/{people.bobs_task}"
    for method, body in (("GET", None), ("PATCH", {"title": "Mine now"}), ("DELETE", None)):
        r.call(
            f"{method} another user's task",
            method,
            theirs,
            json_body=body,
            token=people.alice,
            expect=404,
            code="not_found",
        )
    untouched = r.call(
        "bob's task is untouched",
        "GET",
        theirs,
        token=people.bob,
        expect=200,
        facts=task_facts,
    )
    if untouched.status == 200 and untouched.json()["title"] != "Bob's secret":
        r.problem("bob's task is untouched", f"it is now {task_facts(untouched)}")


def no_credentials(r: Recorder, people: People) -> None:
    one = f"{TASKS}/{people.task_ids['Buy milk']}"
    for method, path, body in (
        ("GET", TASKS, None),
        ("POST", TASKS, {"title": "Anonymous"}),
        ("GET", f"{TASKS}/stats", None),
        ("GET", f"{TASKS}/export.csv", None),
        ("POST", f"{TASKS}/import", None),
        ("GET", one, None),
        ("PATCH", one, {"done": False}),
        ("DELETE", one, None),
    ):
        shown = path.replace(one, f"{TASKS}/{{id}}")
        r.call(
            f"{method} {shown} without credentials",
            method,
            path,
            json_body=body,
            expect=401,
            code="not_authenticated",
        )
    r.call(
        "list with a bad token",
        "GET",
        TASKS,
        token="not-a-token",
        expect=401,
        code="not_authenticated",
    )


def statistics(r: Recorder, people: People) -> None:
    # Left to alice: Buy milk (done, no category), Write report (work), Pay rent (done, home)
    # and Call the plumber (home); Archive mail was deleted.
    stats = r.call(
        "stats",
        "GET",
        f"{TASKS}/stats",
        token=people.alice,
        expect=200,
        keys=STATS_KEYS,
        facts=lambda response: response.json(),
    )
    expected = {
        "total": 4,
        "done": 2,
        "completion_rate": 0.5,
        "by_category": {"": 1, "home": 2, "work": 1},
    }
    if stats.status == 200 and stats.json() != expected:
        r.problem("stats", f"got {stats.json()}, expected {expected}")
    r.call(
        "stats of bob, who has done nothing",
        "GET",
        f"{TASKS}/stats",
        token=people.bob,
        expect=200,
        keys=STATS_KEYS,
        facts=lambda response: response.json(),
    )


def csv_export_and_import(r: Recorder, people: People) -> None:
    alice = people.alice
    exported = r.call(
        "export", "GET", f"{TASKS}/export.csv", token=alice, expect=200, facts=csv_facts
    )
    if exported.status == 200:
        if not exported.content_type.startswith("text/csv"):
            r.problem("export", f"served as {exported.content_type!r}, not text/csv")
        facts = csv_facts(exported)
        if facts["header"] != CSV_HEADER or facts["bom"]:
            r.problem("export", f"header {facts['header']!r}, byte order mark: {facts['bom']}")
        own = sorted(["Buy milk", "Write report", "Pay rent", "Call the plumber"])
        if facts["titles"] != own:
            r.problem("export", f"exported {facts['titles']}, expected alice's {own}")

    body, content_type = csv_upload(GOOD_CSV)
    imported = r.call(
        "import good rows",
        "POST",
        f"{TASKS}/import",
        raw=body,
        content_type=content_type,
        token=alice,
        expect=201,
        keys={"created"},
        facts=lambda response: response.json(),
    )
    if imported.status == 201 and imported.json() != {"created": 2}:
        r.problem("import good rows", f"answered {imported.json()}, not {{'created': 2}}")
    formula = r.call(
        "an imported formula loses its guard quote",
        "GET",
        query(TASKS, q="SUM(A1)"),
        token=alice,
        expect=200,
        facts=page_facts,
    )
    if formula.status == 200 and titles(formula) != ["=SUM(A1)"]:
        r.problem("an imported formula loses its guard quote", f"titles {titles(formula)}")

    body, content_type = csv_upload(BAD_CSV)
    r.call(
        "import with bad rows",
        "POST",
        f"{TASKS}/import",
        raw=body,
        content_type=content_type,
        token=alice,
        expect=422,
        code="validation_error",
        rows=BAD_CSV_ROWS,
    )
    after = r.call(
        "nothing of a bad import is stored",
        "GET",
        TASKS,
        token=alice,
        expect=200,
        facts=lambda response: {"total": response.json()["total"]},
    )
    if after.status == 200 and after.json()["total"] != 6:
        r.problem("nothing of a bad import is stored", f"total {after.json()['total']}, not 6")
    for step, (body, content_type) in (
        ("import with an unknown column", csv_upload("title,colour\nPaint,red\n")),
        (
            "import without the file field",
            multipart({"attachment": ("tasks.csv", b"title\nx\n", "text/csv")}),
        ),
        ("import a file that is not text", csv_upload(b"\x89PNG\r\n\x1a\n\x00\xff\xfe\xfd")),
    ):
        r.call(
            step,
            "POST",
            f"{TASKS}/import",
            raw=body,
            content_type=content_type,
            token=alice,
            expect=422,
            code="validation_error",
            fields={"file"},
        )
    again = r.call(
        "export after the import",
        "GET",
        f"{TASKS}/export.csv",
        token=alice,
        expect=200,
        facts=csv_facts,
    )
    if again.status == 200 and "'=SUM(A1)" not in csv_facts(again)["titles"]:
        r.problem("export after the import", "the formula was exported without its guard quote")
    bobs = r.call(
        "export of bob", "GET", f"{TASKS}/export.csv", token=people.bob, expect=200, facts=csv_facts
    )
    if bobs.status == 200 and csv_facts(bobs)["titles"] != ["Bob's secret"]:
        r.problem("export of bob", f"exported {csv_facts(bobs)['titles']}")


def routing_errors(r: Recorder, people: People) -> None:
    one = f"{TASKS}/{people.task_ids['Buy milk']}"
    # Paths are exactly the contract's: no trailing slash, and no pages under /api/ but the
    # docs (`/api/` and `/api/swagger` are where OpenAPI libraries like to put more).
    unknown = ("/api/nothing-here", "/api/", "/api/swagger", f"{TASKS}/", f"{TASKS}/stats/extra")
    for path in unknown:
        r.call(
            f"unknown path {path}", "GET", path, token=people.alice, expect=404, code="not_found"
        )
    for method, path in (
        ("PUT", one),
        ("DELETE", TASKS),
        ("GET", f"{AUTH}/token"),
        ("POST", "/api/health"),
    ):
        shown = path.replace(one, f"{TASKS}/{{id}}")
        r.call(
            f"{method} {shown} is not allowed",
            method,
            path,
            token=people.alice,
            expect=405,
            code="method_not_allowed",
        )
    r.call(
        "health at the end",
        "GET",
        "/api/health",
        expect=200,
        facts=lambda response: response.json(),
    )


#: The default window of the throttle: Retry-After never says to wait longer.
THROTTLE_WINDOW_SECONDS = 900


def throttling(r: Recorder, _: People) -> None:
    """Five wrong passwords for one account lock it: the right one is refused too, with a
    Retry-After within the window. A throw-away account, so the scenario's other failed
    log-ins (two) stay far from the limits."""
    account = {"username": "mallory", "password": PASSWORD}
    r.call(
        "register mallory",
        "POST",
        f"{AUTH}/register",
        json_body={**account, "email": "mallory@example.com"},
        expect=201,
        keys=USER_KEYS,
        facts=user_facts,
    )
    for attempt in range(1, 6):
        r.call(
            f"wrong password {attempt} of 5 for mallory",
            "POST",
            f"{AUTH}/token",
            json_body={**account, "password": "wrong password"},
            expect=401,
            code="not_authenticated",
        )
    r.call(
        "the right password after five failures",
        "POST",
        f"{AUTH}/token",
        json_body=account,
        expect=429,
        code="too_many_requests",
        facts=retry_after_facts,
    )


def retry_after_facts(response: Response) -> dict[str, Any]:
    """Retry-After: whole seconds, more than none and no more than the window."""
    seconds = int(response.headers["Retry-After"])
    if not 0 < seconds <= THROTTLE_WINDOW_SECONDS:
        raise ValueError(f"Retry-After {seconds} is outside the window")
    return {"retry_after": "seconds within the window"}


def csv_facts(response: Response) -> dict[str, Any]:
    text = response.body.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    return {
        "bom": text.startswith("\ufeff"),
        "header": text.removeprefix("\ufeff").splitlines()[0] if text else "",
        "rows": len(rows),
        "titles": sorted(row.get("title", "") for row in rows),
    }


# --- the ML module (include_ml) ---------------------------------------------------------------

ML = "/api/ml"
MODEL_INFO_KEYS = {
    "version",
    "created_at",
    "algorithm",
    "categories",
    "metrics",
    "data_sha256",
    "model_sha256",
    "sklearn_version",
    "python_version",
}
PREDICTION_KEYS = {"category", "confidence", "model_version"}
FIGURE_NAMES = ("class_balance", "confusion_matrix", "learning_curve")


def ml_without_a_model(r: Recorder, people: People) -> None:
    for method, path, body in (
        ("POST", f"{ML}/predict", {"title": "Pay the rent"}),
        ("GET", f"{ML}/model", None),
    ):
        r.call(
            f"{method} {path} without credentials",
            method,
            path,
            json_body=body,
            expect=401,
            code="not_authenticated",
        )
        r.call(
            f"{method} {path} before any training",
            method,
            path,
            json_body=body,
            token=people.alice,
            expect=503,
            code="service_unavailable",
        )
    r.call(
        "a figure before any training",
        "GET",
        f"{ML}/figures/class_balance.png",
        token=people.alice,
        expect=404,
        code="not_found",
    )


def ml_with_a_model(r: Recorder, people: People) -> None:
    # Both flavours train on the same seed data with the same seed: the same model.
    r.call(
        "model metadata",
        "GET",
        f"{ML}/model",
        token=people.alice,
        expect=200,
        keys=MODEL_INFO_KEYS,
        facts=model_facts,
    )
    for step, body, category in (
        ("predict a bill", {"title": "Pay the electricity bill"}, "finance"),
        (
            "predict with a description",
            {"title": "Book a check-up", "description": "The dentist, before the summer."},
            "health",
        ),
        ("predict a title with spaces around it", {"title": "  Order groceries  "}, "shopping"),
    ):
        answer = r.call(
            step,
            "POST",
            f"{ML}/predict",
            token=people.alice,
            json_body=body,
            expect=200,
            keys=PREDICTION_KEYS,
            facts=lambda response: {"category": response.json()["category"]},
        )
        if answer.status == 200 and answer.json()["category"] != category:
            r.problem(step, f"predicted {answer.json()['category']!r}, not {category!r}")
    for step, body, fields in (
        ("predict an empty title", {"title": ""}, {"title"}),
        ("predict a blank title", {"title": "   "}, {"title"}),
        ("predict without a title", {"description": "Only this"}, {"title"}),
        ("predict a title over 200 characters", {"title": "x" * 201}, {"title"}),
        (
            "predict a description over 5000",
            {"title": "T", "description": "x" * 5001},
            {"description"},
        ),
        ("predict a title that is not text", {"title": 42}, {"title"}),
    ):
        r.call(
            step,
            "POST",
            f"{ML}/predict",
            token=people.alice,
            json_body=body,
            expect=422,
            code="validation_error",
            fields=fields,
        )
    r.call(
        "predict from a body that is not JSON",
        "POST",
        f"{ML}/predict",
        token=people.alice,
        raw=b"{title",
        content_type="application/json",
        expect=400,
        code="bad_request",
    )
    for name in FIGURE_NAMES:
        figure = r.call(
            f"figure {name}", "GET", f"{ML}/figures/{name}.png", token=people.alice, expect=200
        )
        if figure.status == 200 and not figure.body.startswith(b"\x89PNG\r\n\x1a\n"):
            r.problem(f"figure {name}", f"not a PNG image ({figure.content_type!r})")
    r.call(
        "a figure that does not exist",
        "GET",
        f"{ML}/figures/secrets.png",
        token=people.alice,
        expect=404,
        code="not_found",
    )
    r.call(
        "a figure without credentials",
        "GET",
        f"{ML}/figures/class_balance.png",
        expect=401,
        code="not_authenticated",
    )


def model_facts(response: Response) -> dict[str, Any]:
    info = response.json()
    metrics = info["metrics"]
    return {
        "algorithm": info["algorithm"],
        "categories": info["categories"],
        "data_sha256": info["data_sha256"],
        "accuracy": round(metrics["accuracy"], 3),
        "f1_macro": round(metrics["f1_macro"], 3),
        "train_size": metrics["train_size"],
        "test_size": metrics["test_size"],
        "cv": [candidate["name"] for candidate in metrics["cv"]],
    }
