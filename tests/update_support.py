"""Helpers of the update tests: a template with a history of its own, and a user's project.

`TemplateHistory` is a throwaway git repository of this checkout's files as they are now
(committed or not, see `support.snapshot_template`); each `change` is one more template commit,
the way a template's maintainers would make a new version. A project rendered from one of its
commits can then be updated to a later one with `copier update --vcs-ref <commit>`.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import yaml

from support import git, run, snapshot_template

# Where a flavour's task services live: in the template, and in a generated project.
TEMPLATE_TASK_SERVICES = {
    flavour: f"template/{{{{package_name}}}}/tasks/{{% if framework == '{flavour}' %}}services.py"
    "{% endif %}"
    for flavour in ("django", "flask")
}

# A line of the task services of both flavours: the user and the template may both change it.
IMPORT_DOCSTRING = (
    '    """Create a task per CSV row, all or nothing: one bad row and nothing is stored."""'
)

# A git identity for the user's commits, whatever the machine's git configuration holds.
USER_IDENTITY = {
    "GIT_AUTHOR_NAME": "Ada Lovelace",
    "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada Lovelace",
    "GIT_COMMITTER_EMAIL": "ada@example.com",
}

_MAINTAINER = ["-c", "user.name=Template Maintainer", "-c", "user.email=maintainer@example.com"]


def replace_once(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in the file (fail if it is not there exactly once)."""
    text = path.read_text(encoding="utf-8")
    count = text.count(old)
    assert count == 1, f"{path} holds {old!r} {count} times, not once: the test needs updating"
    path.write_text(text.replace(old, new), encoding="utf-8")


class TemplateHistory:
    """A git repository of the template whose commits are its versions."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def snapshot(cls, root: Path) -> TemplateHistory:
        """This checkout as the first version (one commit)."""
        return cls(snapshot_template(root, with_git=True))

    def take_this_checkout(self, message: str) -> str:
        """Commit this checkout's files (committed or not) as the next version; its sha."""
        for entry in self.root.iterdir():
            if entry.name != ".git":
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        snapshot_template(self.root, with_git=False)
        self._git("add", "--all")
        self._git(*_MAINTAINER, "commit", "--quiet", "--no-verify", "-m", message)
        return self.head()

    def head(self) -> str:
        return self._git("rev-parse", "HEAD")

    def resolve(self, ref: str) -> str:
        """The full commit a ref (a short sha, as copier records it in `_commit`) names."""
        return self._git("rev-parse", "--verify", f"{ref}^{{commit}}")

    def change(self, relative: str, old: str, new: str, message: str) -> str:
        """Commit a new template version in which `old` became `new` in one file; its sha."""
        replace_once(self.root / relative, old, new)
        self._git("add", "--all")
        self._git(*_MAINTAINER, "commit", "--quiet", "--no-verify", "-m", message)
        return self.head()

    def _git(self, *args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=self.root, check=True, capture_output=True, text=True
        ).stdout.strip()


def answers(project: Path) -> dict[str, object]:
    loaded = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def task_services(project: Path) -> Path:
    return project / str(answers(project)["package_name"]) / "tasks" / "services.py"


def commit_all(
    project: Path, message: str, env: Mapping[str, str], *, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """`git add --all && git commit` as the user runs it: the project's pre-commit hooks run."""
    git(project, "add", "--all", env=env)
    return run(["git", "commit", "-m", message], cwd=project, env=env, check=check)


def tree_status(project: Path) -> str:
    return git(project, "status", "--porcelain", "--untracked-files=all")


def changed_files(project: Path) -> list[str]:
    """The files that differ from HEAD, untracked ones included, sorted."""
    changed = git(project, "diff", "--name-only", "HEAD").splitlines()
    untracked = git(project, "ls-files", "--others", "--exclude-standard").splitlines()
    return sorted(changed + untracked)


# The template's last commit before its tree moved to natural paths (docs/adr/0001): projects
# rendered from it must take the new layout through `copier update` without a conflict.
LAST_COMMIT_OF_THE_CONDITIONAL_LAYOUT = "d3ba8c1198f0f4b0e664b89676b758a6872297d4"


def template_at(commit: str, dst: Path) -> Path:
    """This repository's files at `commit`, as a one-commit git repository at dst."""
    dst.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit],
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dst)], input=archive, check=True)
    identity = ["-c", "user.name=Template Tests", "-c", "user.email=tests@example.com"]
    for args in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        [*identity, "commit", "-q", "--no-verify", "-m", f"the template at {commit[:7]}"],
    ):
        subprocess.run(["git", *args], cwd=dst, check=True, capture_output=True)
    return dst


def project_files(project: Path) -> dict[str, bytes]:
    """A project's files with their contents: what the template wrote, without git, tool caches,
    the answers, the secret and the lock (which differ between two renders by design)."""
    skipped_files = {".copier-answers.yml", ".env", "uv.lock"}
    skipped_folders = {".git", ".ruff_cache", ".mypy_cache", ".pytest_cache", "__pycache__"}
    files = {}
    for path in sorted(project.rglob("*")):
        relative = path.relative_to(project)
        if skipped_folders.intersection(relative.parts) or relative.as_posix() in skipped_files:
            continue
        if path.is_file():
            files[relative.as_posix()] = path.read_bytes()
    return files
