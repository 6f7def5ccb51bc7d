"""Rendering alone, no installation: the answers, their defaults, their refusals, and git.

Fast: every project here is rendered, never installed.
"""

from __future__ import annotations

import re
import stat
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml

from support import (
    BASE_ANSWERS,
    assert_fresh_history,
    copier_cli,
    copy_args,
    copy_project,
    git,
    git_grep,
    path_without,
    secret_key,
    tracked_files,
)

Render = Callable[..., Path]


def read_answers(project: Path) -> dict[str, Any]:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


# --- the defaults ---------------------------------------------------------------------------


def test_defaults_render_a_django_project(render: Render) -> None:
    project = render()

    for name in (
        "pyproject.toml",
        "Makefile",
        "manage.py",
        ".copier-answers.yml",
        ".env",
        ".env.example",
        ".gitignore",
        ".pre-commit-config.yaml",
    ):
        assert (project / name).is_file(), f"{name} is missing"
    for folder in ("config", "task_tracker"):
        assert (project / folder).is_dir(), f"{folder}/ is missing"
    assert not (project / ".git").exists(), "init_git=false made a repository"
    leftovers = [
        p.name
        for p in project.rglob("*")
        if p.suffix == ".jinja" or "{{" in p.name or "{%" in p.name
    ]
    assert leftovers == [], f"unrendered names in the project: {leftovers}"


def test_defaults_are_the_documented_ones(render: Render) -> None:
    answers = read_answers(render())

    assert answers["project_slug"] == "task-tracker"
    assert answers["package_name"] == "task_tracker"
    assert answers["python_version"] == "3.12"
    assert answers["framework"] == "django"
    assert answers["database"] == "sqlite"
    assert answers["include_ml"] is False


def test_every_project_gets_its_own_random_secret_key(render: Render) -> None:
    first, second = render(), render()

    key = secret_key(first)
    assert len(key) >= 40
    assert key != secret_key(second)
    assert key not in (first / ".env.example").read_text()
    assert stat.S_IMODE((first / ".env").stat().st_mode) & 0o077 == 0, ".env is readable by others"


def test_names_are_derived_from_the_project_name(render: Render) -> None:
    project = render(project_name="My Cool API!")

    answers = read_answers(project)
    assert answers["project_slug"] == "my-cool-api"
    assert answers["package_name"] == "my_cool_api"
    assert (project / "my_cool_api").is_dir()
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["name"] == "my-cool-api"


def test_chosen_names_are_used_as_given(render: Render) -> None:
    project = render(project_slug="tasks-api", package_name="todo_core")

    assert (project / "todo_core").is_dir()
    assert tomllib.loads((project / "pyproject.toml").read_text())["project"]["name"] == "tasks-api"


@pytest.mark.parametrize("version", ["3.11", "3.12", "3.13"])
def test_the_python_version_sets_requires_python_and_the_pin(render: Render, version: str) -> None:
    project = render(python_version=version)

    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == f">={version}"
    assert (project / ".python-version").read_text().strip() == version


def test_postgresql_brings_its_driver_and_url(render: Render) -> None:
    project = render(database="postgresql")

    dependencies = tomllib.loads((project / "pyproject.toml").read_text())["project"][
        "dependencies"
    ]
    assert any(d.startswith("psycopg") for d in dependencies), dependencies
    assert re.search(r"^DATABASE_URL=postgres", (project / ".env.example").read_text(), re.M)


def test_sqlite_needs_no_postgresql_driver(render: Render) -> None:
    project = render(database="sqlite")

    dependencies = tomllib.loads((project / "pyproject.toml").read_text())["project"][
        "dependencies"
    ]
    assert not any(d.startswith("psycopg") for d in dependencies), dependencies


def test_quotes_in_free_text_answers_keep_pyproject_valid(render: Render) -> None:
    project = render(description='Tracks "tasks" and \\ backslashes', author_name='Ann "Ace" Lee')

    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["description"] == 'Tracks "tasks" and \\ backslashes'
    assert pyproject["project"]["authors"][0]["name"] == 'Ann "Ace" Lee'


