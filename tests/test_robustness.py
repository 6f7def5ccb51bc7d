"""The generated projects under attack and under load (issue 8, robustness), in every flavour.

Each test renders a project of one flavour with PostgreSQL (no git), installs it, migrates a
throwaway database made for the test and serves it with its development server (`make run`).

- Fuzzing: the project's own `make fuzz` runs schemathesis on every operation of the server's
  /api/openapi.json with a Bearer token (no 5xx; every answer's status, content type and body
  as the document declares), a bounded number of examples per operation and a fixed seed.
- Concurrent writers: N clients of one account create, change and delete tasks at once; the
  tasks table then holds exactly what was acknowledged, read straight from PostgreSQL.
- Hostile input: oversized, broken, deeply nested and mislabelled bodies, CSV files in the
  wrong encoding, path-like and huge ids, bad query values: each is a 4xx in the error envelope,
  and neither the tasks nor the users tables change.
- Nasty text: SQL, HTML, template syntax and spreadsheet formulas in every text field are stored
  and served back as sent, found by search as text, exported with the formula guard and imported
  back losslessly, and shown escaped on the tasks page.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

from contract_scenario import Client, csv_upload
from robustness_support import (
    NASTY_TEXTS,
    TASK_FIELDS,
    TASK_TABLES,
    USER_TABLES,
    ApiUser,
    Browser,
    Writers,
    csv_rows,
    database_count,
    database_tasks,
    envelope_problem,
    first_lines,
    hostile_requests,
    ledger_differences,
    nasty_task,
    shown_escaped,
)
from servers import prepare_project, running_server
from support import python_interpreter, question_values, run

FLAVOURS: list[str] = question_values("framework")
PYTHON_VERSION = "3.12"
# Test cases per operation and phase; `make fuzz` in a project runs 100 by default.
FUZZ_EXAMPLES = 15
FUZZ_SEED = 20261125
# The contract's operations without ML and jobs: health, 8 on tasks, register, token, me, the
# token list and its two revocations, and the password reset's request and confirmation.
CORE_OPERATIONS = 17
WRITERS = 6
WRITING_SECONDS = 10.0
MAX_REQUESTS_PER_WRITER = 200
DELETION_RACES = 30
# A cell a spreadsheet would run as a formula starts with one of these.
FORMULA_START = ("=", "+", "-", "@")


@pytest.fixture
def env(tool_env: dict[str, str], postgres_url: str) -> dict[str, str]:
    """The projects' environment: Python 3.12 from this machine, the test's own database."""
    return {
        **tool_env,
        "UV_PYTHON": python_interpreter(PYTHON_VERSION),
        "UV_PYTHON_DOWNLOADS": "never",
        "DATABASE_URL": postgres_url,
    }


@contextmanager
def served(
    template: Path, workspace: Path, env: Mapping[str, str], framework: str
) -> Iterator[Client]:
    project = prepare_project(
        template, workspace / framework, env, framework=framework, database="postgresql"
    )
    with running_server(project, env, workspace / f"{framework}-server.log") as base_url:
        yield Client(base_url)


@pytest.mark.slow
@pytest.mark.parametrize("framework", FLAVOURS)
def test_schemathesis_finds_no_server_error_and_no_breach_of_the_document(
    tmp_path: Path,
    template_repo: Path,
    env: dict[str, str],
    postgres_url: str,
    framework: str,
) -> None:
    project = prepare_project(
        template_repo, tmp_path / framework, env, framework=framework, database="postgresql"
    )

    fuzzed = run(
        [
            "make",
            "fuzz",
            f"FUZZ_EXAMPLES={FUZZ_EXAMPLES}",
            f"FUZZ_OPTIONS=--seed {FUZZ_SEED} --no-color",
            f"FUZZ_DATABASE_URL={postgres_url}",
        ],
        cwd=project,
        env=env,
        timeout=600,
    )

    # A failing run fails `run` itself, with schemathesis' report; a passing one says how much.
    summary = re.search(r"(\d+) generated, (\d+) passed", fuzzed.stdout)
    assert summary, fuzzed.stdout[-3000:]
    print(f"{framework}: schemathesis: {summary.group(0)}")
    assert "its database: FUZZ_DATABASE_URL" in fuzzed.stdout, "not fuzzed on PostgreSQL"
    selected = f"Selected: {CORE_OPERATIONS}/{CORE_OPERATIONS}"
    assert selected in fuzzed.stdout, "not every operation of the contract was fuzzed"
    assert int(summary.group(1)) >= FUZZ_EXAMPLES * CORE_OPERATIONS


@pytest.mark.slow
@pytest.mark.parametrize("framework", FLAVOURS)
def test_concurrent_writers_leave_exactly_what_was_acknowledged(
    tmp_path: Path,
    template_repo: Path,
    env: dict[str, str],
    postgres_url: str,
    framework: str,
) -> None:
    with served(template_repo, tmp_path, env, framework) as client:
        user = ApiUser.sign_up(client, "writer")
        started = time.monotonic()
        writers = Writers(
            user,
            clients=WRITERS,
            seconds=WRITING_SECONDS,
            max_requests=MAX_REQUESTS_PER_WRITER,
            race_rounds=DELETION_RACES,
        )
        ledger = writers.run()
        print(
            f"{framework}: {WRITERS} writers, {ledger.requests} requests in "
            f"{time.monotonic() - started:.1f} s, {len(ledger.problems)} problems"
        )
        served_tasks = {task["id"]: task for task in user.tasks()}

    assert ledger.problems == [], first_lines(ledger.problems)
    stored = database_tasks(postgres_url, TASK_TABLES[framework])
    differences = ledger_differences(ledger.tasks, stored)
    assert differences == [], first_lines(differences)
    assert {
        task_id: {name: task[name] for name in TASK_FIELDS}
        for task_id, task in served_tasks.items()
    } == stored


@pytest.mark.slow
@pytest.mark.parametrize("framework", FLAVOURS)
def test_hostile_requests_get_a_4xx_envelope_and_change_nothing(
    tmp_path: Path,
    template_repo: Path,
    env: dict[str, str],
    postgres_url: str,
    framework: str,
) -> None:
    with served(template_repo, tmp_path, env, framework) as client:
        mallory = ApiUser.sign_up(client, "mallory")
        target = mallory.send("POST", "/api/tasks", {"title": "Untouched"}).json()
        tasks_before = database_tasks(postgres_url, TASK_TABLES[framework])
        users_before = database_count(postgres_url, USER_TABLES[framework])
        problems = []
        count = 0
        for hostile in hostile_requests(target["id"]):
            count += 1
            if hostile.body is None and hostile.content_type is None:
                answer = (
                    mallory.get(hostile.path)
                    if hostile.method == "GET"
                    else mallory.send(hostile.method, hostile.path)
                )
            else:
                answer = mallory.send_raw(
                    hostile.method, hostile.path, hostile.body or b"", hostile.content_type
                )
            if problem := envelope_problem(answer, set(hostile.statuses)):
                problems.append(f"{hostile.name}: {problem}")
        health = client.request("GET", "/api/health")
        print(f"{framework}: {count} hostile requests")

    assert problems == [], first_lines(problems, 40)
    assert health.status == 200, "the server did not survive the attack"
    assert database_tasks(postgres_url, TASK_TABLES[framework]) == tasks_before
    assert database_count(postgres_url, USER_TABLES[framework]) == users_before


@pytest.mark.slow
@pytest.mark.parametrize("framework", FLAVOURS)
def test_sql_html_and_formulas_stay_text_from_json_to_csv_to_the_page(
    tmp_path: Path,
    template_repo: Path,
    env: dict[str, str],
    postgres_url: str,
    framework: str,
) -> None:
    with served(template_repo, tmp_path, env, framework) as client:
        alice = ApiUser.sign_up(client, "alice")
        sent = [nasty_task(index) for index in range(len(NASTY_TEXTS))]
        created = [alice.send("POST", "/api/tasks", task) for task in sent]
        assert [answer.status for answer in created] == [201] * len(sent), [
            answer.text() for answer in created if answer.status != 201
        ]
        echoed = [alice.get(f"/api/tasks/{answer.json()['id']}").json() for answer in created]
        found = {text: {task["title"] for task in searched(alice, text)} for text in NASTY_TEXTS}

        exported = alice.get("/api/tasks/export.csv")
        bob = ApiUser.sign_up(client, "bob")
        body, content_type = csv_upload(exported.body)
        imported = bob.send_raw("POST", "/api/tasks/import", body, content_type)
        bobs_tasks = bob.tasks()

        browser = Browser(client)
        browser.sign_in("alice")
        page = browser.page("/tasks/")

    for task, answer in zip(sent, echoed, strict=True):
        assert {name: answer[name] for name in task} == task
    stored = database_tasks(postgres_url, TASK_TABLES[framework])
    assert sorted(row["title"] for row in stored.values()) == sorted(
        [task["title"] for task in sent] * 2
    )
    for text, titles in found.items():
        # Search matches the text literally, wherever it is: no quote or % escapes the query.
        expected = {
            task["title"] for task in sent if text in task["title"] or text in task["description"]
        }
        assert titles == expected, text

    assert exported.status == 200
    rows = csv_rows(exported.body)
    cells = [row[name] for row in rows for name in ("title", "description", "category")]
    assert [cell for cell in cells if cell.startswith(FORMULA_START)] == []
    assert imported.status == 201, imported.text()
    assert imported.json() == {"created": len(sent)}
    alices = sorted((task["title"], task["description"], task["category"]) for task in sent)
    bobs = sorted((task["title"], task["description"], task["category"]) for task in bobs_tasks)
    assert bobs == alices, "the CSV round trip changed some text"

    for text in NASTY_TEXTS:
        assert (problem := shown_escaped(page, text)) is None, problem


def searched(user: ApiUser, text: str) -> list[dict[str, object]]:
    answer = user.get(f"/api/tasks?size=100&q={quote(text, safe='')}")
    assert answer.status == 200, answer.text()
    items: list[dict[str, object]] = answer.json()["items"]
    return items
