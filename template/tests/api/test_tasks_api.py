"""`/api/tasks` and `/api/tasks/{id}`: create, read, change and delete one's own tasks."""

from __future__ import annotations

import datetime
import json
from typing import TYPE_CHECKING, Any

import pytest

from ..factories import TaskFactory, User
from .helpers import bad_fields_of, error_of

if TYPE_CHECKING:
    from ..contract import ApiClient, Store

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

# One bad value per field, each a well-formed JSON body: a 422 that names the field.
BAD_VALUES = [
    pytest.param("title", "", id="empty title"),
    pytest.param("title", "   ", id="blank title"),
    pytest.param("title", "x" * 201, id="title too long"),
    pytest.param("title", None, id="null title"),
    pytest.param("title", 42, id="title not text"),
    pytest.param("title", "nul\x00byte", id="NUL in title"),
    pytest.param("description", "x" * 5001, id="description too long"),
    pytest.param("description", "nul\x00byte", id="NUL in description"),
    pytest.param("category", "nul\x00byte", id="NUL in category"),
    pytest.param("category", "x" * 51, id="category too long"),
    pytest.param("priority", "urgent", id="unknown priority"),
    pytest.param("priority", "HIGH", id="priority in capitals"),
    pytest.param("done", "yes", id="done not a bool"),
    pytest.param("done", 1, id="done a number"),
    pytest.param("done", "true", id="done a string"),
    pytest.param("due_date", "31/12/2024", id="date not ISO"),
    pytest.param("due_date", "2024-02-30", id="date does not exist"),
    pytest.param("due_date", "2024-02-03T10:00:00", id="date with a time"),
    pytest.param("due_date", "tomorrow", id="date in words"),
]


def as_datetime(value: str) -> datetime.datetime:
    """Parse an ISO 8601 time from the API; it must carry its offset."""
    moment = datetime.datetime.fromisoformat(value)
    assert moment.utcoffset() is not None, value
    return moment


# Creating


def test_only_a_title_is_needed_and_everything_else_has_a_default(
    api: ApiClient, user: User, store: Store
) -> None:
    response = api.post("/api/tasks", {"title": "Water the plants"})

    assert response.status_code == 201
    body = response.json()
    assert set(body) == TASK_KEYS
    assert body["title"] == "Water the plants"
    assert body["description"] == ""
    assert body["category"] == ""
    assert body["priority"] == "normal"
    assert body["done"] is False
    assert body["due_date"] is None
    assert as_datetime(body["updated_at"]) >= as_datetime(body["created_at"])
    assert store.get_task(body["id"]).owner == user


def test_create_with_every_field(api: ApiClient) -> None:
    task = {
        "title": "File the taxes",
        "description": "Receipts are in the blue folder.",
        "category": "home",
        "priority": "high",
        "done": True,
        "due_date": "2031-04-30",
    }

    response = api.post("/api/tasks", task)

    assert response.status_code == 201
    body = response.json()
    assert {key: body[key] for key in task} == task
    assert isinstance(body["id"], int)


def test_the_title_is_trimmed(api: ApiClient) -> None:
    response = api.post("/api/tasks", {"title": "  Call mum  "})

    assert response.status_code == 201
    assert response.json()["title"] == "Call mum"


def test_a_title_of_200_characters_is_accepted(api: ApiClient) -> None:
    response = api.post("/api/tasks", {"title": "x" * 200})

    assert response.status_code == 201
    assert response.json()["title"] == "x" * 200


def test_a_missing_title_is_named(api: ApiClient, store: Store) -> None:
    response = api.post("/api/tasks", {"description": "no title"})

    assert list(bad_fields_of(response)) == ["title"]
    assert store.task_count() == 0


@pytest.mark.parametrize(("field", "value"), BAD_VALUES)
def test_create_names_the_bad_field(api: ApiClient, field: str, value: Any, store: Store) -> None:
    response = api.post("/api/tasks", {"title": "A task", field: value})

    assert list(bad_fields_of(response)) == [field]
    assert store.task_count() == 0


def test_an_unknown_field_is_named(api: ApiClient, store: Store) -> None:
    response = api.post("/api/tasks", {"title": "A task", "owner": 2})

    assert list(bad_fields_of(response)) == ["owner"]
    assert store.task_count() == 0


