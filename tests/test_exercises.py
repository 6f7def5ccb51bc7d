"""The exercises can be solved, and `make grade` sees it (include_exercises).

Each exercise has a reference solution here, in tests/exercise_solutions/<exercise>/, never
rendered into a project:

    files/          copied over the project (a `{{package_name}}` folder is the package)
    <framework>/    the same, for one framework only
    solve.sh        then run in the project's root (with PACKAGE, FRAMEWORK and SOLUTIONS
                    set): registrations, migrations made by the framework's own tool, git work

One project per framework is rendered with git on, as a student receives it. The starter
grades 0 with every exercise failed. The solutions are then applied one at a time, each
committed through the project's hooks as a student would, and graded after each: every
solution adds its exercise, with full points, and nothing else. With all of them, the grade is
full and the project still passes `make check` and every pre-commit hook.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from support import copier_cli, copy_project, python_interpreter, run
from update_support import USER_IDENTITY, TemplateHistory, changed_files, commit_all, tree_status

SOLUTIONS = Path(__file__).resolve().parent / "exercise_solutions"
TOTAL_LINE = re.compile(r"^total: (\d+) of (\d+) points$")


def student_env(tool_env: dict[str, str]) -> dict[str, str]:
    return {
        **tool_env,
        **USER_IDENTITY,
        "UV_PYTHON": python_interpreter("3.12"),
        "UV_PYTHON_DOWNLOADS": "never",
    }


def exercises_of(project: Path) -> dict[str, int]:
    """Each exercise of a project with its points, as its exercise.toml says."""
    return {
        metadata.parent.name: tomllib.loads(metadata.read_text())["points"]
        for metadata in sorted((project / "exercises").glob("*/exercise.toml"))
    }


def grade(project: Path, env: dict[str, str]) -> dict[str, Any]:
    """`make grade`: it exits 0, its last line is the total, and grade.json says the same."""
    output = run(["make", "grade"], cwd=project, env=env).stdout
    last = output.rstrip().splitlines()[-1]
    total = TOTAL_LINE.match(last)
    assert total, f"the last line is not the total: {last!r}"
    report = json.loads((project / "exercises" / "grade.json").read_text())
    assert [int(total.group(1)), int(total.group(2))] == [report["total"], report["max_total"]]
    for row in report["exercises"]:
        assert set(row) == {"id", "skill", "points", "max_points", "passed"}, row
        assert row["points"] == (row["max_points"] if row["passed"] else 0), row
    return report


def passed(report: dict[str, Any]) -> set[str]:
    return {row["id"] for row in report["exercises"] if row["passed"]}


def installed_course(
    template_repo: Path, project: Path, env: dict[str, str], framework: str, include_ml: str
) -> Path:
    """A project with the exercises, rendered with git on and installed, as a student gets it."""
    copy_project(
        template_repo,
        project,
        env,
        framework=framework,
        include_ml=include_ml,
        include_exercises="true",
    )
    run(["make", "install"], cwd=project, env=env)
    return project


def copy_layer(layer: Path, project: Path, package: str) -> None:
    for source in sorted(layer.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            relative = source.relative_to(layer).as_posix().replace("{{package_name}}", package)
            target = project / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def apply_solution(
    project: Path, exercise: str, framework: str, package: str, env: dict[str, str]
) -> None:
    solution = SOLUTIONS / exercise
    assert solution.is_dir(), f"no reference solution for {exercise} in {solution}"
    for layer in ("files", framework):
        if (solution / layer).is_dir():
            copy_layer(solution / layer, project, package)
    if (solution / "solve.sh").is_file():
        solve_env = {
            **env,
            "PACKAGE": package,
            "FRAMEWORK": framework,
            "SOLUTIONS": str(SOLUTIONS),
        }
        run(["bash", str(solution / "solve.sh")], cwd=project, env=solve_env)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("framework", "include_ml"),
    # One render per framework; the ML module (and its exercise) in one of them.
    [("django", "false"), ("flask", "true")],
    ids=["django", "flask-ml"],
)
def test_every_exercise_is_solvable_and_graded_alone(
    framework: str,
    include_ml: str,
    template_repo: Path,
    tmp_path: Path,
    tool_env: dict[str, str],
) -> None:
    env = student_env(tool_env)
    project = installed_course(template_repo, tmp_path / "project", env, framework, include_ml)
    package = "task_tracker"
    exercises = exercises_of(project)
    assert len(exercises) >= 12, sorted(exercises)
    assert ("ex14_model_feature" in exercises) == (include_ml == "true")

    # The starter: every exercise failed, 0 points, and grading still exits 0.
    starter = grade(project, env)
    assert starter["total"] == 0
    assert starter["max_total"] == sum(exercises.values())
    assert [row["id"] for row in starter["exercises"]] == list(exercises)
    assert passed(starter) == set()

    # One solution at a time, committed as a student would: each adds exactly its exercise.
    solved: set[str] = set()
    for exercise in exercises:
        apply_solution(project, exercise, framework, package, env)
        if tree_status(project):
            commit_all(project, f"Solve {exercise}", env)
        solved.add(exercise)
        report = grade(project, env)
        assert passed(report) == solved, f"after solving {exercise}: {sorted(passed(report))}"
        row = next(row for row in report["exercises"] if row["id"] == exercise)
        assert row["points"] == exercises[exercise]

    assert report["total"] == report["max_total"] == sum(exercises.values())
    # All solved, the project is as green as the starter was.
    run(["make", "check"], cwd=project, env=env)
    run(["uv", "run", "pre-commit", "run", "--all-files"], cwd=project, env=env)
    assert tree_status(project) == "", "checking changed or left files git sees"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("framework", "include_ml", "exercise"),
    # The two answers the test above leaves out: the model exercise in Django, and a course
    # without the ML module in Flask, where the total is made of the other exercises alone.
    [("django", "true", "ex14_model_feature"), ("flask", "false", "ex05_generators")],
    ids=["django-ml", "flask"],
)
def test_grading_follows_the_ml_answer_in_either_framework(
    framework: str,
    include_ml: str,
    exercise: str,
    template_repo: Path,
    tmp_path: Path,
    tool_env: dict[str, str],
) -> None:
    env = student_env(tool_env)
    project = installed_course(template_repo, tmp_path / "project", env, framework, include_ml)
    exercises = exercises_of(project)
    assert ("ex14_model_feature" in exercises) == (include_ml == "true")

    starter = grade(project, env)
    assert passed(starter) == set()
    assert (starter["total"], starter["max_total"]) == (0, sum(exercises.values()))

    apply_solution(project, exercise, framework, "task_tracker", env)
    solved = grade(project, env)
    assert passed(solved) == {exercise}
    assert solved["total"] == exercises[exercise]


def test_every_exercise_has_a_reference_solution() -> None:
    template_exercises = {
        path.parent.name
        for path in (SOLUTIONS.parent.parent / "template" / "exercises").glob("*/exercise.toml")
    }
    solutions = {path.name for path in SOLUTIONS.iterdir() if path.is_dir()}

    assert template_exercises, "the template has no exercises"
    assert template_exercises == solutions - {"__pycache__"}
    assert os.access(SOLUTIONS / "edit.py", os.R_OK)


# --- fixes reach students: `copier update` -----------------------------------------------

# What the template's maintainers fix after the course has started: a hint of an exercise's
# README, and the docstring of a core module every project shares.
README_HINT = (
    "- Do not build a list first (no `list(tasks)`, no `sorted`): the tests hand you an endless\n"
)
FIXED_README_HINT = (
    "- Do not build a list first (no `list(tasks)`, no `sorted`, no `len`): the tests hand you"
    " an endless\n"
)
CORE_DOCSTRING = '"""The task domain\'s rules, shared by the models, the services and the API."""'
FIXED_CORE_DOCSTRING = (
    '"""The task domain\'s rules, shared by the models, the services, the API and the pages."""'
)
# The exercises the student has solved when the fix comes out.
STUDENT_SOLVES = ("ex05_generators", "ex07_iterators")


