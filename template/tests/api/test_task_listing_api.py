"""`GET /api/tasks`: one page of one's own tasks, filtered, searched and ordered."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

import pytest

from ..factories import TaskFactory, User
from .helpers import bad_fields_of

if TYPE_CHECKING:
    from ..contract import ApiClient, Response, Store

A_MOMENT = datetime.datetime(2030, 6, 1, 12, 0, tzinfo=datetime.UTC)


def titles(response: Response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def ids(response: Response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


# Paging


def test_a_page_has_items_total_page_and_size(api: ApiClient, user: User) -> None:
    TaskFactory.for_owner(user, 3)

    response = api.get("/api/tasks")

    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["items", "total", "page", "size", "total_is_bound"]
    assert (body["total"], body["page"], body["size"], body["total_is_bound"]) == (3, 1, 20, False)
    assert len(body["items"]) == 3


def test_the_default_page_size_is_20(api: ApiClient, user: User) -> None:
    TaskFactory.for_owner(user, 25)

    body = api.get("/api/tasks").json()

    assert len(body["items"]) == 20
    assert (body["total"], body["page"], body["size"]) == (25, 1, 20)


def test_the_last_page_holds_the_rest(api: ApiClient, user: User) -> None:
    TaskFactory.for_owner(user, 25)

    body = api.get("/api/tasks", page=3, size=10).json()

    assert len(body["items"]) == 5
    assert (body["total"], body["page"], body["size"]) == (25, 3, 10)


def test_pages_do_not_overlap_and_cover_every_task(api: ApiClient, user: User) -> None:
    tasks = TaskFactory.for_owner(user, 7)

    seen = [
        task_id for page in (1, 2, 3) for task_id in ids(api.get("/api/tasks", page=page, size=3))
    ]

    assert sorted(seen) == sorted(task.id for task in tasks)


@pytest.mark.parametrize("page", [2, 1000, 10**20])
def test_a_page_past_the_last_is_empty(api: ApiClient, user: User, page: int) -> None:
    TaskFactory.for_owner(user, 3)

    response = api.get("/api/tasks", page=page)

    assert response.status_code == 200
    assert response.json() == {
        "items": [],
        "total": 3,
        "page": page,
        "size": 20,
        "total_is_bound": False,
    }


def test_a_user_without_tasks_gets_an_empty_first_page(api: ApiClient) -> None:
    response = api.get("/api/tasks")

    assert response.status_code == 200
    assert response.json() == {
        "items": [],
        "total": 0,
        "page": 1,
        "size": 20,
        "total_is_bound": False,
    }


def test_the_count_stops_a_page_ahead_and_says_it_is_a_bound(api: ApiClient, user: User) -> None:
    TaskFactory.for_owner(user, 15)

    first = api.get("/api/tasks", size=2).json()
    third = api.get("/api/tasks", size=2, page=3).json()
    seventh = api.get("/api/tasks", size=2, page=7).json()

    # Page 1 counts its own tasks, the next page's and one task more: 5 of the 15.
    assert (first["total"], first["total_is_bound"]) == (5, True)
    assert (third["total"], third["total_is_bound"]) == (9, True)
    # From page 7 on, the count reaches past the last task: exact.
    assert (seventh["total"], seventh["total_is_bound"]) == (15, False)


def test_a_bounded_count_counts_only_the_matches(api: ApiClient, user: User) -> None:
    TaskFactory.for_owner(user, 4, category="work")
    TaskFactory.for_owner(user, 9, category="home")

    body = api.get("/api/tasks", size=1, category="work").json()
    exact = api.get("/api/tasks", size=2, category="work").json()

    assert (body["total"], body["total_is_bound"]) == (3, True)
    assert (exact["total"], exact["total_is_bound"]) == (4, False)
    assert {item["category"] for item in body["items"]} == {"work"}


@pytest.mark.parametrize("size", [1, 100])
def test_the_size_may_be_from_1_to_100(api: ApiClient, user: User, size: int) -> None:
    TaskFactory.for_owner(user, 2)

    body = api.get("/api/tasks", size=size).json()

    assert body["size"] == size
    assert len(body["items"]) == min(size, 2)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("page", "0"),
        ("page", "-1"),
        ("page", "two"),
        ("page", "1.5"),
        ("page", ""),
        ("size", "0"),
        ("size", "101"),
        ("size", "ten"),
        ("done", "yes"),
        ("done", "1"),
        ("done", "True"),
        ("done", ""),
        ("ordering", "id"),
        ("ordering", "owner"),
        ("ordering", "--title"),
        ("ordering", "Title"),
        ("ordering", ""),
        ("q", "x" * 201),
        ("q", "nul\x00byte"),
        ("category", "nul\x00byte"),
    ],
)
def test_an_out_of_range_parameter_is_named_not_clamped(
    api: ApiClient, user: User, field: str, value: str
) -> None:
    TaskFactory.for_owner(user, 1)

    response = api.get("/api/tasks", **{field: value})

    assert list(bad_fields_of(response)) == [field]


def test_every_bad_parameter_is_named_at_once(api: ApiClient) -> None:
    response = api.get("/api/tasks", page="0", size="500", ordering="id")

    assert set(bad_fields_of(response)) == {"page", "size", "ordering"}


def test_the_listing_shows_only_the_users_tasks(
    api: ApiClient, user: User, other_user: User
) -> None:
    TaskFactory.create(owner=user, title="mine")
    TaskFactory.create(owner=other_user, title="theirs")

    body = api.get("/api/tasks").json()

    assert [item["title"] for item in body["items"]] == ["mine"]
    assert body["total"] == 1


@pytest.mark.parametrize("ordering", ["-created_at", "priority", "due_date"])
def test_the_listing_makes_as_many_queries_for_30_tasks_as_for_3(
    api: ApiClient, user: User, other_user: User, ordering: str, store: Store
) -> None:
    def queries_to_list() -> int:
        with store.recorded_queries() as queries:
            response = api.get("/api/tasks", ordering=ordering, size=100)
        assert response.status_code == 200
        return len(queries)

    api.get("/api/auth/me")  # the token's first use is written once; what follows reads only
    TaskFactory.for_owner(user, 3)
    with_3 = queries_to_list()
    TaskFactory.for_owner(user, 27)
    TaskFactory.for_owner(other_user, 30)
    with_30 = queries_to_list()

    assert with_30 == with_3
    assert api.get("/api/tasks", size=100).json()["total"] == 30


# Filters


@pytest.mark.parametrize(("done", "expected"), [("true", ["finished"]), ("false", ["open"])])
def test_filter_by_done(api: ApiClient, user: User, done: str, expected: list[str]) -> None:
    TaskFactory.create(owner=user, title="finished", done=True)
    TaskFactory.create(owner=user, title="open", done=False)

    assert titles(api.get("/api/tasks", done=done)) == expected


def test_filter_by_category_is_exact(api: ApiClient, user: User) -> None:
    TaskFactory.create(owner=user, title="exact", category="work")
    TaskFactory.create(owner=user, title="other case", category="Work")
    TaskFactory.create(owner=user, title="longer", category="homework")
    TaskFactory.create(owner=user, title="none", category="")

    assert titles(api.get("/api/tasks", category="work")) == ["exact"]


def test_filter_by_the_empty_category(api: ApiClient, user: User) -> None:
    TaskFactory.create(owner=user, title="uncategorised", category="")
    TaskFactory.create(owner=user, title="filed", category="work")

    assert titles(api.get("/api/tasks", category="")) == ["uncategorised"]


def test_search_is_a_case_insensitive_substring_of_title_or_description(
    api: ApiClient, user: User
) -> None:
    TaskFactory.create(owner=user, title="Buy MILK", description="")
    TaskFactory.create(owner=user, title="Shopping", description="eggs and milkshake")
    TaskFactory.create(owner=user, title="Walk the dog", description="around the park")

    assert sorted(titles(api.get("/api/tasks", q="Milk"))) == ["Buy MILK", "Shopping"]


def test_search_treats_wildcards_literally(api: ApiClient, user: User) -> None:
    TaskFactory.create(owner=user, title="100% done")
    TaskFactory.create(owner=user, title="100 percent")
    TaskFactory.create(owner=user, title="snake_case")
    TaskFactory.create(owner=user, title="snakecase")

    assert titles(api.get("/api/tasks", q="0%")) == ["100% done"]
    assert titles(api.get("/api/tasks", q="e_c")) == ["snake_case"]


def test_filters_combine_and_total_counts_the_matches(api: ApiClient, user: User) -> None:
    TaskFactory.create(owner=user, title="report draft", category="work", done=False)
    TaskFactory.create(owner=user, title="report final", category="work", done=True)
    TaskFactory.create(owner=user, title="report home", category="home", done=False)
    TaskFactory.for_owner(user, 5, category="work", done=False)

    response = api.get("/api/tasks", q="report", category="work", done="false", size=1)

    assert titles(response) == ["report draft"]
    assert response.json()["total"] == 1


def test_search_does_not_reach_another_users_tasks(
    api: ApiClient, user: User, other_user: User
) -> None:
    TaskFactory.create(owner=other_user, title="secret plan")

    response = api.get("/api/tasks", q="secret")

    assert response.json()["total"] == 0


# Ordering


def test_the_default_order_is_newest_first(api: ApiClient, user: User, store: Store) -> None:
    first, second, third = TaskFactory.for_owner(user, 3)
    for days, task in enumerate((first, second, third)):
        store.update_tasks([task], created_at=A_MOMENT + datetime.timedelta(days=days))

    assert ids(api.get("/api/tasks")) == [third.id, second.id, first.id]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("created_at", ["old", "middle", "new"]),
        ("-created_at", ["new", "middle", "old"]),
    ],
)
def test_order_by_creation_time(
    api: ApiClient, user: User, ordering: str, expected: list[str], store: Store
) -> None:
    for days, title in ((1, "middle"), (0, "old"), (2, "new")):
        task = TaskFactory.create(owner=user, title=title)
        store.update_tasks([task], created_at=A_MOMENT + datetime.timedelta(days=days))

    assert titles(api.get("/api/tasks", ordering=ordering)) == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("title", ["apple", "banana", "cherry"]),
        ("-title", ["cherry", "banana", "apple"]),
    ],
)
def test_order_by_title(api: ApiClient, user: User, ordering: str, expected: list[str]) -> None:
    for title in ("banana", "cherry", "apple"):
        TaskFactory.create(owner=user, title=title)

    assert titles(api.get("/api/tasks", ordering=ordering)) == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("priority", ["low", "normal", "high"]),
        ("-priority", ["high", "normal", "low"]),
    ],
)
def test_order_by_priority_is_by_rank_not_alphabet(
    api: ApiClient, user: User, ordering: str, expected: list[str]
) -> None:
    for priority in ("normal", "high", "low"):
        TaskFactory.create(owner=user, title=priority, priority=priority)

    assert titles(api.get("/api/tasks", ordering=ordering)) == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("due_date", ["soon", "later", "undated 1", "undated 2"]),
        ("-due_date", ["later", "soon", "undated 2", "undated 1"]),
    ],
)
def test_tasks_without_a_due_date_come_last_either_way(
    api: ApiClient, user: User, ordering: str, expected: list[str]
) -> None:
    TaskFactory.create(owner=user, title="undated 1", due_date=None)
    TaskFactory.create(owner=user, title="later", due_date=datetime.date(2030, 3, 1))
    TaskFactory.create(owner=user, title="undated 2", due_date=None)
    TaskFactory.create(owner=user, title="soon", due_date=datetime.date(2030, 1, 1))

    assert titles(api.get("/api/tasks", ordering=ordering)) == expected


@pytest.mark.parametrize(
    ("ordering", "values"),
    [
        ("created_at", {"created_at": A_MOMENT}),
        ("title", {"title": "same"}),
        ("priority", {"priority": "high"}),
        ("due_date", {"due_date": datetime.date(2030, 1, 1)}),
        ("due_date", {"due_date": None}),
    ],
)
@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_ties_are_broken_by_id_in_the_orderings_direction(
    api: ApiClient,
    user: User,
    ordering: str,
    values: dict[str, Any],
    descending: bool,
    store: Store,
) -> None:
    tasks = TaskFactory.for_owner(user, 4)
    store.update_tasks(tasks, **values)
    by_id = sorted(task.id for task in tasks)

    response = api.get("/api/tasks", ordering=f"-{ordering}" if descending else ordering)

    assert ids(response) == (by_id[::-1] if descending else by_id)


def test_ties_keep_pages_stable(api: ApiClient, user: User) -> None:
    TaskFactory.for_owner(user, 9, title="same")

    seen = [
        task_id
        for page in (1, 2, 3)
        for task_id in ids(api.get("/api/tasks", ordering="title", page=page, size=3))
    ]

    assert len(set(seen)) == 9
