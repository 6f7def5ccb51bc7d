"""Exercise 11: the badge's JavaScript passes its Node tests, and its CSS has every class."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.exercise

HERE = Path(__file__).resolve().parent
TONES = ("overdue", "today", "soon", "later")


def test_the_javascript_passes_its_node_tests() -> None:
    node = shutil.which("node")
    assert node, "Node.js is not installed: the JavaScript cannot be graded"

    result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [node, "--test", str(HERE / "due-badge.test.mjs")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def css_rules(css: str) -> dict[str, str]:
    """Each selector of the stylesheet (outside @media) with its declarations."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    top_level = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", css)
    return {
        selector.strip(): body
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", top_level)
        for selector in selectors.split(",")
    }


def test_every_tone_has_a_class_coloured_through_custom_properties() -> None:
    rules = css_rules((HERE / "due-badge.css").read_text(encoding="utf-8"))

    assert ".due-badge" in rules
    for tone in TONES:
        body = rules.get(f".due-badge--{tone}", "")
        assert re.search(r"(^|;)\s*(background-)?color\s*:\s*var\(--", body), (
            f".due-badge--{tone} sets no colour through a custom property (var(--...))"
        )
    assert re.search(r"--[\w-]+\s*:", rules.get(":root", "")), "declare the colours on :root"


def test_the_colours_follow_a_dark_colour_scheme() -> None:
    css = (HERE / "due-badge.css").read_text(encoding="utf-8")
    dark = re.search(r"@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)\s*\{(.*)\}", css, re.S)

    assert dark, "no @media (prefers-color-scheme: dark) block"
    assert re.search(r":root\s*\{[^}]*--[\w-]+\s*:", dark.group(1)), (
        "the dark block redefines no custom property on :root"
    )
