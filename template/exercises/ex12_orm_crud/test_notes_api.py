"""Exercise 12: notes, stored by a model of their own, through all four CRUD operations."""

import ast
from pathlib import Path

import pytest

from tests.contract import ApiClient

pytestmark = pytest.mark.exercise

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STUDENT_TESTS = PROJECT_ROOT / "tests" / "api" / "test_notes_api.py"


def create(api: ApiClient, text: str) -> dict[str, object]:
    response = api.post("/api/notes", {"text": text})
    assert response.status_code == 201, response.text
    note = response.json()
    assert isinstance(note, dict)
    return note


def test_a_note_is_created_and_read_back(api: ApiClient) -> None:
    note = create(api, "Remember the milk")

    assert set(note) >= {"id", "text", "created_at"}
    assert note["text"] == "Remember the milk"
    read = api.get(f"/api/notes/{note['id']}")
    assert read.status_code == 200
    assert read.json() == note


def test_the_list_holds_the_users_notes_newest_first(api: ApiClient) -> None:
    first = create(api, "first")
    second = create(api, "second")

    listed = api.get("/api/notes")

    assert listed.status_code == 200
    assert [note["id"] for note in listed.json()["items"]] == [second["id"], first["id"]]


def test_a_note_is_updated(api: ApiClient) -> None:
    note = create(api, "draft")

    changed = api.patch(f"/api/notes/{note['id']}", {"text": "final"})

    assert changed.status_code == 200
    assert changed.json()["text"] == "final"
    assert api.get(f"/api/notes/{note['id']}").json()["text"] == "final"


def test_a_note_is_deleted(api: ApiClient) -> None:
    note = create(api, "short-lived")

    deleted = api.delete(f"/api/notes/{note['id']}")

    assert deleted.status_code == 204
    assert api.get(f"/api/notes/{note['id']}").status_code == 404
    assert api.get("/api/notes").json()["items"] == []


def test_another_users_note_is_not_found(api: ApiClient, other_api: ApiClient) -> None:
    note = create(api, "mine")

    assert other_api.get(f"/api/notes/{note['id']}").status_code == 404
    assert other_api.patch(f"/api/notes/{note['id']}", {"text": "theirs"}).status_code == 404
    assert other_api.delete(f"/api/notes/{note['id']}").status_code == 404
    assert other_api.get("/api/notes").json()["items"] == []
    assert api.get(f"/api/notes/{note['id']}").json()["text"] == "mine"


@pytest.mark.parametrize("text", ["", "x" * 501])
def test_text_of_a_bad_length_is_refused_naming_the_field(api: ApiClient, text: str) -> None:
    for response in (
        api.post("/api/notes", {"text": text}),
        api.patch(f"/api/notes/{create(api, 'ok')['id']}", {"text": text}),
    ):
        assert response.status_code == 422, response.text
        assert "text" in response.json()["error"]["fields"]


def test_notes_need_a_signed_in_user(anonymous_api: ApiClient) -> None:
    assert anonymous_api.get("/api/notes").status_code == 401
    assert anonymous_api.post("/api/notes", {"text": "hello"}).status_code == 401


def test_the_project_has_tests_of_its_own_for_every_operation() -> None:
    assert STUDENT_TESTS.is_file(), "write the notes' tests in tests/api/test_notes_api.py"
    source = STUDENT_TESTS.read_text(encoding="utf-8")
    tests = [
        node.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    ]

    assert len(tests) >= 4, "test at least create, read, update and delete"
    assert "/api/notes" in source
