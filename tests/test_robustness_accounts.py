"""The accounts of a generated project under attack (issue 16), in every framework.

One project per framework is rendered (SQLite, no git), installed, migrated and served with its
development server (`make run`); the rows of issue 16's table that concern accounts are then
tried over HTTP, as an attacker or a careless user would:

- row 2: a session cookie captured before log-out no longer works after it;
- row 8: API tokens have a life cycle: they expire, are listed without their secret, can be
  revoked one by one or all at once, and expired rows are removed instead of piling up;
- row 9: passwords from the lists every guesser tries first are refused at sign-up.

Throttling (row 1) is proven across two server processes in
tests/test_throttling_across_processes.py, the reset flow through a real SMTP server in
tests/test_password_reset_flow.py, and rows 3 to 7, 10 and 11 in
tests/test_robustness_defences.py.
"""

from __future__ import annotations

import datetime
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from contract_scenario import Client
from robustness_support import PASSWORD, ApiUser, Browser, envelope_problem, send_json
from servers import prepare_project, running_server
from support import clean_env, python_interpreter, question_values

FLAVOURS: list[str] = question_values("framework")
PYTHON_VERSION = "3.12"
TOKEN_TABLES = {"django": "accounts_apitoken", "flask": "api_tokens"}
TOKEN_KEYS = {"id", "name", "created_at", "last_used_at", "expires_at"}
# Keyboard walks and the like: every guesser's first list, and every strength meter's.
COMMON_PASSWORDS = ("1qaz2wsx", "zaq12wsx", "qwertyuiop", "password1", "letmein123")


class Served:
    """A running project: its HTTP client and its SQLite database file."""

    def __init__(self, client: Client, database: Path, framework: str) -> None:
        self.client = client
        self.database = database
        self.framework = framework

    def expire_tokens_of(self, username: str) -> int:
        """Move every token of `username` into the past, as time would; how many there were."""
        users = "accounts_user" if self.framework == "django" else "users"
        with sqlite3.connect(self.database) as connection:
            changed = connection.execute(
                f"UPDATE {TOKEN_TABLES[self.framework]} SET expires_at = ?"
                f" WHERE user_id = (SELECT id FROM {users} WHERE username = ?)",
                ("2000-01-01 00:00:00", username),
            ).rowcount
        return changed

    def token_rows(self) -> int:
        with sqlite3.connect(self.database) as connection:
            (count,) = connection.execute(
                f"SELECT count(*) FROM {TOKEN_TABLES[self.framework]}"
            ).fetchone()
        return int(count)


