"""The category model in the pages (issue: the ML module), in a real browser.

The server of these tests trained its model on the shipped seed data before it started
(conftest.py). On the tasks page the model suggests a category while a title is typed, asking
once per pause rather than once per key; the suggestion is only ever applied by the person.
The dashboard shows the model's metrics and the figures of its training run.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import APIRequestContext, Page, Request, expect

from .checks import assert_accessible
from .pages import (
    DASHBOARD,
    Member,
    add_task,
    label,
    log_in,
    register,
    sign_up,
    task_item,
    wait_for_list,
)

pytestmark = pytest.mark.e2e

PREDICT_PATH = "/api/ml/predict"
SUGGESTION_BUTTON = re.compile(r"^Use suggested category: ")


def test_a_category_is_suggested_once_the_person_pauses_typing(page: Page, member: Member) -> None:
    sign_up(page, member)
    wait_for_suggestions(page)
    predictions: list[Request] = []
    page.on("request", lambda request: _record_prediction(request, predictions))
    form = page.locator("#task-form")
    suggestion = page.locator("#category-suggestion")
    expect(suggestion).to_be_hidden()

    # Typed key by key, faster than the pause the page waits for: one question to the model.
    form.get_by_label(label("Title")).press_sequentially(
        "Pay the electricity bill before Friday", delay=30
    )
    use = suggestion.get_by_role("button", name=SUGGESTION_BUTTON)
    expect(use).to_be_visible()
    assert len(predictions) == 1, [request.post_data for request in predictions]
    assert predictions[0].post_data_json == {"title": "Pay the electricity bill before Friday"}
    expect(suggestion).to_contain_text(re.compile(r"\(\d{1,3}% sure\)"))

    # Nothing is filled in until the person takes the suggestion.
    category = form.get_by_label(label("Category"))
    expect(category).to_have_value("")
    expect(use).to_have_text("finance")
    suggested = use.inner_text()
    use.click()
    expect(category).to_have_value(suggested)
    expect(suggestion).to_be_hidden()

    form.get_by_role("button", name="Add task").click()
    added = task_item(page, "Pay the electricity bill before Friday")
    expect(added.locator(".badge", has_text=suggested)).to_be_visible()
    # The form starts again empty, without a suggestion left over.
    expect(suggestion).to_be_hidden()
    assert_accessible(page, "tasks page after a suggestion")


def test_an_unsure_model_suggests_nothing(page: Page, member: Member) -> None:
    sign_up(page, member)
    wait_for_suggestions(page)
    with page.expect_response(lambda response: response.url.endswith(PREDICT_PATH)) as answer:
        page.locator("#task-form").get_by_label(label("Title")).fill("Call Sam back")
    assert answer.value.json()["confidence"] < 0.35  # ml-format.js MIN_CONFIDENCE
    expect(page.locator("#category-suggestion")).to_be_hidden()


def test_the_suggestion_follows_the_text_and_is_never_forced(page: Page, member: Member) -> None:
    sign_up(page, member)
    wait_for_suggestions(page)
    form = page.locator("#task-form")
    suggestion = page.locator("#category-suggestion")

    form.get_by_label(label("Title")).fill("Prepare slides for the team meeting")
    expect(suggestion.get_by_role("button", name=SUGGESTION_BUTTON)).to_have_text("work")

    # The person's own category wins: the task keeps it, whatever the model thought.
    add_task(page, "Prepare slides for the team meeting", category="presentations")
    expect(task_item(page, "Prepare slides for the team meeting")).to_contain_text("presentations")

    # A title the API would refuse (over 200 characters) is not sent at all: no 422.
    form.get_by_label(label("Title")).fill("x" * 201)
    page.wait_for_timeout(800)  # twice the page's pause: a request would have been sent
    expect(suggestion).to_be_hidden()


def test_the_dashboard_shows_the_model_and_its_figures(
    page: Page, json_api: APIRequestContext, member: Member
) -> None:
    register(json_api, member)
    log_in(page, member)
    page.goto(DASHBOARD)

    report = page.locator("#model-report")
    expect(report).to_have_attribute("aria-busy", "false")
    expect(report.get_by_role("heading", name="Category model")).to_be_visible()
    facts = report.locator("#model-facts")
    expect(facts).to_contain_text(re.compile(r"Accuracy on held-out tasks\s*\d+\.\d%"))
    expect(facts).to_contain_text(re.compile(r"Macro-F1 on held-out tasks\s*0\.\d{3}"))
    expect(report.locator("#model-candidates tbody tr")).to_have_count(2)
    expect(report.locator("#model-candidates tbody th", has_text="(kept)")).to_have_count(1)

    figures = report.locator("img.model-figure")
    expect(figures).to_have_count(3)
    for index in range(3):
        figure = figures.nth(index)
        expect(figure).to_have_attribute("alt", re.compile(r".{20,}"))
        drawn = figure.evaluate("image => image.complete && image.naturalWidth > 0")
        assert drawn, figure.get_attribute("src")
    assert_accessible(page, "dashboard with the model report")


def wait_for_suggestions(page: Page) -> None:
    """Until the page's scripts listen to the new-task form (they add the suggestion's box)."""
    wait_for_list(page)
    expect(page.locator("#category-suggestion")).to_be_attached()


def _record_prediction(request: Request, into: list[Request]) -> None:
    if request.method == "POST" and request.url.endswith(PREDICT_PATH):
        into.append(request)
