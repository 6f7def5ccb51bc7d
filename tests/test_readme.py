"""The README's promises: its two commands work as written, and it lists every question."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

from support import REPO_ROOT, assert_fresh_history, copier_questions, run

README = REPO_ROOT / "README.md"
COMMANDS = re.compile(r"<!-- commands:start -->\s*```sh\n(.*?)```\s*<!-- commands:end -->", re.S)


def readme_commands() -> list[str]:
    text = README.read_text()
    block = COMMANDS.search(text)
    assert block, "README.md has no ```sh block between <!-- commands:start/end --> markers"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_gives_exactly_two_commands_generate_then_test() -> None:
    generate, test = readme_commands()

    assert generate.startswith("uv run copier copy --trust --vcs-ref HEAD")
    assert '"$PWD"' in shlex.split(generate, posix=False), "the source must be an absolute path"
    assert test.startswith("uv run pytest")


def test_ci_runs_the_readme_test_command() -> None:
    printed = subprocess.run(
        ["bash", str(REPO_ROOT / ".ci" / "run"), "--print-test-command"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    assert printed == readme_commands()[1]


def test_readme_generate_command_works_from_this_checkout(
    tmp_path: Path, tool_env: dict[str, str]
) -> None:
    """The command exactly as written, run in this checkout; only the destination differs."""
    generate = readme_commands()[0]
    assert generate.endswith(" ../my-service")
    project = tmp_path / "my-service"
    command = generate.removesuffix("../my-service") + shlex.quote(str(project))

    result = run(["bash", "-c", command], cwd=REPO_ROOT, env=tool_env)
    print(result.stdout)

    assert (project / "manage.py").is_file()
    assert (project / "my_service").is_dir()
    assert_fresh_history(project)
    assert "Traceback" not in result.stdout


def test_readme_lists_every_question_with_its_default() -> None:
    rows = {
        match.group(1): match.group(0)
        for match in re.finditer(r"^\| `(\w+)` \|.*$", README.read_text(), re.M)
    }
    for name, question in copier_questions().items():
        assert name in rows, f"the README's table has no row for the question {name}"
        default = question.get("default")
        if isinstance(default, bool):
            assert ("yes" if default else "no") in rows[name].split("|")[3], rows[name]
        elif isinstance(default, str) and "{{" not in default:
            assert default in rows[name], f"the README does not give {name}'s default {default}"
