"""The generated project's front-end, in a real browser, for every framework flavour.

Each flavour is rendered, installed (uv, Python 3.12) and made to run its own end-to-end tests
(`make e2e`) with E2E_REQUIRE_BROWSER=1, so that a missing Chromium fails instead of skipping,
and its JavaScript unit tests with Node's own runner. The end-to-end tests photograph every
page, light and dark, on a desktop and on a phone: the pictures are kept in
artifacts/screenshots/<flavour>/ of this checkout (git ignores artifacts/), for a person to look
at after a run.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from support import REPO_ROOT, copy_project, python_interpreter, question_values, run, tail

FLAVOURS: list[str] = question_values("framework")
PYTHON_VERSION = "3.12"
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"

# What tests/e2e/test_appearance.py of the generated project saves: <page>-<scheme>-<screen>.png
PAGES = ("log-in", "sign-up", "tasks", "dashboard", "api-tokens")
SCHEMES = ("light", "dark")
SCREENS = ("desktop", "phone")
EXPECTED_SCREENSHOTS = sorted(
    f"{page}-{scheme}-{screen}.png" for page in PAGES for scheme in SCHEMES for screen in SCREENS
)
FAILURE_LINES = 250  # a failing browser test explains itself at length (axe's list, say)


def pytest_summary(output: str) -> str:
    """pytest's last line: `7 passed, 590 deselected in 31.2s`."""
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else ""


@pytest.mark.slow
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_pages_work_in_a_real_browser(
    flavour: str, tmp_path: Path, template_repo: Path, tool_env: dict[str, str]
) -> None:
    env = dict(tool_env)
    env["UV_PYTHON"] = python_interpreter(PYTHON_VERSION)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    project = tmp_path / flavour
    copy_project(template_repo, project, env, init_git=False, framework=flavour)
    run(["make", "install"], cwd=project, env=env)

    screenshots = SCREENSHOTS / flavour
    shutil.rmtree(screenshots, ignore_errors=True)  # only this run's pictures
    e2e = run(
        ["make", "e2e"],
        cwd=project,
        env={
            **env,
            "E2E_REQUIRE_BROWSER": "1",
            "E2E_SCREENSHOT_DIR": str(screenshots),
            "PYTEST_ADDOPTS": "--tb=short",
        },
        check=False,
    )
    print(e2e.stdout)  # shown when the test fails
    if e2e.returncode != 0:
        pytest.fail(
            f"`make e2e` of the {flavour} project exited {e2e.returncode}; its output ends:\n"
            f"{tail(e2e.stdout, FAILURE_LINES)}",
            pytrace=False,
        )
    summary = pytest_summary(e2e.stdout)
    assert re.search(r"\b\d+ passed\b", summary), summary
    assert not re.search(r"\b(skipped|xfailed|xpassed)\b", summary), summary

    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the project's JavaScript tests cannot run")
    run([node, "--test", "tests/js/"], cwd=project, env=env)

    saved = sorted(path.name for path in screenshots.glob("*.png"))
    assert saved == EXPECTED_SCREENSHOTS, f"screenshots in {screenshots}: {saved}"
    assert all((screenshots / name).stat().st_size > 0 for name in saved)