def test_every_bad_field_is_named_at_once(api: ApiClient) -> None:
    response = api.post("/api/tasks", {"title": "", "priority": "urgent", "done": "no"})

    assert set(bad_fields_of(response)) == {"title", "priority", "done"}


def test_a_body_that_is_not_json_is_a_bad_request(api: ApiClient, store: Store) -> None:
    response = api.post_raw("/api/tasks", b'{"title": "unfinished', "application/json")

    assert error_of(response, 400)["code"] == "bad_request"
    assert store.task_count() == 0


def test_an_empty_body_is_a_bad_request(api: ApiClient, store: Store) -> None:
    response = api.post_raw("/api/tasks", b"", "application/json")

    assert error_of(response, 400)["code"] == "bad_request"
    assert store.task_count() == 0


def test_a_json_body_that_is_not_an_object_names_no_internal_parameter(
    api: ApiClient, store: Store
) -> None:
    response = api.post_raw("/api/tasks", b'["a", "list"]', "application/json")

    fields = bad_fields_of(response)
    assert "payload" not in fields
    assert store.task_count() == 0


# Reading


def test_get_one_task(api: ApiClient, user: User) -> None:
    task = TaskFactory.create(
        owner=user, title="Read", priority="low", due_date=datetime.date(2030, 1, 2)
    )

    response = api.get(f"/api/tasks/{task.id}")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == TASK_KEYS
    assert body["id"] == task.id
    assert body["title"] == "Read"
    assert body["priority"] == "low"
    assert body["due_date"] == "2030-01-02"
    # JSON times may carry milliseconds only.
    assert abs(as_datetime(body["created_at"]) - task.created_at) < datetime.timedelta(
        milliseconds=1
    )


def test_a_missing_task_is_not_found(api: ApiClient) -> None:
    response = api.get("/api/tasks/987654")

    assert error_of(response, 404)["code"] == "not_found"


# Changing


def test_patch_changes_only_the_fields_sent(api: ApiClient, user: User, store: Store) -> None:
    task = TaskFactory.create(
        owner=user,
        title="Before",
        description="kept",
        category="home",
        priority="high",
        due_date=datetime.date(2030, 5, 6),
    )

    response = api.patch(f"/api/tasks/{task.id}", {"done": True})

    assert response.status_code == 200
    body = response.json()
    assert body["done"] is True
    assert (body["title"], body["description"], body["category"]) == ("Before", "kept", "home")
    assert (body["priority"], body["due_date"]) == ("high", "2030-05-06")
    store.refresh(task)
    assert task.done is True
    assert task.title == "Before"


def test_patch_can_change_every_field(api: ApiClient, user: User) -> None:
    task = TaskFactory.create(owner=user)
    changes = {
        "title": "After",
        "description": "new",
        "category": "work",
        "priority": "low",
        "done": True,
        "due_date": "2029-12-31",
    }

    response = api.patch(f"/api/tasks/{task.id}", changes)

    assert response.status_code == 200
    assert {key: response.json()[key] for key in changes} == changes


def test_patch_moves_updated_at_but_not_created_at(
    api: ApiClient, user: User, store: Store
) -> None:
    task = TaskFactory.create(owner=user)
    long_ago = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    store.update_tasks([task], created_at=long_ago, updated_at=long_ago)

    body = api.patch(f"/api/tasks/{task.id}", {"title": "Renamed"}).json()

    assert as_datetime(body["created_at"]) == long_ago
    assert as_datetime(body["updated_at"]) > long_ago


def test_patch_can_clear_the_due_date(api: ApiClient, user: User, store: Store) -> None:
    task = TaskFactory.create(owner=user, due_date=datetime.date(2030, 1, 1))

    response = api.patch(f"/api/tasks/{task.id}", {"due_date": None})

    assert response.status_code == 200
    assert response.json()["due_date"] is None
    store.refresh(task)
    assert task.due_date is None


def test_an_empty_patch_changes_nothing(api: ApiClient, user: User) -> None:
    task = TaskFactory.create(owner=user, title="Same")

    response = api.patch(f"/api/tasks/{task.id}", {})

    assert response.status_code == 200
    assert response.json()["title"] == "Same"


