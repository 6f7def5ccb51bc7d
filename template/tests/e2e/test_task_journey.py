"""A person's whole visit, in a real browser against the real app (issue: front-end).

Sign up, log out and in again, add three tasks, filter them, edit one in place, mark one
done, delete one, import a CSV with a bad row (refused with the row's error) and a good one,
download the export, read the dashboard, log out. The `page` fixture fails the test if any
page logs a console error on the way; axe-core checks the states no other test reaches.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import APIRequestContext, Page, expect

from .checks import ConsoleWatch, assert_accessible
from .pages import (
    DASHBOARD,
    LOG_IN,
    TASKS,
    Member,
    add_task,
    add_tasks_through_api,
    at,
    csv_file,
    filter_tasks,
    import_csv,
    label,
    log_in,
    log_out,
    register,
    search_as_you_type,
    sign_up,
    task_item,
    task_items,
    task_titles,
    wait_for_list,
)

pytestmark = pytest.mark.e2e

CSV_HEADER = "title,description,category,priority,done,due_date"


def test_a_member_works_through_their_tasks(
    page: Page, member: Member, console: ConsoleWatch
) -> None:
    # An account, and a second visit.
    sign_up(page, member)
    expect(page.get_by_text(member.username)).to_be_visible()
    log_out(page)
    log_in(page, member)
    expect(page.locator("#task-empty")).to_be_visible()

    # Three tasks: the newest comes first.
    add_task(page, "Buy oat milk", description="Two cartons", category="home", priority="low")
    expect(task_item(page, "Buy oat milk")).to_be_visible()
    add_task(
        page, "Write the release notes", category="work", priority="high", due_date="2030-01-15"
    )
    expect(task_item(page, "Write the release notes")).to_be_visible()
    add_task(page, "Call the plumber", category="home")
    expect(task_titles(page)).to_have_text(
        ["Call the plumber", "Write the release notes", "Buy oat milk"]
    )
    expect(task_item(page, "Write the release notes")).to_contain_text("15 Jan 2030")

    # Filters: by category, then by status too; a word is searched for as it is typed.
    filter_tasks(page, category="home")
    expect(task_titles(page)).to_have_text(["Call the plumber", "Buy oat milk"])
    expect(page).to_have_url(re.compile(r"[?&]category=home"))
    filter_tasks(page, category="home", status="Done")
    expect(task_items(page)).to_have_count(0)
    expect(page.locator("#task-empty")).to_contain_text("No task matches")
    filter_tasks(page)
    search_as_you_type(page, "PLUMB")
    expect(task_titles(page)).to_have_text(["Call the plumber"])
    wait_for_list(page)
    filter_tasks(page)
    expect(task_items(page)).to_have_count(3)

    # Edit in place: the item becomes a form, and the list shows the change without a reload.
    milk = task_item(page, "Buy oat milk")
    milk_id = milk.get_attribute("data-task-id")
    milk.get_by_role("button", name="Edit").click()
    item = page.locator(f'#task-list li[data-task-id="{milk_id}"]')
    editing = item.get_by_role("form")
    editing.get_by_label(label("Title")).fill("Buy oat milk and bread")
    editing.get_by_label(label("Category")).fill("groceries")
    editing.get_by_role("button", name="Save").click()
    expect(item.locator(".task__title")).to_have_text("Buy oat milk and bread")
    expect(item).to_contain_text("groceries")

    # Done, and undone is offered.
    item.get_by_role("button", name="Mark done").click()
    expect(item.get_by_role("button", name="Undo")).to_be_visible()
    expect(item.locator(".task__status")).to_have_text("Done")

    # Delete, after a confirmation.
    task_item(page, "Call the plumber").get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Call the plumber")
    assert_accessible(page, "the delete confirmation")
    dialog.get_by_role("button", name="Delete task").click()
    expect(task_item(page, "Call the plumber")).to_have_count(0)
    expect(task_items(page)).to_have_count(2)

    # A file with one bad row: its line and column are shown, and nothing is imported.
    errors = page.locator("#import-errors")
    with console.expecting_error_response(422, "/api/tasks/import"):
        import_csv(
            page,
            csv_file(
                "bad.csv",
                CSV_HEADER,
                "Pay the rent,,home,high,false,2030-02-01",
                ",a row without a title,home,normal,false,",
            ),
        )
        expect(errors.get_by_role("row").filter(has_text="title")).to_contain_text("3")
    expect(page.locator("#import-status")).to_contain_text("Nothing was imported")
    assert_accessible(page, "the import's row errors")
    expect(task_items(page)).to_have_count(2)

    # The same file without the bad row.
    import_csv(
        page,
        csv_file(
            "good.csv",
            CSV_HEADER,
            "Pay the rent,,home,high,false,2030-02-01",
            "Renew the passport,Photos first,admin,normal,true,",
        ),
    )
    expect(page.locator("#import-status")).to_contain_text("Imported 2 tasks")
    expect(errors).to_be_empty()
    expect(task_items(page)).to_have_count(4)

    # The export: every task, under the CSV header.
    with page.expect_download() as started:
        page.locator("a#export-link").click()
    download = started.value
    assert download.suggested_filename.endswith(".csv")
    exported = Path(download.path()).read_text(encoding="utf-8")
    assert exported.splitlines()[0] == CSV_HEADER
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert sorted(row["title"] for row in rows) == [
        "Buy oat milk and bread",
        "Pay the rent",
        "Renew the passport",
        "Write the release notes",
    ]
    assert {row["title"]: row["done"] for row in rows}["Renew the passport"] == "true"

    # The dashboard: 2 of the 4 tasks are done, and each has a category of its own.
    page.get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(at(DASHBOARD))
    expect(page.locator("#completion-rate")).to_have_text("50%")
    expect(page.locator("#dashboard-chart .chart__row")).to_have_count(4)
    table = page.locator("#stats-table")
    for category in ("home", "work", "groceries", "admin"):
        expect(table.get_by_role("row").filter(has_text=category)).to_have_count(1)
    # Everything the dashboard loads has arrived before the session ends: a request still on
    # its way would be refused (401) once the person has logged out.
    expect(page.locator("#dashboard")).to_have_attribute("aria-busy", "false")

    log_out(page)
    expect(page).to_have_url(at(LOG_IN))


def test_a_blank_title_is_refused_next_to_its_field(
    page: Page, member: Member, console: ConsoleWatch
) -> None:
    sign_up(page, member)
    title = page.locator("#task-form").get_by_label(label("Title"))
    with console.expecting_error_response(422, "/api/tasks"):
        add_task(page, "   ")  # the browser's `required` lets spaces through; the API does not
        expect(title).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#task-form .errorlist")).to_be_visible()
    expect(task_items(page)).to_have_count(0)


def test_an_ended_session_leads_back_to_the_log_in_page(
    page: Page, member: Member, console: ConsoleWatch
) -> None:
    sign_up(page, member)
    page.wait_for_load_state("networkidle")  # the list has loaded: no request is under way
    page.context.clear_cookies()  # as if the session had expired
    with console.expecting_error_response(401, "/api/tasks"):
        add_task(page, "Never saved")
        expect(page).to_have_url(at(LOG_IN))
    log_in(page, member)  # and back to the tasks, where nothing was added
    expect(page).to_have_url(at(TASKS))
    expect(task_items(page)).to_have_count(0)


def test_a_long_list_comes_in_pages(
    page: Page, json_api: APIRequestContext, member: Member
) -> None:
    token = register(json_api, member)
    add_tasks_through_api(json_api, token, *({"title": f"Task {n:02}"} for n in range(1, 24)))
    log_in(page, member)
    pages = page.locator("#pagination")
    expect(task_items(page)).to_have_count(20)
    expect(pages).to_contain_text("Page 1 of 2")
    pages.get_by_role("link", name="Next").click()
    expect(task_titles(page)).to_have_text(["Task 03", "Task 02", "Task 01"])
    expect(pages).to_contain_text("Page 2 of 2")
    expect(page).to_have_url(re.compile(r"[?&]page=2"))
    pages.get_by_role("link", name="Previous").click()
    expect(task_items(page)).to_have_count(20)
