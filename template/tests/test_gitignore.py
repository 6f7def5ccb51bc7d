"""What git keeps out of the history: the secret, local data and caches; never the code."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOCAL_ONLY = [
    ".env",
    "db.sqlite3",
    ".venv/bin/python",
    "models/category_model.joblib",
    "reports/data_report.md",
    "staticfiles/css/app.css",
    "tests/__pycache__/conftest.cpython-312.pyc",
    ".pytest_cache/README.md",
]
KEPT_FILES = [".env.example", ".gitignore", "pyproject.toml", "uv.lock", "Makefile"]


def ignored(paths: list[str], repository: Path) -> list[str]:
    """The `paths` that the project's .gitignore keeps out of a commit.

    Checked in a repository of its own that holds only that file, with the user's and the
    system's git settings left out: the answer depends on .gitignore alone, not on whether the
    project is a repository yet or on anyone's global excludes.
    """
    git = shutil.which("git")
    assert git, "git is not installed (README.md: Prerequisites)"
    environment = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    init = [git, "init", "--quiet", str(repository)]
    subprocess.run(init, check=True, env=environment)  # noqa: S603 (git, in a folder of our own)
    shutil.copy(PROJECT_ROOT / ".gitignore", repository / ".gitignore")
    result = subprocess.run(  # noqa: S603 (git, on our own list of paths)
        [git, "check-ignore", "--no-index", "--stdin"],
        input="\n".join(paths),
        cwd=repository,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    # check-ignore exits 0 when some path is ignored, 1 when none is, 128 on an error.
    assert result.returncode in (0, 1), result.stderr
    return result.stdout.split()


def code_files() -> list[str]:
    """The project's Python, templates, scripts and styles, relative to the project."""
    packages = [init.parent for init in PROJECT_ROOT.glob("*/__init__.py")]
    suffixes = {".py", ".html", ".js", ".css", ".mjs", ".csv", ".md", ".txt"}
    return sorted(
        path.relative_to(PROJECT_ROOT).as_posix()
        for folder in [*packages, PROJECT_ROOT / "scripts", PROJECT_ROOT / "tests"]
        for path in folder.rglob("*")
        if path.suffix in suffixes and "__pycache__" not in path.parts
    )


def test_git_keeps_the_secret_and_local_data_out(tmp_path: Path) -> None:
    assert ignored(LOCAL_ONLY, tmp_path) == LOCAL_ONLY


def test_git_keeps_every_file_of_the_code(tmp_path: Path) -> None:
    files = code_files()

    assert len(files) > 50
    assert ignored([*KEPT_FILES, *files], tmp_path) == []
