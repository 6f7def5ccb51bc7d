"""The notes' API: create, read, update and delete, each for its owner alone."""

from __future__ import annotations

from tests.contract import ApiClient


def test_a_created_note_is_listed(api: ApiClient) -> None:
    created = api.post("/api/notes", {"text": "Call the plumber"})

    assert created.status_code == 201
    assert [note["text"] for note in api.get("/api/notes").json()["items"]] == ["Call the plumber"]


def test_a_note_is_read_by_its_id(api: ApiClient) -> None:
    note = api.post("/api/notes", {"text": "Milk"}).json()

    assert api.get(f"/api/notes/{note['id']}").json() == note


def test_a_note_is_changed(api: ApiClient) -> None:
    note = api.post("/api/notes", {"text": "Milk"}).json()

    changed = api.patch(f"/api/notes/{note['id']}", {"text": "Oat milk"})

    assert changed.status_code == 200
    assert changed.json()["text"] == "Oat milk"


def test_a_deleted_note_is_gone(api: ApiClient) -> None:
    note = api.post("/api/notes", {"text": "Milk"}).json()

    assert api.delete(f"/api/notes/{note['id']}").status_code == 204
    assert api.get(f"/api/notes/{note['id']}").status_code == 404


def test_another_users_note_is_not_found(api: ApiClient, other_api: ApiClient) -> None:
    note = api.post("/api/notes", {"text": "Mine"}).json()

    assert other_api.get(f"/api/notes/{note['id']}").status_code == 404