# --- refusals -------------------------------------------------------------------------------


def copy_with_data(template_repo: Path, dst: Path, **answers: Any) -> None:
    """copier.run_copy with the answers as `data`, as `copier copy --data` gives them."""
    copier.run_copy(
        src_path=str(template_repo),
        dst_path=str(dst),
        data={**BASE_ANSWERS, "init_git": False, **answers},
        defaults=True,
        unsafe=True,
        vcs_ref="HEAD",
        quiet=True,
    )


BAD_ANSWERS = [
    pytest.param("project_name", "", "must not be empty", id="empty-project-name"),
    pytest.param("project_name", 'The "Best" App', "double quotes", id="quote-in-project-name"),
    pytest.param("project_name", "Back\\slash", "backslashes", id="backslash-in-project-name"),
    pytest.param("project_name", "   ", "must not be empty", id="blank-project-name"),
    pytest.param("project_slug", "my project", "lower case", id="slug-with-space"),
    pytest.param("project_slug", "My-Project", "lower case", id="slug-with-capitals"),
    pytest.param(
        "project_slug", "1-project", "starting with a letter", id="slug-starts-with-digit"
    ),
    pytest.param("package_name", "class", "keyword", id="package-keyword"),
    pytest.param("package_name", "json", "standard library", id="package-stdlib-json"),
    pytest.param("package_name", "test", "standard library", id="package-stdlib-test"),
    pytest.param("package_name", "1tasks", "not starting with a digit", id="package-digit"),
    pytest.param("package_name", "my-tasks", "underscores", id="package-dash"),
    pytest.param("author_email", "ada.example.com", "e-mail", id="email-without-at"),
    pytest.param("author_email", "ada@example", "e-mail", id="email-without-domain"),
    pytest.param("author_email", "ada lovelace@example.com", "e-mail", id="email-with-space"),
]


@pytest.mark.parametrize(("question", "value", "says"), BAD_ANSWERS)
def test_a_bad_answer_is_refused_and_nothing_is_written(
    template_repo: Path, tmp_path: Path, question: str, value: str, says: str
) -> None:
    dst = tmp_path / "project"

    with pytest.raises(ValueError, match=re.escape(says)):
        copy_with_data(template_repo, dst, **{question: value})

    assert not dst.exists() or not any(dst.iterdir()), "a refused answer left files behind"


@pytest.mark.parametrize(
    ("project_name", "says"),
    [
        pytest.param("JSON", "standard library", id="derives-package-json"),
        pytest.param("Class", "keyword", id="derives-package-class"),
        pytest.param("123", "lower case", id="derives-empty-slug"),
    ],
)
def test_a_name_derived_from_a_bad_project_name_is_refused(
    template_repo: Path, tmp_path: Path, project_name: str, says: str
) -> None:
    dst = tmp_path / "project"

    with pytest.raises(ValueError, match=says):
        copy_with_data(template_repo, dst, project_name=project_name)

    assert not dst.exists() or not any(dst.iterdir())


def test_a_bad_answer_on_the_command_line_names_what_is_allowed(
    template_repo: Path, tmp_path: Path, tool_env: dict[str, str]
) -> None:
    dst = tmp_path / "project"
    answers = {**BASE_ANSWERS, "project_slug": "My Project"}

    result = copier_cli(
        *copy_args(template_repo, dst, answers, vcs_ref="HEAD"),
        cwd=tmp_path,
        env=tool_env,
        check=False,
    )

    # Copier itself prints a traceback above the message for a bad `--data` answer
    # (copier-org/copier#1436); asked interactively, the same validator re-prompts.
    assert result.returncode != 0
    assert "lower case letters, digits and dashes" in result.stdout.splitlines()[-1]
    assert not dst.exists() or not any(dst.iterdir())


# --- git and the post-copy hook ------------------------------------------------------------


