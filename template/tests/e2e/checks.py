"""What every page must pass, whatever a test does on it: a quiet console and axe-core.

`ConsoleWatch` records each console error and uncaught exception of the browser contexts it
watches; the `page` fixtures fail a test that leaves any behind. `assert_accessible` runs
axe-core (the copy that the axe-playwright-python package ships) in the page and fails on
serious or critical violations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, WebError

# How Chromium reports a response with an error status: a console error, like a script's.
FAILED_RESOURCE = re.compile(
    r"^Failed to load resource: the server responded with a status of (\d+)"
)

AXE_SOURCE = (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
BLOCKING_IMPACTS = ("critical", "serious")


@dataclass
class ConsoleWatch:
    """The console errors and uncaught exceptions of every page of the watched contexts.

    Chromium logs every response with an error status as a console error. A step that makes
    the server refuse on purpose (a CSV with a bad row gets a 422) runs inside
    `expecting_error_response`: the console line of exactly that response is then not a
    problem, and its absence is one.
    """

    problems: list[str] = field(default_factory=list)
    expected: list[tuple[int, str]] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        context.on("console", self._on_console)
        context.on("weberror", self._on_page_error)

    @contextmanager
    def expecting_error_response(self, status: int, path: str) -> Iterator[None]:
        expected = (status, path)
        self.expected.append(expected)
        try:
            yield
        finally:
            arrived = expected not in self.expected
            if not arrived:
                self.expected.remove(expected)
        if not arrived:
            self.problems.append(f"expected a {status} response from {path}, and none came")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        failed = FAILED_RESOURCE.match(message.text)
        if failed and (int(failed.group(1)), urlsplit(source).path) in self.expected:
            self.expected.remove((int(failed.group(1)), urlsplit(source).path))
            return
        page = message.page.url if message.page else "?"
        self.problems.append(f"console error on {page}: {message.text} ({source})")

    def _on_page_error(self, error: WebError) -> None:
        page = error.page.url if error.page else "?"
        self.problems.append(f"uncaught exception on {page}: {error.error}")


def wait_for_animations(page: Page, timeout_ms: int = 2000) -> None:
    """Until the page's CSS transitions and animations have ended (or timeout_ms has passed).

    Colours read in the middle of a fade (a list dimmed while it loads) are not the page's.
    """
    page.evaluate(
        """(timeout) => Promise.race([
            Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null))),
            new Promise((resolve) => setTimeout(resolve, timeout)),
        ])""",
        timeout_ms,
    )


def accessibility_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page once it has stopped moving."""
    wait_for_animations(page)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    results: dict[str, Any] = page.evaluate(
        "() => window.axe.run(document, { resultTypes: ['violations'] })"
    )
    return [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One paragraph a violation: the rule, its impact and help page, each element and why."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"  - {target}")
            summary = node.get("failureSummary") or ""
            lines += [f"      {line.strip()}" for line in summary.splitlines() if line.strip()]
    return "\n".join(lines)


def assert_accessible(page: Page, where: str = "") -> None:
    """Fail with a readable list when axe-core finds serious or critical violations."""
    violations = accessibility_violations(page)
    assert not violations, (
        f"{len(violations)} serious or critical accessibility violations on {page.url}"
        f"{f' ({where})' if where else ''}:\n{describe_violations(violations)}"
    )


def assert_no_horizontal_scroll(page: Page, where: str = "") -> None:
    """A page that is usable at this width never scrolls sideways."""
    overflow: int = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, (
        f"{page.url}{f' ({where})' if where else ''} is {overflow} px wider than the window"
    )
