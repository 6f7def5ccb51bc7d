"""Helpers shared by the template's tests: render the template, run commands, read git state."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
COPIER_YML = REPO_ROOT / "copier.yml"

# Answers every test gives unless it is about one of them. `project_name` has no default.
BASE_ANSWERS: dict[str, Any] = {
    "project_name": "Task Tracker",
    "author_name": "Ada Lovelace",
    "author_email": "ada@example.com",
}

# The answers whose every pair of values must meet in one fully checked project.
MATRIX_QUESTIONS = (
    "framework",
    "database",
    "python_version",
    "include_ml",
    "include_jobs",
    "ci_provider",
)

OUTPUT_TAIL_LINES = 60


def copier_questions() -> dict[str, Any]:
    return {
        k: v for k, v in yaml.safe_load(COPIER_YML.read_text()).items() if not k.startswith("_")
    }


def question_values(name: str) -> list[Any]:
    """Every value copier.yml offers for a question (its choices, or both booleans)."""
    question = copier_questions()[name]
    if question.get("type") == "bool":
        return [False, True]
    choices = question["choices"]
    return list(choices.values()) if isinstance(choices, dict) else list(choices)


def uncovered_pairs(rows: Iterable[Mapping[str, Any]]) -> set[tuple[str, Any, str, Any]]:
    """Pairs of answer values (across MATRIX_QUESTIONS) that no row combines."""
    rows = list(rows)
    missing = set()
    for first, second in combinations(MATRIX_QUESTIONS, 2):
        for a in question_values(first):
            for b in question_values(second):
                if not any(row[first] == a and row[second] == b for row in rows):
                    missing.add((first, a, second, b))
    return missing


# --- running commands -----------------------------------------------------------------------


def tail(text: str, lines: int = OUTPUT_TAIL_LINES) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def run(
    command: list[str] | str,
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 900,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run a command, stdout and stderr merged; on failure, fail the test with the output's tail."""
    shown = command if isinstance(command, str) else " ".join(command)
    try:
        result = subprocess.run(
            command,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            shell=isinstance(command, str),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as timed_out:
        output = timed_out.output or ""
        if isinstance(output, bytes):
            output = output.decode(errors="replace")
        pytest.fail(
            f"`{shown}` (in {cwd}) took more than {timeout} s; its output ends:\n{tail(output)}",
            pytrace=False,
        )
    if check and result.returncode != 0:
        pytest.fail(
            f"`{shown}` (in {cwd}) exited {result.returncode}; "
            f"its output ends:\n{tail(result.stdout)}",
            pytrace=False,
        )
    return result


def clean_env(**overrides: str | None) -> dict[str, str]:
    """This process's environment without what belongs to the template's own virtualenv.

    A value of None removes the variable.
    """
    env = dict(os.environ)
    for name in (
        "VIRTUAL_ENV",
        "UV_PROJECT_ENVIRONMENT",
        "PYTHONPATH",
        "PYTHONHOME",
        "DJANGO_SETTINGS_MODULE",
        "DATABASE_URL",
        "PYTEST_ADDOPTS",
        "PYTEST_XDIST_WORKER",
        "PYTEST_XDIST_WORKER_COUNT",
        "PYTEST_CURRENT_TEST",
    ):
        env.pop(name, None)
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def copier_cli(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run copier's command line in a child process (so the test controls its environment)."""
    return run([sys.executable, "-m", "copier", *args], cwd=cwd, env=env, check=check)


def copy_args(
    src: Path, dst: Path, answers: Mapping[str, Any], *, vcs_ref: str | None
) -> list[str]:
    args = ["copy", "--trust", "--defaults", "--quiet"]  # quiet: the hook still speaks
    if vcs_ref is not None:
        args += ["--vcs-ref", vcs_ref]
    for name, value in answers.items():
        text = str(value).lower() if isinstance(value, bool) else str(value)
        args += ["--data", f"{name}={text}"]
    return [*args, str(src), str(dst)]


def copy_project(
    src: Path, dst: Path, env: Mapping[str, str], *, vcs_ref: str | None = "HEAD", **answers: Any
) -> str:
    """`copier copy --trust --defaults` with BASE_ANSWERS, git on, and `answers`, in a child.

    Returns copier's output (the post-copy hook's included); the test fails if copier does, or
    if the output holds a traceback.
    """
    result = copier_cli(
        *copy_args(src, dst, {**BASE_ANSWERS, "init_git": True, **answers}, vcs_ref=vcs_ref),
        cwd=dst.parent,
        env=env,
    )
    print(result.stdout)  # shown by pytest when the test fails
    assert "Traceback" not in result.stdout, result.stdout
    return result.stdout


# --- git ----------------------------------------------------------------------------------


def git(project: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    return run(["git", *args], cwd=project, env=env).stdout.strip()


def tracked_files(project: Path) -> list[str]:
    return git(project, "ls-files").splitlines()


def assert_fresh_history(project: Path) -> None:
    """Branch main, exactly one commit, a clean tree and the pre-commit hook installed."""
    assert (project / ".git").is_dir(), "the project has no git repository"
    head = run(["git", "rev-parse", "--verify", "--quiet", "HEAD"], cwd=project, check=False)
    assert head.returncode == 0, "the project has no commit: the post-copy hook did not make one"
    assert git(project, "branch", "--show-current") == "main"
    assert git(project, "rev-list", "--count", "HEAD") == "1", git(project, "log", "--oneline")
    status = git(project, "status", "--porcelain", "--untracked-files=all")
    assert status == "", f"the tree is not clean:\n{status}"
    hook = project / ".git" / "hooks" / "pre-commit"
    assert hook.is_file(), "the pre-commit hook is not installed"
    assert "pre-commit" in hook.read_text(), "the git hook was not written by pre-commit"


def snapshot_template(dst: Path, *, with_git: bool) -> Path:
    """Copy this checkout's files as they are now (committed or not) to dst.

    With git, dst becomes a repository with exactly one commit of those files.
    """
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\0")
    for relative in filter(None, listed):
        source = REPO_ROOT / relative
        if not source.is_file() or "__pycache__" in source.parts:
            continue  # deleted but still in the index, or bytecode of a test run
        target = dst / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    if with_git:
        identity = ["-c", "user.name=Template Tests", "-c", "user.email=tests@example.com"]
        for args in (
            ["init", "-q", "-b", "main"],
            ["add", "-A"],
            [*identity, "commit", "-q", "--no-verify", "-m", "snapshot"],
        ):
            subprocess.run(["git", *args], cwd=dst, check=True, capture_output=True)
    return dst


# --- interpreters and tools ----------------------------------------------------------------


def python_interpreter(version: str) -> str:
    """The absolute path of a CPython `version` (e.g. "3.12"): pyenv's newest, else on PATH.

    Not `pyenv which`: it answers only for the versions pyenv has active.
    """
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    if pyenv := shutil.which("pyenv"):
        found = subprocess.run([pyenv, "root"], capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.strip():
            pyenv_root = Path(found.stdout.strip())
    candidates = pyenv_root.glob(f"versions/{version}.*/bin/python{version}")
    newest = max(candidates, key=_version_key, default=None)
    if newest is not None:
        return str(newest)
    if on_path := shutil.which(f"python{version}"):
        return on_path
    pytest.fail(f"Python {version} is not installed (looked in pyenv and on PATH)", pytrace=False)


def _version_key(interpreter: Path) -> tuple[int, ...]:
    release = interpreter.parent.parent.name  # versions/3.12.1/bin/python3.12
    return tuple(int(part) if part.isdigit() else -1 for part in release.split("."))


def path_without(tools: set[str], bin_dir: Path) -> str:
    """A PATH with every program of the current PATH except `tools` (linked into bin_dir)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not directory or not Path(directory).is_dir():
            continue
        for program in Path(directory).iterdir():
            name = program.name
            if name in tools or any(name.startswith(f"{tool}-") for tool in tools):
                continue
            link = bin_dir / name
            if not link.exists() and not link.is_symlink() and os.access(program, os.X_OK):
                link.symlink_to(program)
    return str(bin_dir)


SECRET_KEY_LINE = re.compile(r"^SECRET_KEY=(.+)$", re.MULTILINE)


def secret_key(project: Path) -> str:
    match = SECRET_KEY_LINE.search((project / ".env").read_text())
    assert match, ".env has no SECRET_KEY"
    return match.group(1).strip()


def git_grep(project: Path, text: str) -> str:
    """The committed files (at HEAD) that contain `text`, one a line."""
    result = subprocess.run(
        ["git", "grep", "-F", "-l", "-e", text, "HEAD"], cwd=project, capture_output=True, text=True
    )
    assert result.returncode in (0, 1), result.stderr
    return result.stdout.strip()
