"""`GET /api/tasks/export.csv` and `POST /api/tasks/import`: one's tasks as CSV, both ways."""

from __future__ import annotations

import csv
import datetime
import io
from typing import TYPE_CHECKING

import pytest

from ..contract import Upload
from ..factories import TaskFactory, User
from .helpers import bad_fields_of, error_of

if TYPE_CHECKING:
    from ..contract import ApiClient, Store

HEADER = "title,description,category,priority,done,due_date"
FIELDS = HEADER.split(",")


def csv_file(content: str | bytes, name: str = "tasks.csv") -> dict[str, Upload]:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return {"file": Upload(name, data, content_type="text/csv")}


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


# Export


def test_export_streams_csv_with_the_header(api: ApiClient, user: User) -> None:
    TaskFactory.create(owner=user, title="Write report", category="work")

    response = api.get("/api/tasks/export.csv")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    text = response.text
    assert text.splitlines()[0] == HEADER
    assert not text.startswith("\ufeff")


def test_export_is_streamed_a_line_at_a_time(api: ApiClient, user: User) -> None:
    TaskFactory.for_owner(user, 3)

    response = api.get("/api/tasks/export.csv")

    assert "Content-Length" not in response.headers
    assert len(response.chunks) > 1
    assert response.chunks[0].decode().strip() == HEADER


def test_export_writes_every_field(api: ApiClient, user: User) -> None:
    TaskFactory.create(
        owner=user,
        title="Pay rent",
        description='Line one\nLine "two", with a comma',
        category="home",
        priority="high",
        done=True,
        due_date=datetime.date(2030, 2, 1),
    )
    TaskFactory.create(owner=user, title="Idle", category="", priority="low", due_date=None)

    rows = rows_of(api.get("/api/tasks/export.csv").text)

    assert rows == [
        {
            "title": "Pay rent",
            "description": 'Line one\nLine "two", with a comma',
            "category": "home",
            "priority": "high",
            "done": "true",
            "due_date": "2030-02-01",
        },
        {
            "title": "Idle",
            "description": "",
            "category": "",
            "priority": "low",
            "done": "false",
            "due_date": "",
        },
    ]


def test_export_holds_only_the_users_tasks(api: ApiClient, user: User, other_user: User) -> None:
    TaskFactory.for_owner(user, 3, title="mine")
    TaskFactory.for_owner(other_user, 2, title="theirs")

    rows = rows_of(api.get("/api/tasks/export.csv").text)

    assert [row["title"] for row in rows] == ["mine", "mine", "mine"]


def test_export_without_tasks_is_the_header_alone(api: ApiClient) -> None:
    response = api.get("/api/tasks/export.csv")

    assert response.status_code == 200
    assert response.text.splitlines() == [HEADER]


@pytest.mark.parametrize(
    ("title", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6 12", "'+33 6 12"),
        ("-5 degrees", "'-5 degrees"),
        ("@home", "'@home"),
        ("'=already quoted", "''=already quoted"),
        ("plain", "plain"),
        ("it's fine", "it's fine"),
    ],
)
def test_export_guards_cells_against_formula_injection(
    api: ApiClient, user: User, title: str, written: str
) -> None:
    TaskFactory.create(owner=user, title=title, description=title, category="")

    row = rows_of(api.get("/api/tasks/export.csv").text)[0]

    assert (row["title"], row["description"]) == (written, written)


# Import


def test_import_creates_a_task_per_row(api: ApiClient, user: User, store: Store) -> None:
    content = f"{HEADER}\nPay rent,Before the 5th,home,high,true,2030-02-01\nRead a book,,,,,\n"

    response = api.upload("/api/tasks/import", csv_file(content))

    assert response.status_code == 201
    assert response.json() == {"created": 2}
    assert store.task_rows(user, *FIELDS) == [
        ("Pay rent", "Before the 5th", "home", "high", True, datetime.date(2030, 2, 1)),
        ("Read a book", "", "", "normal", False, None),
    ]


