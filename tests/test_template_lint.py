"""The template's plain Python files pass the generated project's ruff rules as they stand.

A `.py` file without the `.jinja` suffix is copied into projects byte for byte, so it can be
linted before any render, the way a maintainer's editor sees it. The rules are the project's own,
read from `template/pyproject.toml.jinja`; the only addition is N999, since the package folder is
named `{{package_name}}` here.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from support import REPO_ROOT, run

TEMPLATE = REPO_ROOT / "template"
PROJECT_PYPROJECT = TEMPLATE / "pyproject.toml.jinja"


def plain_python_files() -> list[str]:
    """Python files copied verbatim (framework pairs too); no migrations, as in projects."""
    files = []
    for path in sorted(TEMPLATE.rglob("*")):
        name = re.sub(r"\{% if .*? %\}(.*?)\{% endif %\}", r"\1", path.name)
        if path.is_file() and name.endswith(".py") and "migrations" not in path.parts:
            files.append(path.relative_to(TEMPLATE).as_posix())
    return files


def project_ruff_options() -> list[str]:
    """The generated project's ruff settings, as command-line options."""
    text = PROJECT_PYPROJECT.read_text()
    length = re.search(r"^line-length = (\d+)$", text, re.MULTILINE)
    select = re.search(r"^select = \[(.*)\]$", text, re.MULTILINE)
    test_ignores = re.search(r'^"tests/\*\*" = \[(.*)\]$', text, re.MULTILINE)
    moved = "the project's ruff settings moved: update this test"
    assert length, moved
    assert select, moved
    assert test_ignores, moved
    rules = re.findall(r'"([A-Z]+[0-9]*)"', select.group(1))
    ignored_in_tests = re.findall(r'"([A-Z]+[0-9]+)"', test_ignores.group(1))
    return [
        "--isolated",
        "--no-cache",
        f"--line-length={length.group(1)}",
        "--target-version=py311",
        f"--config=lint.select = {rules!r}",
        "--ignore=N999",
        # The exercises' tests (include_exercises) are tests too.
        f"--config=lint.per-file-ignores = {{'tests/**' = {ignored_in_tests!r}, "
        f"'exercises/**' = {ignored_in_tests!r}}}",
    ]


def ruff(*args: str) -> str:
    result = run([sys.executable, "-m", "ruff", *args], cwd=TEMPLATE, check=False)
    assert result.returncode == 0, result.stdout
    return result.stdout


def test_there_are_plain_python_files_to_lint() -> None:
    files = plain_python_files()
    assert len(files) > 50, files
    assert "{{package_name}}/core/csv_io.py" in files


def test_plain_python_files_pass_the_projects_ruff_rules() -> None:
    ruff("check", *project_ruff_options(), *plain_python_files())


def test_plain_python_files_are_formatted_as_ruff_formats_them() -> None:
    ruff("format", "--check", *project_ruff_options()[:4], *plain_python_files())


def test_the_lint_reads_the_projects_rules() -> None:
    options = " ".join(project_ruff_options())
    for rule in ("'E'", "'F'", "'I'", "'B'", "'S'"):
        assert rule in options
    assert "--line-length=100" in options
    assert Path(PROJECT_PYPROJECT).is_file()
