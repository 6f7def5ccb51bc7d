"""Whole generated projects: installed, checked by their own tools, and their git state confirmed.

Each row of MATRIX is rendered with git, installed with uv on its Python version, and must pass
`make check`, Django's deploy check and `pre-commit run --all-files` without changing a file.
"""

from __future__ import annotations

import secrets
import string
from pathlib import Path
from typing import Any

import pytest
import yaml

from support import (
    MATRIX_QUESTIONS,
    assert_fresh_history,
    copy_project,
    python_interpreter,
    run,
    uncovered_pairs,
)

# The covering set: every pair of values of framework x database x python_version x include_ml
# that copier.yml accepts today meets in at least one row (test_matrix_covers_every_pair checks
# it). Six rows cover every database with every Python version, and each framework with both.
# When the ML module lands, add rows that bring include_ml=True in.
MATRIX_ROWS: list[tuple[str, str, str, bool, bool, str]] = [
    # (framework, database, python_version, include_ml, include_jobs, ci_provider): seven rows
    # meet every pair of values (six cannot, with five yes-or-no questions beside Python's three).
    ("django", "sqlite", "3.11", False, False, "none"),
    ("flask", "postgresql", "3.11", True, True, "github"),
    ("django", "postgresql", "3.12", False, True, "github"),
    ("flask", "sqlite", "3.12", True, True, "none"),
    ("flask", "sqlite", "3.12", True, False, "github"),
    ("django", "postgresql", "3.13", True, False, "none"),
    ("flask", "sqlite", "3.13", False, True, "github"),
]
MATRIX: list[dict[str, Any]] = [
    dict(zip(MATRIX_QUESTIONS, row, strict=True)) for row in MATRIX_ROWS
]


def row_id(row: dict[str, Any]) -> str:
    extras = "".join(
        [
            "-ml" if row["include_ml"] else "",
            "-jobs" if row["include_jobs"] else "",
            f"-ci_{row['ci_provider']}",
        ]
    )
    return f"{row['framework']}-{row['database']}-py{row['python_version']}{extras}"


def test_matrix_covers_every_pair() -> None:
    assert all(set(row) == set(MATRIX_QUESTIONS) for row in MATRIX)
    assert uncovered_pairs(MATRIX) == set()


def database_vendor_command(framework: str, project: Path) -> list[str]:
    """A command that prints the name of the database the project's app really talks to."""
    if framework == "django":
        code = "from django.db import connection; print(connection.vendor)"
        return ["uv", "run", "python", "manage.py", "shell", "-c", code]
    package = yaml.safe_load((project / ".copier-answers.yml").read_text())["package_name"]
    code = (
        f"from {package}.app import create_app; from {package}.extensions import db; "
        "app = create_app(); app.app_context().push(); print(db.engine.dialect.name)"
    )
    return ["uv", "run", "python", "-c", code]


def deploy_check_env(env: dict[str, str]) -> dict[str, str]:
    """Production settings: no DEBUG, a real secret, a real host name."""
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return {
        **env,
        "DEBUG": "false",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
        "ALLOWED_HOSTS": "example.com",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
    }


@pytest.mark.slow
@pytest.mark.parametrize("row", MATRIX, ids=row_id)
def test_generated_project_passes_its_own_checks(
    row: dict[str, Any],
    tmp_path: Path,
    template_repo: Path,
    tool_env: dict[str, str],
    request: pytest.FixtureRequest,
) -> None:
    env = dict(tool_env)
    env["UV_PYTHON"] = python_interpreter(row["python_version"])
    env["UV_PYTHON_DOWNLOADS"] = "never"  # the pyenv interpreter or nothing
    if row["database"] == "postgresql":
        env["DATABASE_URL"] = request.getfixturevalue("postgres_url")
    project = tmp_path / "project"

    copy_project(template_repo, project, env, **row)
    assert_fresh_history(project)

    run(["make", "install"], cwd=project, env=env)
    run(["make", "check"], cwd=project, env=env)
    # The real database (not only the tests' copy) takes the migrations, and is the chosen one.
    run(["make", "migrate"], cwd=project, env=env)
    vendor = run(database_vendor_command(row["framework"], project), cwd=project, env=env)
    assert vendor.stdout.split()[-1:] == [row["database"]], vendor.stdout
    if row["framework"] == "django":
        run(
            ["uv", "run", "python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=project,
            env=deploy_check_env(env),
        )
    # (The Flask flavour's production headers and cookie flags are its own tests' business:
    # tests/test_security_headers.py, run by `make check` above.)
    run(
        ["uv", "run", "pre-commit", "run", "--all-files", "--show-diff-on-failure"],
        cwd=project,
        env=env,
    )

    # Installing and checking changed nothing git sees, and made no commit.
    assert_fresh_history(project)
