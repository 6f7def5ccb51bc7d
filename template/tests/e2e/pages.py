"""The pages as a person uses them: what they fill in, press and read, by label and role.

Each function takes a Playwright `Page` and does one thing a person would do, then waits for
its visible result, so that a test reads as the story it checks.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from playwright.sync_api import APIRequestContext, FilePayload, Locator, Page, expect

LOG_IN = "/accounts/login/"
SIGN_UP = "/accounts/signup/"
TASKS = "/tasks/"
DASHBOARD = "/dashboard/"
API_TOKENS = "/accounts/tokens/"


def label(text: str) -> re.Pattern[str]:
    """A form field's label, with or without the colon that the form renderers add."""
    return re.compile(rf"^{re.escape(text)}:?$")


def at(path: str) -> re.Pattern[str]:
    """A URL of this app at `path`, whatever its query string."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$")


@dataclass(frozen=True)
class Member:
    username: str
    email: str
    password: str


def new_member() -> Member:
    username = f"e2e_{secrets.token_hex(4)}"
    return Member(username, f"{username}@example.com", f"Quiet-{secrets.token_hex(8)}-river")


# Accounts


def sign_up(page: Page, member: Member) -> None:
    page.goto(SIGN_UP)
    page.get_by_label(label("Username")).fill(member.username)
    page.get_by_label(label("E-mail")).fill(member.email)
    page.get_by_label(label("Password")).fill(member.password)
    page.get_by_label(label("Password (again)")).fill(member.password)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(at(TASKS))
    wait_for_scripts(page)


def log_in(page: Page, member: Member) -> None:
    page.goto(LOG_IN)
    page.get_by_label(label("Username")).fill(member.username)
    page.get_by_label(label("Password")).fill(member.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(at(TASKS))
    wait_for_scripts(page)


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(at(LOG_IN))


def register(api: APIRequestContext, member: Member) -> str:
    """Create the account through the API; returns a personal API token for it."""
    account = {"username": member.username, "email": member.email, "password": member.password}
    created = api.post("/api/auth/register", data=account)
    assert created.status == 201, created.text()
    credentials = {"username": member.username, "password": member.password}
    token = api.post("/api/auth/token", data=credentials)
    assert token.status == 200, token.text()
    value: str = token.json()["token"]
    return value


def add_tasks_through_api(api: APIRequestContext, token: str, *tasks: Mapping[str, object]) -> None:
    for task in tasks:
        created = api.post("/api/tasks", data=task, headers={"Authorization": f"Bearer {token}"})
        assert created.status == 201, created.text()


# The tasks page


def task_items(page: Page) -> Locator:
    return page.locator("#task-list li[data-task-id]")


def task_item(page: Page, title: str) -> Locator:
    """The list item of the task with this title."""
    return task_items(page).filter(has=page.locator(".task__title").get_by_text(title, exact=True))


def task_titles(page: Page) -> Locator:
    return task_items(page).locator(".task__title")


def add_task(
    page: Page,
    title: str,
    *,
    description: str = "",
    category: str = "",
    priority: str = "",
    due_date: str = "",
) -> None:
    """Fill in the new-task form (empty fields keep their defaults) and add the task."""
    form = page.locator("#task-form")
    form.get_by_label(label("Title")).fill(title)
    form.get_by_label(label("Description")).fill(description)
    form.get_by_label(label("Category")).fill(category)
    if priority:
        form.get_by_label(label("Priority")).select_option(priority)
    form.get_by_label(label("Due date")).fill(due_date)
    form.get_by_role("button", name="Add task").click()


def filter_tasks(page: Page, *, category: str = "", status: str = "All") -> None:
    """Set the filters above the list, empty the search, apply them and wait for the list."""
    filters = page.locator("#filter-form")
    filters.get_by_label(label("Search")).fill("")
    filters.get_by_label(label("Category")).fill(category)
    filters.get_by_label(label("Status")).select_option(label=status)
    filters.get_by_role("button", name="Apply").click()
    wait_for_list(page)


def search_as_you_type(page: Page, text: str) -> None:
    """Type into the search field key by key, as a person does, and press nothing else."""
    search = page.locator("#filter-form").get_by_label(label("Search"))
    search.press_sequentially(text, delay=40)


def wait_for_scripts(page: Page) -> None:
    """Until tasks.js runs the page: it shows the import form once every handler is attached.

    Before that, the forms still work, but as plain HTML posts: a test that acts too early
    would check the page without its scripts.
    """
    expect(page.locator("#import-form")).to_be_visible()


def wait_for_list(page: Page) -> None:
    """Until the list shows the answer to its latest request."""
    expect(page.locator("#task-results")).to_have_attribute("aria-busy", "false")


def csv_file(name: str, *lines: str) -> FilePayload:
    """A CSV file as the browser's file chooser hands it over."""
    content = "\n".join(lines) + "\n"
    return {"name": name, "mimeType": "text/csv", "buffer": content.encode("utf-8")}


def import_csv(page: Page, file: FilePayload) -> None:
    form = page.locator("#import-form")
    form.locator('input[name="file"]').set_input_files(file)  # its label may change
    form.get_by_role("button", name=re.compile(r"^Import")).click()
