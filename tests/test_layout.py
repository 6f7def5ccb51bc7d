"""The template tree reads like the projects it makes (docs/adr/0001).

Every file sits at the path it has in a project; which answer leaves which paths out is declared
in copier.yml's `_exclude`. A condition in a path is only allowed where both frameworks have a
file at the same project path, and then only on the last part, in pairs.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest
import yaml

from support import COPIER_YML, REPO_ROOT

TEMPLATE = REPO_ROOT / "template"
FRAMEWORK_LEAF = re.compile(r"^\{% if framework == '(django|flask)' %\}([^{}]+)\{% endif %\}(.*)$")


def template_files() -> list[str]:
    return sorted(
        path.relative_to(TEMPLATE).as_posix()
        for path in TEMPLATE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )


def project_path(template_path: str) -> str:
    """The path a template file gets in a project (conditions and the .jinja suffix dropped)."""
    parts = []
    for part in template_path.split("/"):
        leaf = FRAMEWORK_LEAF.match(part)
        parts.append(leaf.group(2) + leaf.group(3) if leaf else part)
    path = "/".join(parts).replace("{{package_name}}", "{{ package_name }}")
    return path.removesuffix(".jinja")


def excluded_by_answers() -> list[str]:
    """The project paths that some answer leaves out, as written in `_exclude`."""
    entries = yaml.safe_load(COPIER_YML.read_text())["_exclude"]
    return [
        line.strip()
        for entry in entries
        if "{%" in entry
        for line in entry.splitlines()
        if line.strip().startswith("/")
    ]


def test_conditions_in_paths_sit_on_the_last_part_and_name_a_framework() -> None:
    for path in template_files():
        *folders, name = path.split("/")
        assert not any("{%" in folder for folder in folders), (
            f"{path}: a folder carries a condition; list the folder in copier.yml's _exclude"
        )
        if "{%" in name:
            assert FRAMEWORK_LEAF.match(name), (
                f"{path}: only a framework condition may stand in a file name; "
                "other answers go through _exclude"
            )


def test_a_framework_condition_in_a_name_has_its_other_framework_beside_it() -> None:
    by_project_path: dict[str, set[str]] = {}
    for path in template_files():
        leaf = FRAMEWORK_LEAF.match(path.rsplit("/", 1)[-1])
        if leaf:
            by_project_path.setdefault(project_path(path), set()).add(leaf.group(1))
    lonely = sorted(path for path, frameworks in by_project_path.items() if len(frameworks) < 2)
    assert not lonely, (
        f"these files exist for one framework only; give them their plain name and list them in "
        f"_exclude: {lonely}"
    )


@pytest.mark.parametrize("pattern", excluded_by_answers())
def test_every_exclude_entry_names_a_file_of_the_template(pattern: str) -> None:
    wanted = pattern.lstrip("/")
    paths = {project_path(path) for path in template_files()}
    assert any(path == wanted or path.startswith(wanted + "/") for path in paths), (
        f"_exclude names {pattern}, which no file under template/ becomes: remove or correct it"
    )


def test_a_framework_pair_is_not_also_excluded_by_framework() -> None:
    framework_paths = [
        project_path(path)
        for path in template_files()
        if FRAMEWORK_LEAF.match(path.rsplit("/", 1)[-1])
    ]
    entries = yaml.safe_load(COPIER_YML.read_text())["_exclude"]
    by_framework = [
        line.strip().lstrip("/")
        for entry in entries
        if "framework" in entry
        for line in entry.splitlines()
        if line.strip().startswith("/")
    ]
    for path in framework_paths:
        assert not any(path == p or path.startswith(p + "/") for p in by_framework), (
            f"{path} is both a framework pair and excluded by framework: one way is enough"
        )


def test_the_template_has_no_empty_folder() -> None:
    empty = [
        path.relative_to(TEMPLATE).as_posix()
        for path in TEMPLATE.rglob("*")
        if path.is_dir() and path.name != "__pycache__" and not any(path.iterdir())
    ]
    assert not empty, f"empty folders under template/: {empty}"


def test_the_adr_of_the_layout_is_where_copier_yml_points() -> None:
    assert "docs/adr/0001" in COPIER_YML.read_text()
    assert (REPO_ROOT / "docs" / "adr" / "0001-natural-paths-and-one-exclude-list.md").is_file()


def test_project_path_drops_conditions_and_the_jinja_suffix() -> None:
    source = "{{package_name}}/tasks/{% if framework == 'flask' %}models.py{% endif %}.jinja"
    assert project_path(source) == "{{ package_name }}/tasks/models.py"
    assert Path(project_path("config/settings/base.py.jinja")).name == "base.py"


def test_at_most_a_fifth_of_the_files_carry_a_condition_in_their_path() -> None:
    files = template_files()
    conditional = [path for path in files if "{%" in path]
    assert len(conditional) <= len(files) / 5, (
        f"{len(conditional)} of {len(files)} files carry a condition in their path: "
        "share more between the frameworks, or list one-answer files in _exclude"
    )


def test_a_python_file_of_the_template_holds_at_most_four_control_tags() -> None:
    for path in template_files():
        name = project_path(path)
        if name.endswith(".py"):
            tags = (TEMPLATE / path).read_text(encoding="utf-8").count("{%")
            assert tags <= 4, f"{path} holds {tags} control tags: choose files, not lines"


@pytest.mark.parametrize("framework", ["django", "flask"])
def test_a_project_speaks_only_of_itself(render, framework: str) -> None:
    """No "flavour", and no word of the framework the project does not use, in its code."""
    other = {"django": "flask", "flask": "django"}[framework]
    project = render(framework=framework, include_ml=True, include_jobs=True)
    words = re.compile(rf"flavou?r|\b{other}\b", re.IGNORECASE)
    code = {".py", ".html", ".js", ".css", ".mjs"}
    mentions = [
        f"{path.relative_to(project)}:{number}: {line.strip()}"
        for path in project.rglob("*")
        if path.is_file() and (path.suffix in code or path.name in {"Makefile", "pyproject.toml"})
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if words.search(line)
    ]
    assert not mentions, "\n".join(mentions)


def open_brackets_at_control_tags(text: str) -> list[int]:
    """The lines of control tags that stand inside an open bracket of the Python around them."""
    lines = text.splitlines(keepends=True)
    python = "".join(
        "# control tag\n" if "{%" in line else re.sub(r"\{\{.*?\}\}", "name", line)
        for line in lines
    )
    depth, inside = 0, []
    for token in tokenize.generate_tokens(io.StringIO(python).readline):
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
        elif token.type == tokenize.COMMENT and token.string == "# control tag" and depth:
            inside.append(token.start[0])
    return inside


def test_no_control_tag_stands_inside_a_python_statement() -> None:
    """A condition chooses whole statements: never a line of a call, a list or a dict, never
    part of a line."""
    for path in template_files():
        text = (TEMPLATE / path).read_text(encoding="utf-8")
        if not project_path(path).endswith(".py") or "{%" not in text:
            continue
        partial = [
            number
            for number, line in enumerate(text.splitlines(), 1)
            if "{%" in line and not re.fullmatch(r"\s*\{%-?[^%]*-?%\}\s*", line)
        ]
        assert not partial, f"{path}:{partial}: a control tag shares its line with Python"
        inside = open_brackets_at_control_tags(text)
        assert not inside, f"{path}:{inside}: a control tag inside brackets; choose statements"


def test_the_bracket_check_finds_a_tag_inside_a_dict() -> None:
    text = 'config = {\n    "a": 1,\n{%- if x %}\n    "b": 2,\n{%- endif %}\n}\n'
    assert open_brackets_at_control_tags(text) == [3, 5]
    assert open_brackets_at_control_tags("x = 1\n{%- if y %}\nx = 2\n{%- endif %}\n") == []