def test_git_history_is_made_with_the_author_from_the_answers(
    template_repo: Path, tmp_path: Path, isolated_env: dict[str, str]
) -> None:
    """No git identity anywhere (fresh HOME, no global or system config): the answers sign."""
    project = tmp_path / "project"

    copy_project(template_repo, project, isolated_env)

    assert_fresh_history(project)
    author = git(project, "log", "-1", "--format=%an <%ae>|%cn <%ce>", env=isolated_env)
    assert author == "Ada Lovelace <ada@example.com>|Ada Lovelace <ada@example.com>"
    assert not (Path(isolated_env["HOME"]) / ".gitconfig").exists(), "the user's config changed"
    local_config = (project / ".git" / "config").read_text()
    assert "Ada Lovelace" not in local_config, "the identity was written into the repository"


def test_the_secret_key_is_never_committed(
    template_repo: Path, tmp_path: Path, isolated_env: dict[str, str]
) -> None:
    project = tmp_path / "project"

    copy_project(template_repo, project, isolated_env)

    assert ".env" not in tracked_files(project)
    assert ".env.example" in tracked_files(project)
    key = secret_key(project)
    found = git_grep(project, key)
    assert found == "", f"the SECRET_KEY is in tracked files:\n{found}"


def test_a_configured_git_identity_is_kept(
    template_repo: Path, tmp_path: Path, isolated_env: dict[str, str]
) -> None:
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("[user]\n\tname = Grace Hopper\n\temail = grace@example.com\n")
    env = {**isolated_env, "GIT_CONFIG_GLOBAL": str(gitconfig)}
    project = tmp_path / "project"

    copy_project(template_repo, project, env)

    assert (
        git(project, "log", "-1", "--format=%an <%ae>", env=env)
        == "Grace Hopper <grace@example.com>"
    )
    assert gitconfig.read_text().count("[user]") == 1


def test_init_git_false_makes_no_repository(
    template_repo: Path, tmp_path: Path, isolated_env: dict[str, str]
) -> None:
    project = tmp_path / "project"

    copy_project(template_repo, project, isolated_env, init_git=False)

    assert (project / "manage.py").is_file()
    assert (project / ".env").is_file()
    assert not (project / ".git").exists()


def test_without_git_the_project_is_generated_without_history(
    template_tree: Path, tmp_path: Path, isolated_env: dict[str, str]
) -> None:
    """git is not installed: the template comes as plain files, and PATH has no git at all."""
    env = {**isolated_env, "PATH": path_without({"git"}, tmp_path / "bin")}
    project = tmp_path / "project"

    output = copy_project(template_tree, project, env, vcs_ref=None)

    assert (project / "manage.py").is_file()
    assert (project / ".env").is_file()
    assert not (project / ".git").exists()
    assert re.search(r"git was not found", output, re.I), output


def test_without_pre_commit_the_project_is_still_committed(
    template_repo: Path, tmp_path: Path, isolated_env: dict[str, str]
) -> None:
    env = {**isolated_env, "COPIER_TEMPLATE_PRE_COMMIT": ""}  # the hook's "not installed"
    project = tmp_path / "project"

    output = copy_project(template_repo, project, env)

    assert git(project, "rev-list", "--count", "HEAD") == "1"
    assert git(project, "status", "--porcelain", "--untracked-files=all") == ""
    assert not (project / ".git" / "hooks" / "pre-commit").exists()
    assert "make install" in output, output


def test_when_the_hook_environments_cannot_be_built_the_project_is_still_committed(
    template_repo: Path, tmp_path: Path, isolated_env: dict[str, str]
) -> None:
    """pre-commit exists but cannot install its hooks (as with no network)."""
    fake = tmp_path / "pre-commit"
    fake.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = install ]; then\n'
        "  echo 'An error has occurred: could not reach the package index' >&2\n"
        "  exit 3\n"
        "fi\n"
        "exit 0\n"
    )
    fake.chmod(0o755)
    env = {**isolated_env, "COPIER_TEMPLATE_PRE_COMMIT": str(fake)}
    project = tmp_path / "project"

    output = copy_project(template_repo, project, env)

    assert git(project, "rev-list", "--count", "HEAD") == "1"
    assert git(project, "status", "--porcelain", "--untracked-files=all") == ""
    assert not (project / ".git" / "hooks" / "pre-commit").exists(), "a half-installed hook"
    assert "make install" in output, output
