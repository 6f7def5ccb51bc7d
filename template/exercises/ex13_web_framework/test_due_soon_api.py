"""Exercise 13: `GET /api/tasks/due-soon`, routed, validated, authenticated and documented."""

from datetime import date, timedelta

import pytest

from tests.contract import ApiClient

pytestmark = pytest.mark.exercise

PATH = "/api/tasks/due-soon"


def add_task(api: ApiClient, title: str, due_in_days: int | None, *, done: bool = False) -> None:
    due = None if due_in_days is None else (date.today() + timedelta(days=due_in_days)).isoformat()
    response = api.post("/api/tasks", {"title": title, "due_date": due, "done": done})
    assert response.status_code == 201, response.text


def titles(api: ApiClient, **query: object) -> list[str]:
    response = api.get(PATH, **query)
    assert response.status_code == 200, response.text
    return [task["title"] for task in response.json()["items"]]


def test_open_tasks_due_within_a_week_come_soonest_first(api: ApiClient) -> None:
    add_task(api, "in three days", 3)
    add_task(api, "today", 0)
    add_task(api, "in a week", 7)
    add_task(api, "in eight days", 8)
    add_task(api, "yesterday", -1)
    add_task(api, "done tomorrow", 1, done=True)
    add_task(api, "whenever", None)

    assert titles(api) == ["today", "in three days", "in a week"]


def test_the_answer_names_its_window(api: ApiClient) -> None:
    body = api.get(PATH, days=3).json()

    assert body == {"days": 3, "items": []}
    assert api.get(PATH).json()["days"] == 7


def test_days_sets_the_window(api: ApiClient) -> None:
    add_task(api, "in two days", 2)
    add_task(api, "in ten days", 10)

    assert titles(api, days=2) == ["in two days"]
    assert titles(api, days=30) == ["in two days", "in ten days"]


def test_the_items_are_tasks_as_the_api_writes_them(api: ApiClient) -> None:
    add_task(api, "soon", 1)

    [item] = api.get(PATH).json()["items"]

    assert item == api.get(f"/api/tasks/{item['id']}").json()


@pytest.mark.parametrize("days", ["0", "31", "soon", "-1"])
def test_a_bad_window_is_refused_naming_the_field(api: ApiClient, days: str) -> None:
    response = api.get(PATH, days=days)

    assert response.status_code == 422, response.text
    assert "days" in response.json()["error"]["fields"]


def test_only_the_users_own_tasks_are_listed(api: ApiClient, other_api: ApiClient) -> None:
    add_task(api, "mine", 1)

    assert titles(other_api) == []


def test_a_signed_in_user_is_needed(anonymous_api: ApiClient) -> None:
    assert anonymous_api.get(PATH).status_code == 401


def test_the_endpoint_is_in_the_openapi_document(anonymous_api: ApiClient) -> None:
    document = anonymous_api.get("/api/openapi.json").json()

    operation = document["paths"].get(PATH, {}).get("get")
    assert operation, f"{PATH} is not in /api/openapi.json"
    assert operation.get("summary"), "give the operation a summary"
