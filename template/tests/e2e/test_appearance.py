"""Every page, light and dark, on a desktop and on a phone: accessible (axe-core finds nothing
serious), never wider than the window, quiet in the console. With E2E_SCREENSHOT_DIR set, each
one is also saved as `<page>-<scheme>-<screen>.png` there, for a person to look at.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import APIRequestContext, BrowserContext, Page, expect

from .checks import assert_accessible, assert_no_horizontal_scroll, wait_for_animations
from .pages import (
    API_TOKENS,
    DASHBOARD,
    LOG_IN,
    SIGN_UP,
    TASKS,
    Member,
    add_tasks_through_api,
    log_in,
    new_member,
    register,
    task_items,
    wait_for_list,
)

pytestmark = pytest.mark.e2e

SCHEMES = ("light", "dark")
SCREENS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
}
SAMPLE_TASKS: tuple[dict[str, object], ...] = (
    {"title": "Water the plants", "category": "home", "priority": "low"},
    {
        "title": "Send the quarterly report",
        "category": "work",
        "priority": "high",
        "description": "Numbers from the spreadsheet, two charts.",
        "due_date": "2030-03-31",
    },
    {"title": "Book the dentist", "category": "health", "done": True},
    {"title": "Plan the team lunch", "category": "work"},
)


@pytest.fixture(scope="module")
def regular(json_api: APIRequestContext) -> Member:
    """Someone with an account and a few tasks, so that no page shows only its empty state."""
    member = new_member()
    token = register(json_api, member)
    add_tasks_through_api(json_api, token, *SAMPLE_TASKS)
    return member


def wait_until_ready(page: Page, name: str) -> None:
    """What shows that a page has finished drawing, its scripts' work included."""
    if name == "tasks":
        wait_for_list(page)
        expect(task_items(page).first).to_be_visible()
    elif name == "dashboard":
        expect(page.locator("#dashboard")).to_have_attribute("aria-busy", "false")
        expect(page.locator("#dashboard-chart .chart__row").first).to_be_visible()
    else:
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    wait_for_animations(page)


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_each_page_is_accessible_and_fits_the_screen(
    open_context: Callable[..., BrowserContext],
    regular: Member,
    scheme: str,
    screen: str,
    screenshot_dir: Path | None,
) -> None:
    page = open_context(color_scheme=scheme, **SCREENS[screen]).new_page()

    def look_at(name: str, path: str) -> None:
        page.goto(path)
        wait_until_ready(page, name)
        appearance = f"{scheme}, {screen}"
        assert_accessible(page, appearance)
        assert_no_horizontal_scroll(page, appearance)
        if screenshot_dir is not None:
            page.screenshot(
                path=screenshot_dir / f"{name}-{scheme}-{screen}.png",
                full_page=True,
                animations="disabled",
            )

    look_at("log-in", LOG_IN)
    look_at("sign-up", SIGN_UP)
    log_in(page, regular)
    look_at("tasks", TASKS)
    look_at("dashboard", DASHBOARD)
    look_at("api-tokens", API_TOKENS)


def test_a_new_tokens_secret_fits_a_phone(
    open_context: Callable[..., BrowserContext], regular: Member
) -> None:
    page = open_context(**SCREENS["phone"]).new_page()
    log_in(page, regular)
    page.goto(API_TOKENS)

    page.get_by_label("Name").fill("phone")
    page.get_by_role("button", name="Create a token").click()

    expect(page.locator("#new-token")).to_be_visible()
    assert_no_horizontal_scroll(page, "phone, a new token shown")