@pytest.fixture(scope="module", params=FLAVOURS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """One running project per framework, shared by this module's tests (distinct users)."""
    framework: str = request.param
    template = request.getfixturevalue("template_repo")
    workspace = tmp_path_factory.mktemp(f"accounts-{framework}")
    venv_bin = str(Path(sys.executable).parent)
    env = clean_env(
        PATH=os.pathsep.join([venv_bin, os.environ.get("PATH", "")]),
        UV_PYTHON=python_interpreter(PYTHON_VERSION),
        UV_PYTHON_DOWNLOADS="never",
    )
    project = prepare_project(template, workspace / framework, env, framework=framework)
    (database,) = [path for path in project.rglob("*.sqlite3") if ".venv" not in path.parts]
    with running_server(project, env, workspace / "server.log") as base_url:
        yield Served(Client(base_url), database, framework)


def api_token(client: Client, username: str, name: str | None = None) -> dict[str, object]:
    credentials: dict[str, object] = {"username": username, "password": PASSWORD}
    if name is not None:
        credentials["name"] = name
    issued = send_json(client, "POST", "/api/auth/token", credentials)
    assert issued.status == 200, issued.text()
    body: dict[str, object] = issued.json()
    return body


@pytest.mark.slow
def test_a_session_cookie_captured_before_log_out_is_refused_after_it(served: Served) -> None:
    ApiUser.sign_up(served.client, "carol")
    browser = Browser(served.client)
    browser.sign_in("carol")
    captured = dict(browser.cookies)
    assert browser.request("GET", "/api/auth/me").status == 200

    page = browser.page("/tasks/")
    found = Browser.CSRF_INPUT.search(page)
    assert found, "the tasks page has no CSRF token for its log-out form"
    logged_out = browser.request(
        "POST",
        "/accounts/logout/",
        f"{found.group(1)}={found.group(2)}".encode(),
        "application/x-www-form-urlencoded",
    )
    assert logged_out.status in (302, 303), logged_out.text()

    thief = Browser(served.client)
    thief.cookies = captured
    me = thief.request("GET", "/api/auth/me")
    assert me.status == 401, f"the captured cookie still works: {me.status} {me.text()[:200]}"
    tasks_page = thief.request("GET", "/tasks/")
    assert tasks_page.status in (302, 303), "the captured cookie still opens the tasks page"
    assert "/accounts/login/" in (tasks_page.headers.get("Location") or "")


@pytest.mark.slow
def test_api_tokens_are_listed_without_secrets_and_can_be_revoked(served: Served) -> None:
    user = ApiUser.sign_up(served.client, "dave")
    laptop = api_token(served.client, "dave", name="laptop")
    assert set(laptop) == {"token", "id", "expires_at"}
    expires_at = datetime.datetime.fromisoformat(str(laptop["expires_at"]))
    lifetime = expires_at - datetime.datetime.now(datetime.UTC)
    assert datetime.timedelta(days=29) < lifetime <= datetime.timedelta(days=30, minutes=1)

    listed = user.get("/api/auth/tokens")
    assert listed.status == 200, listed.text()
    tokens = listed.json()
    assert all(set(token) == TOKEN_KEYS for token in tokens), tokens
    assert str(laptop["token"]) not in listed.text(), "the list shows a token's secret"
    assert "laptop" in {token["name"] for token in tokens}

    laptop_user = ApiUser(served.client, str(laptop["token"]))
    assert laptop_user.get("/api/auth/me").status == 200
    revoked = user.send("DELETE", f"/api/auth/tokens/{laptop['id']}")
    assert revoked.status == 204, revoked.text()
    assert laptop_user.get("/api/auth/me").status == 401

    # The token that makes the request can revoke itself; it is refused right after.
    assert user.send("DELETE", "/api/auth/token").status == 204
    assert envelope_problem(user.get("/api/auth/me"), {401}) is None


@pytest.mark.slow
def test_another_users_token_cannot_be_revoked(served: Served) -> None:
    erin = ApiUser.sign_up(served.client, "erin")
    frank = ApiUser.sign_up(served.client, "frank")
    erins = erin.get("/api/auth/tokens").json()

    answer = frank.send("DELETE", f"/api/auth/tokens/{erins[0]['id']}")

    assert envelope_problem(answer, {404}) is None
    assert erin.get("/api/auth/me").status == 200


@pytest.mark.slow
def test_expired_tokens_are_refused_and_their_rows_removed(served: Served) -> None:
    grace = ApiUser.sign_up(served.client, "grace")
    for _ in range(3):
        api_token(served.client, "grace")
    rows_before = served.token_rows()

    assert served.expire_tokens_of("grace") == 4
    assert envelope_problem(grace.get("/api/auth/me"), {401}) is None

    fresh = ApiUser(served.client, str(api_token(served.client, "grace")["token"]))
    assert fresh.get("/api/auth/me").status == 200
    assert served.token_rows() == rows_before - 4 + 1, "expired tokens pile up in the database"
    assert len(fresh.get("/api/auth/tokens").json()) == 1, "the list shows expired tokens"


@pytest.mark.slow
@pytest.mark.parametrize("password", COMMON_PASSWORDS)
def test_a_common_password_is_refused_at_sign_up(served: Served, password: str) -> None:
    username = f"weak{COMMON_PASSWORDS.index(password)}"
    account = {"username": username, "email": f"{username}@example.com", "password": password}

    answer = send_json(served.client, "POST", "/api/auth/register", account)

    assert envelope_problem(answer, {422}) is None, answer.text()
    assert "password" in answer.json()["error"]["fields"]