@pytest.mark.slow
def test_a_fix_to_the_template_reaches_a_student_who_has_started(
    tmp_path: Path, tool_env: dict[str, str]
) -> None:
    env = student_env(tool_env)
    history = TemplateHistory.snapshot(tmp_path / "template")
    project = tmp_path / "project"
    copy_project(history.root, project, env, vcs_ref=history.head(), include_exercises="true")
    for exercise in STUDENT_SOLVES:
        apply_solution(project, exercise, "django", "task_tracker", env)
    commit_all(project, "Solve the generator and iterator exercises", env)
    solved = {
        path: path.read_bytes()
        for exercise in STUDENT_SOLVES
        for path in (project / "exercises" / exercise).glob("*.py")
    }

    history.change(
        "template/exercises/ex05_generators/README.md",
        README_HINT,
        FIXED_README_HINT,
        "Exercise 5: say that len() reads the whole stream too",
    )
    fixed = history.change(
        "template/{{package_name}}/core/domain.py",
        CORE_DOCSTRING,
        FIXED_CORE_DOCSTRING,
        "core: the pages use the domain's rules too",
    )
    result = copier_cli("update", "--trust", "--defaults", "--vcs-ref", fixed, cwd=project, env=env)
    print(result.stdout)

    # The fixes arrived ...
    readme = (project / "exercises" / "ex05_generators" / "README.md").read_text()
    assert FIXED_README_HINT in readme
    domain = (project / "task_tracker" / "core" / "domain.py").read_text()
    assert domain.startswith(FIXED_CORE_DOCSTRING)
    # ... the student's work stayed, and nothing conflicted.
    for path, content in solved.items():
        assert path.read_bytes() == content, f"the update changed the student's {path.name}"
    assert not list(project.rglob("*.rej")), "the update left rejected hunks"
    markers = run(["git", "diff", "--check"], cwd=project, env=env, check=False).stdout
    assert markers == "", f"the update left conflict markers:\n{markers}"
    assert sorted(changed_files(project)) == sorted(
        [
            ".copier-answers.yml",
            "exercises/ex05_generators/README.md",
            "task_tracker/core/domain.py",
        ]
    )
    commit_all(project, "Update from the template", env)
    run(["make", "install"], cwd=project, env=env)
    report = grade(project, env)
    assert passed(report) == set(STUDENT_SOLVES)


