"""Finish a freshly copied project: write its `.env`, then git, pre-commit and the first commit.

Copier runs this once, on `copy` only (see `_tasks` in copier.yml), with the generated project
as the working directory. Every step prints one line. A step that cannot be done (no git, no
pre-commit, no network for the hook environments) is reported with what to do next; the
project itself is always left complete and, when git exists, committed.

Environment:
    COPIER_TEMPLATE_PRE_COMMIT  the pre-commit command to use; an empty value means
                                "pre-commit is not available" (the template's tests use it).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

MAKE_INSTALL_HINT = "run `make install` in the project to install the hooks"


def say(message: str) -> None:
    print(f"  - {message}", flush=True)


def run(command: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, check=check, capture_output=True, text=True)


def write_env_file(project: Path) -> None:
    script = project / "scripts" / "init_env.py"
    result = run([sys.executable, str(script)], check=False)
    if result.returncode == 0:
        say(result.stdout.strip() or "wrote .env")
    else:
        say(f"could not write .env ({result.stderr.strip()}); run `make install` to create it")


def find_pre_commit() -> list[str] | None:
    """The pre-commit command: an override, pre-commit on PATH, or uv's tool runner."""
    override = os.environ.get("COPIER_TEMPLATE_PRE_COMMIT")
    if override is not None:
        return shlex.split(override) or None
    if found := shutil.which("pre-commit"):
        return [found]
    if uvx := shutil.which("uvx"):
        return [uvx, "pre-commit"]
    return None


def git_identity(author_name: str, author_email: str) -> list[str]:
    """`-c` options for the first commit when git has no identity; the user's config is kept."""
    options: list[str] = []
    if not run(["git", "config", "user.name"], check=False).stdout.strip():
        options += ["-c", f"user.name={author_name}"]
    if not run(["git", "config", "user.email"], check=False).stdout.strip():
        options += ["-c", f"user.email={author_email}"]
    return options


def install_hooks(pre_commit: list[str] | None) -> bool:
    if pre_commit is None:
        say(f"pre-commit was not found: {MAKE_INSTALL_HINT}")
        return False
    installed = run([*pre_commit, "install", "--install-hooks"], check=False)
    if installed.returncode == 0:
        say("installed the pre-commit hooks")
        return True
    # A half-installed hook would make the first commit fail: take it out again.
    run([*pre_commit, "uninstall"], check=False)
    Path(".git/hooks/pre-commit").unlink(missing_ok=True)
    last_line = (installed.stderr or installed.stdout).strip().splitlines()[-1:] or [""]
    say(f"pre-commit could not build its hook environments ({last_line[0]}): {MAKE_INSTALL_HINT}")
    return False


def lock_dependencies() -> None:
    """Commit a lock file from the start, so every clone installs the same versions."""
    uv = shutil.which("uv")
    if uv is None:
        say("uv was not found: `make install` will create uv.lock; commit it")
        return
    locked = run([uv, "lock", "--quiet"], check=False)
    if locked.returncode == 0:
        say("locked the dependencies (uv.lock)")
    else:
        say("could not lock the dependencies (no network?): `make install` will create uv.lock")


def first_commit(author_name: str, author_email: str) -> bool:
    run(["git", "add", "--all"])
    identity = git_identity(author_name, author_email)
    committed = run(
        ["git", *identity, "commit", "--quiet", "-m", "Initial commit from the project template"],
        check=False,
    )
    if committed.returncode != 0:
        say("the first commit failed; the files are staged, fix the problem below and commit:")
        print(committed.stdout + committed.stderr, flush=True)
        return False
    say("made the first commit on branch main")
    return True


def init_git(author_name: str, author_email: str) -> None:
    if shutil.which("git") is None:
        say("git was not found: the project has no history; run `git init -b main` later")
        return
    run(["git", "init", "--quiet", "-b", "main"])
    say("initialised a git repository (branch main)")
    lock_dependencies()
    install_hooks(find_pre_commit())
    first_commit(author_name, author_email)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--init-git", choices=["true", "false"], required=True)
    parser.add_argument("--author-name", required=True)
    parser.add_argument("--author-email", required=True)
    args = parser.parse_args()

    print("Finishing the project:", flush=True)
    write_env_file(Path.cwd())
    if args.init_git == "true":
        init_git(args.author_name, args.author_email)
    else:
        say("git was not initialised (init_git is false)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
