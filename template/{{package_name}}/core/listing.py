"""The task list as the pages show it: read from a query string, written back into links.

Plain Python, so the page's rules are tested without a request: a view passes its request's
query parameters (any `Mapping[str, str]`) and gets the list's query, the query string of any
page of it, and the links of the pagination.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from pydantic import ValidationError

from .domain import ORDERINGS, Priority
from .pagination import Page
from .schemas.tasks import TaskListQuery

#: The ordering select's options: every `ordering` value with its words (core/domain.py).
ORDERING_LABELS: dict[str, str] = dict(ORDERINGS)
PRIORITY_CHOICES = [(priority.value, priority.value.capitalize()) for priority in Priority]


def list_query_from(params: Mapping[str, str]) -> TaskListQuery:
    """The list's query. A value the API would refuse with a 422 falls back to its default
    here: a person following an old or hand-edited link should still see their tasks.
    """
    given = {name: params[name] for name in TaskListQuery.model_fields if params.get(name)}
    try:
        return TaskListQuery.model_validate(given)
    except ValidationError as exc:
        invalid = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
        return TaskListQuery.model_validate(
            {name: value for name, value in given.items() if name not in invalid}
        )


def list_query_string(query: TaskListQuery, *, page: int | None = None) -> str:
    """The query string that shows `query` (at `page`), defaults left out: `q=milk&page=2`."""
    values = query.model_dump(exclude_defaults=True, exclude_none=True)
    values.pop("page", None)
    page = query.page if page is None else page
    if page != 1:
        values["page"] = page  # last, so links differ only at their end
    return urlencode(values)


def list_url(path: str, query: TaskListQuery, *, page: int | None = None) -> str:
    """`path` with the query string of `query` (at `page`), or `path` alone for the defaults."""
    query_string = list_query_string(query, page=page)
    return f"{path}?{query_string}" if query_string else path


def page_links(path: str, query: TaskListQuery, page: Page[Any]) -> dict[str, str | None]:
    """The pagination's links, for a template: the first page always, the previous and the
    next page when there is one (None otherwise).
    """
    return {
        "first_url": list_url(path, query, page=1),
        "previous_url": list_url(path, query, page=page.page - 1) if page.page > 1 else None,
        "next_url": list_url(path, query, page=page.page + 1) if page.page < page.pages else None,
    }