@pytest.mark.parametrize(("field", "value"), BAD_VALUES)
def test_patch_validates_like_create(
    api: ApiClient, user: User, field: str, value: Any, store: Store
) -> None:
    task = TaskFactory.create(owner=user, title="Unchanged")

    response = api.patch(f"/api/tasks/{task.id}", {field: value})

    assert list(bad_fields_of(response)) == [field]
    store.refresh(task)
    assert task.title == "Unchanged"


@pytest.mark.parametrize("field", ["description", "category", "priority", "done"])
def test_patch_refuses_null_for_a_field_that_cannot_be_empty(
    api: ApiClient, user: User, field: str
) -> None:
    task = TaskFactory.create(owner=user)

    response = api.patch(f"/api/tasks/{task.id}", {field: None})

    assert list(bad_fields_of(response)) == [field]


def test_patch_names_an_unknown_field(api: ApiClient, user: User) -> None:
    task = TaskFactory.create(owner=user)

    response = api.patch(f"/api/tasks/{task.id}", {"created_at": "2020-01-01T00:00:00Z"})

    assert list(bad_fields_of(response)) == ["created_at"]


def test_patch_with_a_body_that_is_not_json_is_a_bad_request(api: ApiClient, user: User) -> None:
    task = TaskFactory.create(owner=user)

    response = api.send("PATCH", f"/api/tasks/{task.id}", b"{")

    assert error_of(response, 400)["code"] == "bad_request"


def test_patching_a_missing_task_is_not_found(api: ApiClient) -> None:
    response = api.patch("/api/tasks/987654", {"title": "x"})

    assert error_of(response, 404)["code"] == "not_found"


# Deleting


def test_delete_answers_204_and_removes_the_task(api: ApiClient, user: User, store: Store) -> None:
    task_id = TaskFactory.create(owner=user).id

    response = api.delete(f"/api/tasks/{task_id}")

    assert response.status_code == 204
    assert response.content == b""
    assert store.get_task(task_id) is None


def test_a_deleted_task_is_gone(api: ApiClient, user: User) -> None:
    task_id = TaskFactory.create(owner=user).id
    api.delete(f"/api/tasks/{task_id}")

    response = api.get(f"/api/tasks/{task_id}")

    assert error_of(response, 404)["code"] == "not_found"


def test_deleting_a_missing_task_is_not_found(api: ApiClient) -> None:
    response = api.delete("/api/tasks/987654")

    assert error_of(response, 404)["code"] == "not_found"


# Another user's task


def test_another_users_task_is_not_found(api: ApiClient, other_user: User) -> None:
    task = TaskFactory.create(owner=other_user)

    response = api.get(f"/api/tasks/{task.id}")

    assert error_of(response, 404)["code"] == "not_found"


def test_another_users_task_cannot_be_changed(
    api: ApiClient, other_user: User, store: Store
) -> None:
    task = TaskFactory.create(owner=other_user, title="Theirs")

    response = api.patch(f"/api/tasks/{task.id}", {"title": "Mine now"})

    assert error_of(response, 404)["code"] == "not_found"
    store.refresh(task)
    assert task.title == "Theirs"


def test_another_users_task_cannot_be_deleted(
    api: ApiClient, other_user: User, store: Store
) -> None:
    task = TaskFactory.create(owner=other_user)

    response = api.delete(f"/api/tasks/{task.id}")

    assert error_of(response, 404)["code"] == "not_found"
    assert store.get_task(task.id) is not None


def test_another_users_task_answers_like_a_missing_one(api: ApiClient, other_user: User) -> None:
    theirs = TaskFactory.create(owner=other_user)

    hidden = api.get(f"/api/tasks/{theirs.id}")
    missing = api.get("/api/tasks/987654")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"]["code"] == missing.json()["error"]["code"]
    assert set(hidden.json()["error"]) == set(missing.json()["error"])


# Stats


