"""`copier update`: a generated project takes later template versions and changed answers.

The first two tests need no template history: the update of an unchanged project to the same
commit changes nothing, and the answers file is what update needs. The others build a template
with versions of its own (update_support.TemplateHistory), render a project from its first
version with git on, change it as a user would, and update it with copier's command line, as
a user would run it in the project (README, "Updating a project").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from support import (
    assert_fresh_history,
    copier_cli,
    copier_questions,
    copy_project,
    git,
    python_interpreter,
    run,
    secret_key,
)
from update_support import (
    IMPORT_DOCSTRING,
    LAST_COMMIT_OF_THE_CONDITIONAL_LAYOUT,
    TEMPLATE_TASK_SERVICES,
    USER_IDENTITY,
    TemplateHistory,
    answers,
    changed_files,
    commit_all,
    project_files,
    replace_once,
    task_services,
    template_at,
    tree_status,
)


@pytest.mark.slow
def test_update_of_an_unchanged_project_changes_nothing(
    template_repo: Path, tmp_path: Path, tool_env: dict[str, str]
) -> None:
    project = tmp_path / "project"
    copy_project(template_repo, project, tool_env)
    assert_fresh_history(project)
    key = secret_key(project)
    answers_before = (project / ".copier-answers.yml").read_text()

    result = copier_cli(
        "update", "--trust", "--defaults", "--vcs-ref", "HEAD", cwd=project, env=tool_env
    )
    print(result.stdout)

    status = git(project, "status", "--porcelain", "--untracked-files=all")
    assert status == "", f"the update changed files:\n{status}\n{result.stdout}"
    assert git(project, "rev-list", "--count", "HEAD") == "1"
    assert secret_key(project) == key, "the update replaced the project's secret"
    assert (project / ".copier-answers.yml").read_text() == answers_before
    # The post-copy hook does not run again: no second commit, hooks as they were.
    assert_fresh_history(project)
    assert "Traceback" not in result.stdout


def test_answers_file_lets_update_find_the_template(render, template_repo: Path) -> None:
    """The answers copier update reads: an absolute source, the commit, every question."""
    answers = yaml.safe_load((render() / ".copier-answers.yml").read_text())

    assert Path(answers["_src_path"]).is_absolute()
    assert Path(answers["_src_path"]) == template_repo
    assert answers["_commit"]
    for question, details in copier_questions().items():
        if details.get("when") is False:
            continue  # a computed value, never recorded
        assert question in answers, f"{question} is not recorded: update would ask again"


# --- a project that lives on while the template moves ---------------------------------------

# What the user changes: a line of a task service, a new function there, and a new file.
USER_DOCSTRING = '    """Create a task per CSV row, all or nothing: our importers rely on that."""'
USER_FUNCTION = '''

def describe_import(count: int) -> str:
    """The message shown after an import (added by the project's team)."""
    return f"Imported {count} tasks."
'''
USER_NOTES = "notes/decisions.md"
USER_NOTES_TEXT = "# Decisions\n\n- 2025-01: imports stay all or nothing.\n"

# What a later template version changes where the user did not: a rule in CONTRIBUTING.md and
# the module docstring of the very service file the user edited (far from the user's lines).
CONTRIBUTING_RULE = "- `main` is always releasable: every commit on it passes `make check`.\n"
NEW_CONTRIBUTING_RULE = "- Take template updates on a branch of their own (`copier update`).\n"
DJANGO_SERVICES_DOCSTRING = (
    '"""Writes of the tasks app: create, update, delete and import, for one owner at a time."""'
)
NEW_DJANGO_SERVICES_DOCSTRING = (
    '"""Writes of the tasks app (create, update, delete, import), each for one owner."""'
)
# What a later template version changes on the user's own line.
TEMPLATE_DOCSTRING = (
    '    """Create one task per CSV row in one transaction: a bad row stores nothing."""'
)


def user_env(tool_env: dict[str, str], python_version: str = "3.12") -> dict[str, str]:
    """The harness's environment, a git identity for the user's commits, the pyenv Python."""
    return {
        **tool_env,
        **USER_IDENTITY,
        "UV_PYTHON": python_interpreter(python_version),
        "UV_PYTHON_DOWNLOADS": "never",
    }


def project_from(
    history: TemplateHistory, commit: str, project: Path, env: dict[str, str], **answers: str
) -> Path:
    copy_project(history.root, project, env, vcs_ref=commit, **answers)
    assert_fresh_history(project)
    return project


def change_as_a_user(project: Path, env: dict[str, str]) -> None:
    """Edit a task service, add a file, and commit both (the project's hooks run)."""
    services = task_services(project)
    replace_once(services, IMPORT_DOCSTRING, USER_DOCSTRING)
    services.write_text(services.read_text(encoding="utf-8") + USER_FUNCTION, encoding="utf-8")
    notes = project / USER_NOTES
    notes.parent.mkdir()
    notes.write_text(USER_NOTES_TEXT, encoding="utf-8")
    commit_all(project, "Describe imports and note our decisions", env)
    assert tree_status(project) == ""


def copier_update(project: Path, env: dict[str, str], *args: str) -> str:
    """`copier update --trust --defaults ARGS` in the project; copier's output."""
    result = copier_cli("update", "--trust", "--defaults", *args, cwd=project, env=env)
    print(result.stdout)  # shown by pytest when the test fails
    assert "Traceback" not in result.stdout, result.stdout
    return result.stdout


@pytest.mark.slow
def test_update_brings_template_changes_and_keeps_the_users(
    tmp_path: Path, tool_env: dict[str, str]
) -> None:
    """Version A to version B: B's changes arrive, the user's edits and files stay, and the
    project passes its hooks and `make check`."""
    env = user_env(tool_env)
    history = TemplateHistory.snapshot(tmp_path / "template")
    version_a = history.head()
    project = project_from(history, version_a, tmp_path / "project", env)
    change_as_a_user(project, env)
    dot_env = (project / ".env").read_bytes()
    user_head = git(project, "rev-parse", "HEAD")

    history.change(
        "template/CONTRIBUTING.md.jinja",
        CONTRIBUTING_RULE,
        CONTRIBUTING_RULE + NEW_CONTRIBUTING_RULE,
        "CONTRIBUTING: a rule for template updates",
    )
    version_b = history.change(
        TEMPLATE_TASK_SERVICES["django"],
        DJANGO_SERVICES_DOCSTRING,
        NEW_DJANGO_SERVICES_DOCSTRING,
        "Tasks: a shorter module docstring",
    )

    copier_update(project, env, "--vcs-ref", version_b)

    # The template's changes arrived, the user's edits survived, nothing conflicted.
    assert NEW_CONTRIBUTING_RULE in (project / "CONTRIBUTING.md").read_text(encoding="utf-8")
    services = task_services(project).read_text(encoding="utf-8")
    assert services.startswith(NEW_DJANGO_SERVICES_DOCSTRING), services[:200]
    assert USER_DOCSTRING in services
    assert services.endswith(USER_FUNCTION), services[-300:]
    assert (project / USER_NOTES).read_text(encoding="utf-8") == USER_NOTES_TEXT
    assert not list(project.rglob("*.rej")), "the update left rejected hunks"
    assert "<<<<<<<" not in services
    # The update is left for the user to review: the files it changed, nothing committed.
    assert git(project, "rev-parse", "HEAD") == user_head
    changed = changed_files(project)
    assert changed == sorted(
        [".copier-answers.yml", "CONTRIBUTING.md", str(task_services(project).relative_to(project))]
    ), changed
    assert (project / ".env").read_bytes() == dot_env, "the update touched .env"
    assert history.resolve(str(answers(project)["_commit"])) == version_b

    # The user commits the update through the project's hooks; the project passes its checks.
    commit_all(project, "Update from the template", env)
    run(["make", "install"], cwd=project, env=env)
    run(["make", "check"], cwd=project, env=env)
    assert tree_status(project) == "", "installing and checking changed files git sees"
    assert (project / ".env").read_bytes() == dot_env


@pytest.mark.slow
def test_a_conflicting_update_cannot_be_committed_by_accident(
    tmp_path: Path, tool_env: dict[str, str]
) -> None:
    """Version C changes the line the user changed: markers, and a commit the hook refuses."""
    env = user_env(tool_env)
    history = TemplateHistory.snapshot(tmp_path / "template")
    project = project_from(history, history.head(), tmp_path / "project", env)
    change_as_a_user(project, env)
    user_head = git(project, "rev-parse", "HEAD")
    version_c = history.change(
        TEMPLATE_TASK_SERVICES["django"],
        IMPORT_DOCSTRING,
        TEMPLATE_DOCSTRING,
        "Tasks: say what an import does in one transaction",
    )

    copier_update(project, env, "--conflict", "inline", "--vcs-ref", version_c)

    services = task_services(project).read_text(encoding="utf-8")
    markers = [line for line in services.splitlines() if re.match(r"(<{7}|={7}|>{7})( |$)", line)]
    assert [m[:7] for m in markers] == ["<<<<<<<", "=======", ">>>>>>>"], services
    assert USER_DOCSTRING in services
    assert TEMPLATE_DOCSTRING in services
    # The README's way to find them.
    check = run(["git", "diff", "--check"], cwd=project, env=env, check=False)
    assert check.returncode != 0
    assert "leftover conflict marker" in check.stdout, check.stdout

    committed = run(
        ["git", "commit", "-am", "Update from the template"], cwd=project, env=env, check=False
    )
    print(committed.stdout)
    assert committed.returncode != 0, "a file with conflict markers was committed"
    # Refused by the hook meant for it (not only by ruff, which reads Python files alone).
    # check-merge-conflict looks only during a `git merge` unless given --assume-in-merge, and
    # copier update merges without git's merge state.
    assert re.search(r"check for merge conflicts\.+Failed", committed.stdout), (
        "check-merge-conflict let the markers through: its hook in template/.pre-commit-config"
        ".yaml needs `args: [--assume-in-merge]`\n" + committed.stdout
    )
    assert git(project, "rev-parse", "HEAD") == user_head


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["django", "flask"])
def test_switching_to_postgresql_through_update(
    framework: str,
    template_repo: Path,
    tmp_path: Path,
    tool_env: dict[str, str],
    postgres_url: str,
) -> None:
    """A SQLite project answers database=postgresql anew: psycopg arrives, .env stays."""
    env = user_env(tool_env)
    project = tmp_path / "project"
    copy_project(template_repo, project, env, framework=framework, database="sqlite")
    assert_fresh_history(project)
    assert "psycopg" not in (project / "pyproject.toml").read_text(encoding="utf-8")
    dot_env = (project / ".env").read_bytes()

    # As the README says: no --vcs-ref, so copier takes the latest tag, or HEAD without tags.
    copier_update(project, env, "--data", "database=postgresql")

    assert answers(project)["database"] == "postgresql"
    assert "psycopg" in (project / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r"^DATABASE_URL=postgres://", (project / ".env.example").read_text(), re.M)
    # .env is the user's: not rewritten, so its DATABASE_URL is still the SQLite comment.
    assert (project / ".env").read_bytes() == dot_env, "the update touched .env"
    assert not re.search(r"^DATABASE_URL=", (project / ".env").read_text(), re.M)

    # The README's next steps: point DATABASE_URL at the server (here from the environment,
    # which wins over .env), install (uv.lock takes psycopg), check, commit.
    env["DATABASE_URL"] = postgres_url
    run(["make", "install"], cwd=project, env=env)
    assert "psycopg" in (project / "uv.lock").read_text(encoding="utf-8")
    run(["make", "check"], cwd=project, env=env)
    vendor = run(database_vendor_command(framework, project), cwd=project, env=env)
    assert vendor.stdout.split()[-1:] == ["postgresql"], vendor.stdout
    commit_all(project, "Switch to PostgreSQL", env)
    assert tree_status(project) == ""


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["django", "flask"])
def test_switching_the_optional_modules_on_through_update(
    framework: str, template_repo: Path, tmp_path: Path, tool_env: dict[str, str]
) -> None:
    """A project made without ML and jobs answers yes to both later: they arrive whole."""
    env = user_env(tool_env)
    project = tmp_path / "project"
    copy_project(template_repo, project, env, framework=framework)
    package = answers(project)["package_name"]
    assert not (project / package / "ml").exists()
    assert not (project / package / "jobs").exists()
    dot_env = (project / ".env").read_bytes()

    copier_update(project, env, "--data", "include_ml=true", "--data", "include_jobs=true")

    assert answers(project)["include_ml"] is True
    assert answers(project)["include_jobs"] is True
    assert (project / package / "ml" / "seed_tasks.csv").is_file()
    assert (project / package / "jobs").is_dir()
    pyproject = (project / "pyproject.toml").read_text(encoding="utf-8")
    assert "scikit-learn" in pyproject
    assert "celery" in pyproject
    assert (project / ".env").read_bytes() == dot_env, "the update touched .env"

    run(["make", "install"], cwd=project, env=env)
    run(["make", "check"], cwd=project, env=env)
    commit_all(project, "Add the ML module and background jobs", env)
    assert tree_status(project) == ""


def database_vendor_command(framework: str, project: Path) -> list[str]:
    """A command that prints the name of the database the project's app really talks to."""
    if framework == "django":
        code = "from django.db import connection; print(connection.vendor)"
        return ["uv", "run", "python", "manage.py", "shell", "-c", code]
    package = answers(project)["package_name"]
    code = (
        f"from {package}.app import create_app; from {package}.extensions import db; "
        "app = create_app(); app.app_context().push(); print(db.engine.dialect.name)"
    )
    return ["uv", "run", "python", "-c", code]


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["django", "flask"])
def test_a_project_of_the_conditional_layout_updates_to_natural_paths_without_a_conflict(
    framework: str, tmp_path: Path, tool_env: dict[str, str]
) -> None:
    """A project rendered before the template's tree moved (docs/adr/0001 of this repository)
    takes the new layout: no conflict, no rejected hunk, the user's file kept, and every file
    exactly as a new project of the same answers has it (files the template dropped are gone)."""
    env = user_env(tool_env)
    options = {"framework": framework, "include_ml": "true", "include_jobs": "true"}
    history = TemplateHistory(
        template_at(LAST_COMMIT_OF_THE_CONDITIONAL_LAYOUT, tmp_path / "template")
    )
    project = project_from(history, history.head(), tmp_path / "project", env, **options)
    notes = project / USER_NOTES
    notes.parent.mkdir()
    notes.write_text(USER_NOTES_TEXT, encoding="utf-8")
    commit_all(project, "Note our decisions", env)
    dot_env = (project / ".env").read_bytes()

    natural_paths = history.take_this_checkout("Every file at its project path")
    copier_update(project, env, "--vcs-ref", natural_paths)

    assert not list(project.rglob("*.rej")), "the update left rejected hunks"
    markers = run(["git", "diff", "--check"], cwd=project, env=env, check=False).stdout
    assert markers == "", f"the update left conflict markers:\n{markers}"
    assert notes.read_text(encoding="utf-8") == USER_NOTES_TEXT
    assert (project / ".env").read_bytes() == dot_env, "the update touched .env"

    fresh = tmp_path / "fresh"
    copy_project(history.root, fresh, env, vcs_ref=natural_paths, init_git="false", **options)
    updated = project_files(project)
    del updated[USER_NOTES]
    expected = project_files(fresh)
    assert sorted(updated) == sorted(expected), (
        f"missing: {sorted(set(expected) - set(updated))}, "
        f"left over: {sorted(set(updated) - set(expected))}"
    )
    differing = [path for path in expected if updated[path] != expected[path]]
    assert not differing, f"these files differ from a new project's: {differing}"