def test_an_import_stores_its_rows_with_one_insert(
    api: ApiClient, user: User, store: Store
) -> None:
    """A statement per row made an import of 10,000 rows 2 to 14 times slower (SKILLS.md)."""
    content = "title\n" + "".join(f"Task {number}\n" for number in range(100))

    with store.recorded_queries() as statements:
        response = api.upload("/api/tasks/import", csv_file(content))

    assert response.status_code == 201
    assert len(store.task_titles(user)) == 100
    inserts = [sql[:60] for sql in statements if sql.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1, f"{len(inserts)} INSERT statements: {inserts[:3]}..."


def test_import_matches_columns_by_name_and_only_needs_the_title(
    api: ApiClient, user: User, store: Store
) -> None:
    content = "priority,title\nlow,Sweep\nhigh,Mop\n"

    response = api.upload("/api/tasks/import", csv_file(content))

    assert response.json() == {"created": 2}
    assert [(task[0], task[3]) for task in store.task_rows(user, *FIELDS)] == [
        ("Sweep", "low"),
        ("Mop", "high"),
    ]


def test_import_accepts_a_byte_order_mark(api: ApiClient, user: User, store: Store) -> None:
    response = api.upload("/api/tasks/import", csv_file(f"\ufeff{HEADER}\nWith BOM,,,,,\n"))

    assert response.status_code == 201
    assert response.json() == {"created": 1}
    assert store.task_rows(user, *FIELDS)[0][0] == "With BOM"


def test_import_takes_the_tasks_of_the_importing_user_only(
    api: ApiClient, user: User, other_user: User, store: Store
) -> None:
    api.upload("/api/tasks/import", csv_file("title\nMine\n"))

    assert [task[0] for task in store.task_rows(user, *FIELDS)] == ["Mine"]
    assert store.task_rows(other_user, *FIELDS) == []


def test_a_header_only_file_creates_nothing(api: ApiClient, user: User) -> None:
    response = api.upload("/api/tasks/import", csv_file(f"{HEADER}\n"))

    assert response.status_code == 201
    assert response.json() == {"created": 0}


def test_bad_rows_are_listed_by_line_and_nothing_is_stored(
    api: ApiClient, user: User, store: Store
) -> None:
    content = (
        f"{HEADER}\n"  # line 1
        "Good,,,,,\n"  # line 2
        ",no title,,,,\n"  # line 3
        "Bad priority,,,urgent,,\n"  # line 4
        "Bad done and date,,,,maybe,2030-13-01\n"  # line 5
    )

    response = api.upload("/api/tasks/import", csv_file(content))

    error = error_of(response, 422)
    assert error["code"] == "validation_error"
    assert [(row["row"], row["field"]) for row in error["rows"]] == [
        (3, "title"),
        (4, "priority"),
        (5, "done"),
        (5, "due_date"),
    ]
    assert all(isinstance(row["message"], str) and row["message"] for row in error["rows"])
    assert store.task_count() == 0


def test_row_numbers_are_lines_of_the_file_even_after_a_multiline_cell(
    api: ApiClient, store: Store
) -> None:
    content = 'title,description\nFirst,"spans\ntwo lines"\n\n,empty title\n'

    response = api.upload("/api/tasks/import", csv_file(content))

    error = error_of(response, 422)
    assert [(row["row"], row["field"]) for row in error["rows"]] == [(5, "title")]
    assert store.task_count() == 0


def test_a_row_with_the_wrong_number_of_cells_is_listed(api: ApiClient, store: Store) -> None:
    response = api.upload("/api/tasks/import", csv_file("title,category\nOne,home,extra\n"))

    error = error_of(response, 422)
    assert [row["row"] for row in error["rows"]] == [2]
    assert store.task_count() == 0


@pytest.mark.parametrize(
    "header",
    ["title,colour", "title,title", "description,category", "title,"],
    ids=["unknown column", "repeated column", "no title column", "unnamed column"],
)
def test_a_bad_header_is_named_as_a_file_error(api: ApiClient, header: str, store: Store) -> None:
    response = api.upload("/api/tasks/import", csv_file(f"{header}\nx,y\n"))

    assert list(bad_fields_of(response)) == ["file"]
    assert store.task_count() == 0


def test_an_empty_file_is_a_file_error(api: ApiClient) -> None:
    response = api.upload("/api/tasks/import", csv_file(b""))

    assert list(bad_fields_of(response)) == ["file"]


def test_a_file_that_is_not_utf8_is_a_file_error(api: ApiClient, store: Store) -> None:
    response = api.upload("/api/tasks/import", csv_file("title\nCafé crème\n".encode("latin-1")))

    assert list(bad_fields_of(response)) == ["file"]
    assert store.task_count() == 0


def test_an_upload_without_the_file_field_names_file(api: ApiClient, store: Store) -> None:
    response = api.upload("/api/tasks/import", {"attachment": csv_file("title\nx\n")["file"]})

    assert list(bad_fields_of(response)) == ["file"]
    assert store.task_count() == 0


def test_a_session_import_without_the_csrf_token_is_forbidden(
    session_api: ApiClient, store: Store
) -> None:
    response = session_api.upload("/api/tasks/import", csv_file("title\nSneaky\n"))

    assert error_of(response, 403)["code"] == "permission_denied"
    assert store.task_count() == 0


def test_a_session_import_with_the_csrf_token_passes(
    session_api: ApiClient, csrf_token: str
) -> None:
    response = session_api.upload(
        "/api/tasks/import", csv_file("title\nFrom the page\n"), headers={"X-CSRFToken": csrf_token}
    )

    assert response.status_code == 201
    assert response.json() == {"created": 1}


# Round trip

TRICKY_TITLES = [
    "=1+1",
    "@home",
    "+plus",
    "-minus",
    "'=quoted formula",
    "''@twice quoted",
    "'plain quote",
    'Quotes "inside", and a comma',
    "Café ✓ 日本",
]


def test_export_then_import_reproduces_the_tasks_exactly(
    api: ApiClient, other_api: ApiClient, user: User, other_user: User, store: Store
) -> None:
    for number, title in enumerate(TRICKY_TITLES):
        TaskFactory.create(
            owner=user,
            title=title,
            description=f'{title}\nsecond line\r\nthird, with "quotes"  ' if number % 2 else "",
            category="-work" if number % 3 == 0 else "",
            priority=("low", "normal", "high")[number % 3],
            done=number % 2 == 0,
            due_date=datetime.date(2030, 1, 1 + number) if number % 4 else None,
        )
    exported = api.get("/api/tasks/export.csv").text

    response = other_api.upload("/api/tasks/import", csv_file(exported))

    assert response.status_code == 201, response.content
    assert response.json() == {"created": len(TRICKY_TITLES)}
    assert store.task_rows(other_user, *FIELDS) == store.task_rows(user, *FIELDS)
