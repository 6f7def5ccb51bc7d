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


# --- graded exercises (include_exercises) ----------------------------------------------------

# The article's skill groups, as an exercise's `skill` starts, with the SKILLS.md section its
# README links to; and the seven core-Python skills that each have an exercise of their own.
SKILL_GROUPS = {
    "Front-end technologies": "front-end-technologies",
    "Machine learning and AI": "machine-learning-and-ai",
    "Web frameworks": "web-frameworks",
    "Core Python": "core-python",
    "Object-relational mapping": "object-relational-mapping",
    "Version control": "version-control",
    "Communication and analytical skills": "communication-and-analytical-skills",
}
CORE_PYTHON_SKILLS = (
    "data structures",
    "file handling",
    "exception handling",
    "data types and variables",
    "generators",
    "object-oriented programming",
    "iterators",
)


def exercises_of(project: Path) -> dict[str, dict[str, Any]]:
    return {
        metadata.parent.name: tomllib.loads(metadata.read_text())
        for metadata in sorted((project / "exercises").glob("*/exercise.toml"))
    }


def test_without_exercises_there_is_no_course(render: Render) -> None:
    project = render()

    assert not (project / "exercises").exists()
    assert not (project / "scripts" / "grade.py").exists()
    assert not (project / ".github" / "workflows" / "classroom.yml").exists()
    assert not list((project / "docs" / "adr").glob("0019-*"))
    assert not re.search(r"^grade:", (project / "Makefile").read_text(), re.M)
    pytest_options = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["pytest"]
    assert not any("exercise" in marker for marker in pytest_options["ini_options"]["markers"])


@pytest.mark.parametrize("include_ml", [False, True], ids=["without-ml", "with-ml"])
def test_the_exercises_cover_every_skill_of_the_article(render: Render, include_ml: bool) -> None:
    project = render(include_exercises=True, include_ml=include_ml)

    exercises = exercises_of(project)
    skills = [exercise["skill"] for exercise in exercises.values()]
    assert len(exercises) >= 12, sorted(exercises)
    groups = [group for group in SKILL_GROUPS if include_ml or group != "Machine learning and AI"]
    for group in groups:
        assert any(skill.startswith(group) for skill in skills), f"no exercise for {group}"
    for core_skill in CORE_PYTHON_SKILLS:
        assert f"Core Python: {core_skill}" in skills, f"no exercise for {core_skill}"
    assert any(skill.startswith("Machine learning and AI") for skill in skills) == include_ml


def test_each_exercise_has_its_readme_its_points_and_tests_marked_exercise(
    render: Render,
) -> None:
    project = render(include_exercises=True, include_ml=True)

    for name, exercise in exercises_of(project).items():
        folder = project / "exercises" / name
        readme = (folder / "README.md").read_text()
        for heading in ("## Goal", "## Files to touch", "## Hints", "## Check your work"):
            assert heading in readme, f"{name}/README.md has no {heading!r}"
        group = exercise["skill"].split(":")[0]
        assert f"](../../SKILLS.md#{SKILL_GROUPS[group]})" in readme, (
            f"{name}/README.md does not link to its skill's section of SKILLS.md"
        )
        assert exercise["skill"].split(":")[0] in readme.replace("\n", " ")
        assert isinstance(exercise["points"], int)
        assert exercise["points"] > 0
        assert f"**Points:** {exercise['points']}." in readme
        tests = list(folder.glob("test_*.py"))
        assert tests, f"{name} has no tests"
        for test in tests:
            assert "pytestmark = pytest.mark.exercise" in test.read_text(), test
    listed = (project / "exercises" / "README.md").read_text()
    for name in exercises_of(project):
        assert f"]({name}/README.md)" in listed, f"exercises/README.md does not list {name}"


def test_make_grade_comes_with_the_exercises_and_check_leaves_them_out(render: Render) -> None:
    project = render(include_exercises=True)

    makefile = (project / "Makefile").read_text()
    assert re.search(r"^grade: .*## ", makefile, re.M)
    assert "scripts/grade.py" in makefile
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    options = pyproject["tool"]["pytest"]["ini_options"]
    assert options["testpaths"] == ["tests"], "make check would collect the exercises"
    assert any(marker.startswith("exercise:") for marker in options["markers"])
    assert (project / "docs" / "adr" / "0019-graded-exercises.md").is_file()


@pytest.mark.parametrize("include_ml", [False, True], ids=["without-ml", "with-ml"])
def test_the_classroom_workflow_grades_each_exercise_for_its_points(
    render: Render, include_ml: bool
) -> None:
    project = render(include_exercises=True, include_ml=include_ml, ci_provider="github")

    workflow = yaml.safe_load((project / ".github" / "workflows" / "classroom.yml").read_text())
    steps = workflow["jobs"]["grade"]["steps"]
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0, "the git exercise needs the whole history"
    graders = {
        step["id"]: step["with"]
        for step in steps
        if step.get("uses", "").startswith("classroom-resources/autograding-command-grader")
    }
    assert {name: grader["max-score"] for name, grader in graders.items()} == {
        name: exercise["points"] for name, exercise in exercises_of(project).items()
    }
    for name, grader in graders.items():
        assert f"exercises/{name} " in grader["command"] + " "
    reporter = next(
        step for step in steps if "autograding-grading-reporter" in step.get("uses", "")
    )
    assert reporter["with"]["runners"].split(",") == list(graders)
    assert set(reporter["env"]) == {f"{name.upper()}_RESULTS" for name in graders}


def test_without_github_there_is_no_classroom_workflow(render: Render) -> None:
    project = render(include_exercises=True, ci_provider="none")

    assert (project / "exercises").is_dir()
    assert not (project / ".github").exists()