OFFLINE = {
    name: "http://127.0.0.1:9"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY")
}


@pytest.mark.parametrize("include_ml", [False, True], ids=["without-ml", "with-ml"])
def test_the_classroom_workflow_passes_the_workflow_schema_offline(
    render: Any, tool_env: dict[str, str], include_ml: bool
) -> None:
    """As ci.yml is checked: by the project's own pre-commit hook, with no network."""
    project = render(include_exercises=True, include_ml=include_ml, ci_provider="github")
    run(["git", "init", "-q"], cwd=project, env=tool_env)
    run(["git", "add", "-A"], cwd=project, env=tool_env)
    run(["pre-commit", "install-hooks"], cwd=project, env=tool_env)  # may download, once

    result = run(
        [
            "pre-commit",
            "run",
            "check-github-workflows",
            "--files",
            ".github/workflows/classroom.yml",
        ],
        cwd=project,
        env={**tool_env, **OFFLINE},
    )

    assert "Passed" in result.stdout, result.stdout


# --- the grading script itself, on exercises made up for it ----------------------------------

GRADE_SCRIPT = SOLUTIONS.parent.parent / "template" / "scripts" / "grade.py"
MADE_UP_EXERCISES = {
    # A finished exercise, an unfinished one, and one whose work does not even import.
    "ex01_done": (3, "def test_works() -> None:\n    assert 1 + 1 == 2\n"),
    "ex02_open": (
        5,
        "def test_works() -> None:\n    assert True\n\n\n"
        "def test_not_yet() -> None:\n    raise NotImplementedError\n",
    ),
    "ex03_broken": (7, "import missing_module_of_the_student  # noqa: F401\n"),
}


def made_up_course(root: Path, conftest: str = "") -> Path:
    (root / "scripts").mkdir(parents=True)
    shutil.copy2(GRADE_SCRIPT, root / "scripts" / "grade.py")
    (root / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\nmarkers = ["exercise: graded"]\n'
        'addopts = ["--strict-markers"]\n'
    )
    exercises = root / "exercises"
    exercises.mkdir()
    (exercises / "__init__.py").write_text("")
    (exercises / "conftest.py").write_text(conftest)
    for name, (points, test) in MADE_UP_EXERCISES.items():
        (exercises / name).mkdir()
        (exercises / name / "__init__.py").write_text("")
        (exercises / name / "exercise.toml").write_text(
            f'title = "{name}"\nskill = "Core Python: {name}"\npoints = {points}\n'
        )
        marked = f"import pytest\n\npytestmark = pytest.mark.exercise\n\n{test}"
        (exercises / name / "test_it.py").write_text(marked)
    return root


def test_grading_scores_whole_exercises_and_exits_0_whatever_the_score(tmp_path: Path) -> None:
    course = made_up_course(tmp_path / "course")

    result = run([sys.executable, "scripts/grade.py"], cwd=course, check=False)

    assert result.returncode == 0, result.stdout
    lines = result.stdout.rstrip().splitlines()
    assert lines[-1] == "total: 3 of 15 points"
    table = "\n".join(lines[-6:])
    assert re.search(r"^ex01_done +Core Python: ex01_done +3/3 +yes$", table, re.M), table
    assert re.search(r"^ex02_open +Core Python: ex02_open +0/5 +no$", table, re.M), table
    assert re.search(r"^ex03_broken +Core Python: ex03_broken +0/7 +no$", table, re.M), table
    report = json.loads((course / "exercises" / "grade.json").read_text())
    assert report == {
        "exercises": [
            {
                "id": "ex01_done",
                "skill": "Core Python: ex01_done",
                "points": 3,
                "max_points": 3,
                "passed": True,
            },
            {
                "id": "ex02_open",
                "skill": "Core Python: ex02_open",
                "points": 0,
                "max_points": 5,
                "passed": False,
            },
            {
                "id": "ex03_broken",
                "skill": "Core Python: ex03_broken",
                "points": 0,
                "max_points": 7,
                "passed": False,
            },
        ],
        "total": 3,
        "max_total": 15,
    }


def test_grading_fails_when_what_every_exercise_shares_is_broken(tmp_path: Path) -> None:
    course = made_up_course(tmp_path / "course", conftest="this is not Python\n")

    result = run([sys.executable, "scripts/grade.py"], cwd=course, check=False)

    assert result.returncode == 1, result.stdout
    assert "grading could not run" in result.stdout
