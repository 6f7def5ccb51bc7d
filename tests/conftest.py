"""Fixtures for the template's tests.

Where they render from. Every test renders the files of this checkout as they are now, committed or
not. `template_repo` holds them as a one-commit git repository: copier records that commit in the
answers file (`_commit`), so `copier update` can find it again. Rendering a dirty checkout directly
would record a throwaway commit that copier makes in a temporary clone (and that needs a git
identity), which no later update could find. The README's own command renders the checkout itself
(test_readme.py).

How they render. The `copie` fixture of pytest-copie renders valid answers in this process. The
refusal tests call `copier.run_copy(data=...)`: that is the path of `copier copy --data`, and the
destination must not even be created (pytest-copie creates it before rendering). Copier runs its
tasks with plumbum's copy of the environment taken when copier was imported, so a test that changes
the environment of the post-copy hook (no git, no git identity, no pre-commit) or needs its output
runs copier's command line in a child process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from servers import InstalledProject, prepare_project
from support import BASE_ANSWERS, clean_env, python_interpreter, snapshot_template


@pytest.fixture(scope="session")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's files as a git repository with one commit (see the module's docstring)."""
    return snapshot_template(tmp_path_factory.mktemp("template-repo"), with_git=True)


@pytest.fixture(scope="session")
def template_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's files without git: what someone without git would download and render."""
    return snapshot_template(tmp_path_factory.mktemp("template-tree"), with_git=False)


@pytest.fixture
def render(copie: Any, template_repo: Path) -> Callable[..., Path]:
    """Render the template in this process with BASE_ANSWERS (and no git) plus `answers`."""

    def _render(**answers: Any) -> Path:
        result = copie.copy(
            extra_answers={**BASE_ANSWERS, "init_git": False, **answers},
            template_dir=template_repo,
        )
        assert result.exit_code == 0, f"copier failed: {result.exception!r}"
        assert result.project_dir is not None
        return Path(result.project_dir)

    return _render


def _real_cache_dir(tool_env: str, default: str) -> str:
    if value := os.environ.get(tool_env):
        return value
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(cache_home) / default)


def _uv_cache_dir() -> str:
    uv = shutil.which("uv")
    if uv:
        found = subprocess.run([uv, "cache", "dir"], capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.strip():
            return found.stdout.strip()
    return _real_cache_dir("UV_CACHE_DIR", "uv")


@pytest.fixture
def tool_env() -> dict[str, str]:
    """The environment for copier and the generated project's tools.

    The template's own virtualenv comes first on PATH, so its uv and pre-commit are found (a
    pyenv shim of uv would switch Python versions inside a project that pins another one).
    """
    venv_bin = str(Path(sys.executable).parent)
    return clean_env(PATH=os.pathsep.join([venv_bin, os.environ.get("PATH", "")]))


@pytest.fixture
def isolated_env(tmp_path: Path, tool_env: dict[str, str]) -> dict[str, str]:
    """As tool_env, with a fresh HOME and no git configuration at all (so no git identity).

    The caches of pre-commit and uv stay the real ones, so hook environments and packages that
    were built once are not built again.
    """
    home = tmp_path / "home"
    home.mkdir()
    env = dict(tool_env)
    env.update(
        HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        PRE_COMMIT_HOME=_real_cache_dir("PRE_COMMIT_HOME", "pre-commit"),
        UV_CACHE_DIR=_uv_cache_dir(),
    )
    for name in (
        "XDG_CONFIG_HOME",
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "EMAIL",
        "COPIER_TEMPLATE_PRE_COMMIT",
    ):
        env.pop(name, None)
    return env


# --- PostgreSQL -----------------------------------------------------------------------------

POSTGRES_HOST = os.environ.get("TEMPLATE_TESTS_PGHOST", "127.0.0.1")
POSTGRES_PORT = os.environ.get("TEMPLATE_TESTS_PGPORT", "5432")
POSTGRES_USER = os.environ.get("TEMPLATE_TESTS_PGUSER", "postgres")


def _psql(sql: str) -> subprocess.CompletedProcess[str]:
    psql = shutil.which("psql")
    if psql is None:
        pytest.fail(
            "psql is not installed: the PostgreSQL projects cannot be checked", pytrace=False
        )
    return subprocess.run(
        [
            psql,
            "-h",
            POSTGRES_HOST,
            "-p",
            POSTGRES_PORT,
            "-U",
            POSTGRES_USER,
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-X",
            "-q",
            "-c",
            sql,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PGCONNECT_TIMEOUT": "10"},
    )


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards.

    Never skipped: a PostgreSQL project that cannot be checked is a failure.
    """
    name = f"tpl_{uuid.uuid4().hex[:12]}"
    created = _psql(f'CREATE DATABASE "{name}"')
    if created.returncode != 0:
        pytest.fail(
            f"cannot create a database on PostgreSQL at {POSTGRES_USER}@{POSTGRES_HOST}:"
            f"{POSTGRES_PORT} (it must be running, with trust authentication):\n"
            f"{created.stderr.strip()}",
            pytrace=False,
        )
    yield f"postgres://{POSTGRES_USER}@{POSTGRES_HOST}:{POSTGRES_PORT}/{name}"
    # pytest-django's test database is test_<name>; drop both.
    for database in (name, f"test_{name}"):
        _psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


# --- a served project -----------------------------------------------------------------

SERVER_PYTHON = "3.12"


@pytest.fixture
def installed_project(
    tmp_path: Path,
    template_repo: Path,
    tool_env: dict[str, str],
    request: pytest.FixtureRequest,
) -> InstalledProject:
    """For the tests that serve a project: Python 3.12 from this machine (never a download),
    and on PostgreSQL a fresh database of the test's own. Other answers (`include_jobs=True`)
    are passed on to copier."""

    def install(framework: str, database: str, **answers: Any) -> tuple[Path, dict[str, str]]:
        env = dict(tool_env)
        env["UV_PYTHON"] = python_interpreter(SERVER_PYTHON)
        env["UV_PYTHON_DOWNLOADS"] = "never"
        if database == "postgresql":
            env["DATABASE_URL"] = request.getfixturevalue("postgres_url")
        project = prepare_project(
            template_repo,
            tmp_path / "project",
            env,
            framework=framework,
            database=database,
            **answers,
        )
        return project, env

    return install
