"""Exercise 10: a feature branch with conventional commits, merged with a merge commit.

Graded from `git log` of the current branch alone.
"""

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.exercise

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NOTES = "exercises/ex10_git/NOTES.md"
CONVENTIONAL = re.compile(
    r"^(feat|fix|docs|style|refactor|perf|test|build|ci|chore)(\([a-z0-9_./-]+\))?!?: \S.*$"
)
FEATURE_MERGE = re.compile(r"^Merge branch '(feature/[a-z0-9-]+)'")


def git(*args: str) -> str:
    executable = shutil.which("git")
    assert executable, "git is not installed"
    result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [executable, *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"git {' '.join(args)} failed: {result.stderr.strip()}"
    return result.stdout


@dataclass(frozen=True)
class Merge:
    branch: str
    subjects: list[str]
    files: set[str]


def feature_merges() -> list[Merge]:
    """Every merge of a feature branch in the current branch's history, with what it brought."""
    merges = []
    log = git("log", "--merges", "--format=%H %P%x00%s")
    for line in log.splitlines():
        hashes, subject = line.split("\0", 1)
        _commit, first_parent, *others = hashes.split()
        named = FEATURE_MERGE.match(subject)
        if not named or len(others) != 1:
            continue
        brought = f"{first_parent}..{others[0]}"
        subjects = git("log", "--no-merges", "--format=%s", brought).splitlines()
        files = set(git("log", "--no-merges", "--name-only", "--format=", brought).split())
        merges.append(Merge(named.group(1), subjects, files))
    return merges


def test_the_project_is_a_git_repository() -> None:
    assert git("rev-parse", "--is-inside-work-tree").strip() == "true"


def test_a_feature_branch_was_merged_with_a_merge_commit() -> None:
    assert feature_merges(), (
        "no merge of a feature/... branch in `git log --merges`: "
        "did you use `git merge --no-ff feature/<name>`?"
    )


def test_the_merged_branch_brought_conventional_commits_and_the_notes() -> None:
    good = [
        merge
        for merge in feature_merges()
        if len(merge.subjects) >= 2
        and all(CONVENTIONAL.match(subject) for subject in merge.subjects)
        and NOTES in merge.files
    ]

    assert good, (
        "\n".join(
            f"{merge.branch}: {merge.subjects} (notes changed: {NOTES in merge.files})"
            for merge in feature_merges()
        )
        or "no feature branch merged yet"
    )
