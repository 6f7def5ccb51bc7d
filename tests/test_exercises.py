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
import tomllib
from pathlib import Path
from typing import Any

import pytest

from support import copy_project, python_interpreter, run
from update_support import USER_IDENTITY, commit_all, tree_status

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
@pytest.mark.parametrize("framework", ["django", "flask"])
def test_every_exercise_is_solvable_and_graded_alone(
    framework: str, template_repo: Path, tmp_path: Path, tool_env: dict[str, str]
) -> None:
    env = student_env(tool_env)
    project = tmp_path / "project"
    copy_project(template_repo, project, env, framework=framework, include_exercises="true")
    run(["make", "install"], cwd=project, env=env)
    package = "task_tracker"
    exercises = exercises_of(project)
    assert len(exercises) >= 12, sorted(exercises)

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


def test_every_exercise_has_a_reference_solution() -> None:
    template_exercises = {
        path.parent.name
        for path in (SOLUTIONS.parent.parent / "template" / "exercises").glob("*/exercise.toml")
    }
    solutions = {path.name for path in SOLUTIONS.iterdir() if path.is_dir()}

    assert template_exercises, "the template has no exercises"
    assert template_exercises == solutions - {"__pycache__"}
    assert os.access(SOLUTIONS / "edit.py", os.R_OK)
