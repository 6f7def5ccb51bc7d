"""Grade the exercises: run their tests, add up the points, print a table, write grade.json.

`make grade` runs it. Every folder under `exercises/` with an `exercise.toml` is one exercise;
that file names its skill and its points. An exercise scores its points when every one of its
tests (marked `exercise`) passes, and nothing otherwise: the tests say when the work is done,
not how far it got.

The exit status is 0 whatever the score: an unfinished exercise is the normal state of a
course, not a broken build (docs/adr/0019). It is 1 only when grading itself could not run:
pytest did not start, an exercise has no tests, or a file shared by every exercise is broken.
Extra arguments go to pytest: `python scripts/grade.py -x`, `make grade ARGS=-v`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EXERCISES = PROJECT_ROOT / "exercises"
# pytest's exit statuses that mean "the tests ran": all passed, or some failed.
RAN = {pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED}


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    skill: str
    max_points: int


@dataclass(frozen=True)
class Result:
    exercise: Exercise
    tests: int
    passed: bool

    @property
    def points(self) -> int:
        return self.exercise.max_points if self.passed else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.exercise.id,
            "skill": self.exercise.skill,
            "points": self.points,
            "max_points": self.exercise.max_points,
            "passed": self.passed,
        }


def load_exercises(root: Path = EXERCISES) -> list[Exercise]:
    """Every exercise under `root`, in the order of their folder names."""
    exercises = []
    for metadata in sorted(root.glob("*/exercise.toml")):
        data = tomllib.loads(metadata.read_text(encoding="utf-8"))
        points = data["points"]
        if not isinstance(points, int) or points < 1:
            raise ValueError(f"{metadata}: points must be a whole number above 0, not {points!r}")
        exercises.append(
            Exercise(
                id=metadata.parent.name,
                title=str(data["title"]),
                skill=str(data["skill"]),
                max_points=points,
            )
        )
    return exercises


class Outcomes:
    """A pytest plugin that notes, for each exercise folder, which tests passed.

    A test passes when its set-up, its call and its tear-down all pass; a skipped test does not.
    A file that cannot even be collected (a syntax error in the work) fails its exercise.
    """

    def __init__(self) -> None:
        self.tests: dict[str, dict[str, bool]] = {}
        self.broken_exercises: set[str] = set()
        self.broken_elsewhere: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        exercise = exercise_of(report.nodeid)
        if exercise is None:
            return
        tests = self.tests.setdefault(exercise, {})
        passed = tests.get(report.nodeid, True)
        if report.when == "call":
            tests[report.nodeid] = passed and report.passed
        elif not report.passed:
            tests[report.nodeid] = False

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if not report.failed:
            return
        exercise = exercise_of(report.nodeid)
        if exercise is None:
            self.broken_elsewhere.append(report.nodeid or "exercises")
        else:
            self.broken_exercises.add(exercise)


def exercise_of(nodeid: str) -> str | None:
    """`exercises/<id>/test_x.py::test_y` → `<id>`; None for anything outside a folder."""
    parts = nodeid.split("::", 1)[0].split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "exercises" else None


def results(exercises: list[Exercise], outcomes: Outcomes) -> list[Result]:
    graded = []
    for exercise in exercises:
        tests = outcomes.tests.get(exercise.id, {})
        passed = (
            bool(tests) and all(tests.values()) and exercise.id not in outcomes.broken_exercises
        )
        graded.append(Result(exercise, len(tests), passed))
    return graded


def table(graded: list[Result]) -> str:
    rows = [("exercise", "skill", "points", "passed")]
    rows += [
        (
            r.exercise.id,
            r.exercise.skill,
            f"{r.points}/{r.exercise.max_points}",
            "yes" if r.passed else "no",
        )
        for r in graded
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    total = sum(r.points for r in graded)
    maximum = sum(r.exercise.max_points for r in graded)
    return "\n".join([*(line.rstrip() for line in lines), f"total: {total} of {maximum} points"])


def report(graded: list[Result]) -> dict[str, Any]:
    return {
        "exercises": [r.as_dict() for r in graded],
        "total": sum(r.points for r in graded),
        "max_total": sum(r.exercise.max_points for r in graded),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--output",
        type=Path,
        default=EXERCISES / "grade.json",
        help="where the JSON report goes (default: exercises/grade.json)",
    )
    options, pytest_args = parser.parse_known_args(argv)
    exercises = load_exercises()
    if not exercises:
        print(f"no exercises found under {EXERCISES}", file=sys.stderr)
        return 1

    outcomes = Outcomes()
    status = pytest.main(
        [
            str(EXERCISES),
            "-m",
            "exercise",
            "--rootdir",
            str(PROJECT_ROOT),
            "-p",
            "no:cacheprovider",
            "--continue-on-collection-errors",
            "--tb=short",
            "-q",
            *pytest_args,
        ],
        plugins=[outcomes],
    )
    graded = results(exercises, outcomes)
    print()
    print(table(graded))
    options.output.write_text(json.dumps(report(graded), indent=2) + "\n", encoding="utf-8")

    untested = [
        r.exercise.id
        for r in graded
        if r.tests == 0 and r.exercise.id not in outcomes.broken_exercises
    ]
    if status not in RAN or outcomes.broken_elsewhere or untested:
        print(
            f"grading could not run as it should (pytest exit status {int(status)}; "
            f"broken: {outcomes.broken_elsewhere or 'nothing'}; exercises without tests: "
            f"{untested or 'none'})",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
