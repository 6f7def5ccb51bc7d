"""What the HTTP contract tests see of the project: a client that speaks to /api/, and a store.

The API tests say only what the contract (DESIGN.md §3) says: they send requests through an
`ApiClient` and read a plain `Response`, and they look into the database through a `Store`.
`tests/conftest.py` makes both for the project's app and ORM.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode


class Headers(Mapping[str, str]):
    """A response's headers; names match whatever their case, as in HTTP."""

    def __init__(self, items: Mapping[str, str]) -> None:
        self._items = {name.lower(): value for name, value in items.items()}

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items


@dataclass(frozen=True)
class Response:
    """What came back: the status, the headers, and the body whole and as it was sent."""

    status_code: int
    headers: Headers
    content: bytes
    chunks: tuple[bytes, ...]  # the pieces the body was sent in: one, unless it was streamed

    def json(self) -> Any:
        return json.loads(self.content)

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart form."""

    name: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Request:
    """One request as a test client sends it: a raw body, or files as a multipart form."""

    method: str
    path: str  # with its query string
    headers: Mapping[str, str]
    body: bytes = b""
    content_type: str | None = None
    files: Mapping[str, Upload] | None = None


class ApiClient(ABC):
    """Requests to the app as a script or a browser sends them; JSON unless said otherwise.

    A client made with a token sends it as `Authorization: Bearer ...`; a client of a signed-in
    browser carries its session cookie; a client with neither is anonymous.
    """

    def __init__(self, token: str | None = None) -> None:
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    @abstractmethod
    def open(self, request: Request) -> Response:
        """Send `request` to the app and read the whole response."""

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, Any] | None = None,
        body: bytes = b"",
        content_type: str | None = None,
        files: Mapping[str, Upload] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Send one request: a raw `body` of `content_type`, or `files` as a multipart form."""
        if query:
            path = f"{path}{'&' if '?' in path else '?'}{urlencode(query, doseq=True)}"
        sent = {**self.headers, **(headers or {})}
        return self.open(Request(method, path, sent, body, content_type, files))

    def get(self, path: str, **query: Any) -> Response:
        return self.request("GET", path, query=query)

    def post(
        self, path: str, payload: Any = None, *, headers: Mapping[str, str] | None = None
    ) -> Response:
        return self.send("POST", path, _json(payload), headers=headers)

    def patch(
        self, path: str, payload: Any = None, *, headers: Mapping[str, str] | None = None
    ) -> Response:
        return self.send("PATCH", path, _json(payload), headers=headers)

    def delete(self, path: str, *, headers: Mapping[str, str] | None = None) -> Response:
        return self.request("DELETE", path, headers=headers)

    def upload(
        self, path: str, files: Mapping[str, Upload], *, headers: Mapping[str, str] | None = None
    ) -> Response:
        return self.request("POST", path, files=files, headers=headers)

    def post_raw(self, path: str, body: bytes | str, content_type: str) -> Response:
        return self.send("POST", path, body, content_type)

    def send(
        self,
        method: str,
        path: str,
        body: bytes | str = b"",
        content_type: str = "application/json",
        *,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Any method with a raw body, for requests the shortcuts above cannot make."""
        raw = body.encode() if isinstance(body, str) else body
        return self.request(method, path, body=raw, content_type=content_type, headers=headers)


def _json(payload: Any) -> bytes:
    return json.dumps({} if payload is None else payload).encode()


class Store(Protocol):
    """The database as the tests read it, past the API: counts, rows, and direct writes.

    Users and tasks are the project's own model objects; the tests read their fields only.
    """

    def task_count(self, owner: Any = None) -> int:
        """How many tasks are stored: all of them, or `owner`'s."""

    def get_task(self, task_id: int) -> Any:
        """The stored task with that id, read afresh, or None."""

    def task_rows(self, owner: Any, *fields: str) -> list[tuple[Any, ...]]:
        """`owner`'s tasks in the order they were stored, as tuples of `fields`."""

    def task_titles(self, owner: Any = None) -> list[str]:
        """The titles of the stored tasks (of `owner`'s only, if given) by id."""

    def update_tasks(self, tasks: list[Any], **values: Any) -> None:
        """Write `values` straight into the rows of `tasks`, past the services."""

    def refresh(self, row: Any) -> None:
        """Read `row`'s fields again from the database."""

    def user_count(self, username: str) -> int:
        """How many users have that username."""

    def get_user(self, user_id: int) -> Any:
        """The stored user with that id, or None."""

    def deactivate(self, user: Any) -> None:
        """Mark `user` inactive, as an administrator would."""

    def password_matches(self, user: Any, password: str) -> bool:
        """Whether `password` is the password `user` signs in with."""

    def stored_password(self, user: Any) -> str:
        """What the database keeps of `user`'s password."""

    def token_count(self, user: Any) -> int:
        """How many API token rows `user` has, expired ones included."""

    def expire_tokens(self, user: Any) -> None:
        """Make every token of `user` expire now, as if its lifetime had passed."""

    def recorded_queries(self) -> AbstractContextManager[list[str]]:
        """A block that lists every SQL statement sent inside it."""
