"""Helpers of the update tests: a template with a history of its own, and a user's project.

`TemplateHistory` is a throwaway git repository of this checkout's files as they are now
(committed or not, see `support.snapshot_template`); each `change` is one more template commit,
the way a template's maintainers would make a new version. A project rendered from one of its
commits can then be updated to a later one with `copier update --vcs-ref <commit>`.
"""

from __future__ import annotations

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
