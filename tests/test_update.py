"""`copier update` on an unchanged generated project: it runs cleanly and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from support import (
    assert_fresh_history,
    copier_cli,
    copier_questions,
    copy_project,
    git,
    secret_key,
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