def test_stats_count_only_the_users_tasks(api: ApiClient, user: User, other_user: User) -> None:
    TaskFactory.for_owner(user, 3, category="work", done=True)
    TaskFactory.for_owner(user, 1, category="", done=False)
    TaskFactory.for_owner(other_user, 5, category="theirs", done=True)

    response = api.get("/api/tasks/stats")

    assert response.status_code == 200
    assert response.json() == {
        "total": 4,
        "done": 3,
        "completion_rate": 0.75,
        "by_category": {"work": 3, "": 1},
    }


def test_stats_without_tasks(api: ApiClient) -> None:
    response = api.get("/api/tasks/stats")

    assert response.status_code == 200
    assert response.json() == {"total": 0, "done": 0, "completion_rate": 0, "by_category": {}}


# Authentication and CSRF

EVERY_TASKS_ROUTE = [
    ("GET", "/api/tasks"),
    ("POST", "/api/tasks"),
    ("GET", "/api/tasks/stats"),
    ("GET", "/api/tasks/export.csv"),
    ("POST", "/api/tasks/import"),
    ("GET", "/api/tasks/{id}"),
    ("PATCH", "/api/tasks/{id}"),
    ("DELETE", "/api/tasks/{id}"),
]


@pytest.mark.parametrize(("method", "path"), EVERY_TASKS_ROUTE)
def test_every_tasks_route_needs_authentication(
    anonymous_api: ApiClient, user: User, method: str, path: str, store: Store
) -> None:
    task = TaskFactory.create(owner=user, title="Private")

    response = anonymous_api.send(method, path.format(id=task.id), b'{"title": "x"}')

    assert error_of(response, 401)["code"] == "not_authenticated"
    store.refresh(task)
    assert task.title == "Private"


UNSAFE_ROUTES = [
    ("POST", "/api/tasks", {"title": "From the browser"}, 201),
    ("PATCH", "/api/tasks/{id}", {"title": "From the browser"}, 200),
    ("DELETE", "/api/tasks/{id}", None, 204),
]


def _json(payload: Any) -> bytes:
    return b"" if payload is None else json.dumps(payload).encode()


@pytest.mark.parametrize(("method", "path", "payload"), [route[:3] for route in UNSAFE_ROUTES])
def test_a_session_request_without_the_csrf_token_is_forbidden(
    session_api: ApiClient, user: User, method: str, path: str, payload: Any, store: Store
) -> None:
    task = TaskFactory.create(owner=user, title="Untouched")

    response = session_api.send(method, path.format(id=task.id), _json(payload))

    assert error_of(response, 403)["code"] == "permission_denied"
    assert store.task_titles() == ["Untouched"]


@pytest.mark.parametrize(("method", "path", "payload", "status"), UNSAFE_ROUTES)
def test_a_session_request_with_the_csrf_token_passes(
    session_api: ApiClient,
    csrf_token: str,
    user: User,
    method: str,
    path: str,
    payload: Any,
    status: int,
) -> None:
    task = TaskFactory.create(owner=user)

    response = session_api.send(
        method, path.format(id=task.id), _json(payload), headers={"X-CSRFToken": csrf_token}
    )

    assert response.status_code == status, response.content


def test_a_session_request_with_a_wrong_csrf_token_is_forbidden(
    session_api: ApiClient, csrf_token: str, store: Store
) -> None:
    response = session_api.post("/api/tasks", {"title": "x"}, headers={"X-CSRFToken": "x" * 64})

    assert error_of(response, 403)["code"] == "permission_denied"
    assert store.task_count() == 0


def test_a_session_read_needs_no_csrf_token(session_api: ApiClient, user: User) -> None:
    TaskFactory.create(owner=user)

    response = session_api.get("/api/tasks")

    assert response.status_code == 200
    assert response.json()["total"] == 1


def test_a_bearer_request_needs_no_csrf_token(api: ApiClient) -> None:
    # The clients check CSRF as a browser's requests would be checked.
    response = api.post("/api/tasks", {"title": "From a script"})

    assert response.status_code == 201


def test_a_bearer_request_needs_no_csrf_token_even_with_a_session_cookie(
    session_api: ApiClient, api: ApiClient
) -> None:
    response = session_api.post("/api/tasks", {"title": "From a script"}, headers=api.headers)

    assert response.status_code == 201
