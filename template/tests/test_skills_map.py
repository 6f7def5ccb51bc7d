"""SKILLS.md is a map that holds: the skills in their order, and only references that exist.

Each `### skill` section names the code that shows the skill (`path` or `path::symbol`) and the
tests that exercise it (`tests/...py::test_name`, which pytest must collect, or a file under
`tests/js/`). A section may instead say how to add the module that brings the skill.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SKILLS = PROJECT_ROOT / "SKILLS.md"


def recorded_framework(answers_file: Path) -> str:
    """The web framework this project was made with, as its Copier answers record it."""
    answer = re.search(r"^framework: *(\w+) *$", answers_file.read_text(encoding="utf-8"), re.M)
    if answer is None:
        raise LookupError(f"{answers_file.name} records no framework answer")
    return answer.group(1).title()


#: The framework this project is built on: its section is the one the map treats in depth.
WEB_FRAMEWORK = recorded_framework(PROJECT_ROOT / ".copier-answers.yml")
#: How a section says that its skill comes with the machine-learning module.
ADD_ML = "copier update --trust --defaults --data include_ml=true"

#: The skills, grouped, in the order and the words of the list the project was made from.
SKILL_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Front-end technologies", ("HTML5", "CSS3", "JavaScript")),
    (
        "Machine learning and AI",
        (
            "Machine-learning algorithms",
            "Data analysis",
            "Data collection",
            "Data visualisation",
            "Neural networks",
        ),
    ),
    ("Web frameworks", (WEB_FRAMEWORK,)),
    (
        "Core Python",
        (
            "Data structures",
            "File handling",
            "Exception handling",
            "Data types and variables",
            "Generators",
            "Object-oriented programming",
            "Iterators",
        ),
    ),
    (
        "Object-relational mapping",
        ("Create", "Read", "Update", "Delete", "Data schema (migrations)"),
    ),
    ("Version control", ("Git",)),
    ("Communication and analytical skills", ("Documentation", "Algorithm optimisation")),
)

FILE_SUFFIXES = (
    ".cfg",
    ".css",
    ".csv",
    ".html",
    ".ini",
    ".js",
    ".json",
    ".md",
    ".mjs",
    ".py",
    ".toml",
    ".txt",
    ".yaml",
    ".yml",
)
FILE_NAMES = frozenset({"Makefile", ".gitignore", ".env.example"})

_FENCED_BLOCK = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
_CODE_SPAN = re.compile(r"`([^`\s]+)`")
_HEADING = re.compile(r"^(##|###) (.+)$", re.MULTILINE)


@dataclass
class Section:
    """One `### skill` section (or the text under a `## group` before its first skill)."""

    group: str
    skill: str
    text: str = ""
    references: list[str] = field(default_factory=list)

    @property
    def code(self) -> list[str]:
        return [ref for ref in self.references if not is_test(ref)]

    @property
    def tests(self) -> list[str]:
        return [ref for ref in self.references if is_test(ref)]


def is_test(reference: str) -> bool:
    """A pytest node id (`tests/.../test_*.py::name`) or a JavaScript test file in `tests/js/`."""
    path, _, name = reference.partition("::")
    if path.startswith("tests/js/"):
        return True
    return bool(name) and path.startswith("tests/") and Path(path).name.startswith("test_")


def references_in(markdown: str) -> list[str]:
    """The code spans of `markdown` that name a file, folder, symbol or test, in order, once each.

    A span is a reference when it holds `::` (a symbol or a test id), contains a `/` or looks
    like a file name; URL paths (`/api/...`) and full URLs are not files of the project.
    Fenced code blocks are skipped.
    """
    found: list[str] = []
    for span in _CODE_SPAN.findall(_FENCED_BLOCK.sub("", markdown)):
        if span.startswith("/") or "://" in span:
            continue
        path = span.split("::", 1)[0]
        looks_like_path = "/" in path or path.endswith(FILE_SUFFIXES) or path in FILE_NAMES
        if looks_like_path and span not in found:
            found.append(span)
    return found


def read_map(markdown: str) -> list[Section]:
    """The sections of the map, in order; a group's introduction has an empty `skill`."""
    sections: list[Section] = []
    matches = list(_HEADING.finditer(markdown))
    group = ""
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else len(markdown)
        body = markdown[match.end() : end]
        level, title = match.group(1), match.group(2).strip()
        if level == "##":
            group = title
            sections.append(Section(group, "", body, references_in(body)))
        else:
            sections.append(Section(group, title, body, references_in(body)))
    return sections


def missing_headings(sections: list[Section]) -> list[str]:
    """The expected `## group` and `### skill` headings that are absent or out of order.

    The groups come first, in order; a group may hold sections beyond the list's own (where
    the docs compare, for instance), but the list's skills appear in its order.
    """
    groups = [section.group for section in sections if not section.skill]
    expected_groups = [group for group, _skills in SKILL_GROUPS]
    if groups[: len(expected_groups)] != expected_groups:
        return [f"the groups must begin {expected_groups}, found {groups}"]
    problems = []
    for group, skills in SKILL_GROUPS:
        found = iter([s.skill for s in sections if s.group == group and s.skill])
        # `skill in found` consumes the iterator up to the match: a subsequence check.
        problems += [f"## {group} / ### {skill}" for skill in skills if skill not in found]
    return problems


def unresolved(reference: str, collected: set[str]) -> str | None:
    """Why `reference` does not exist in the project, or None when it does."""
    path, _, symbol = reference.partition("::")
    if not (PROJECT_ROOT / path).exists():
        return f"{reference}: no file or folder {path}"
    if not symbol:
        return None
    if is_test(reference):
        known = reference in collected or any(
            test.startswith((f"{reference}[", f"{reference}::")) for test in collected
        )
        return None if known else f"{reference}: pytest collects no such test"
    source = (PROJECT_ROOT / path).read_text(encoding="utf-8")
    if path.endswith(".py"):
        found = defines_python(ast.parse(source).body, symbol.split("."))
    else:
        declaration = rf"\b(function\*?|class|const|let|var)\s+{re.escape(symbol)}\b"
        found = re.search(declaration, source) is not None
    return None if found else f"{reference}: {path} defines no {symbol}"


def defines_python(body: list[ast.stmt], names: list[str]) -> bool:
    """Whether `body` defines `names[0]` (a function, class or assigned name), and inside that
    class the rest of `names`."""
    first, rest = names[0], names[1:]
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name == first:
                return not rest or (
                    isinstance(node, ast.ClassDef) and defines_python(node.body, rest)
                )
        elif isinstance(node, ast.Assign | ast.AnnAssign) and not rest:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(target, ast.Name) and target.id == first for target in targets):
                return True
    return False


def collected_tests(test_ids: list[str]) -> set[str]:
    """The node ids pytest collects from the files of `test_ids` (one collection run)."""
    files = sorted({test.split("::", 1)[0] for test in test_ids})
    files = [file for file in files if (PROJECT_ROOT / file).is_file()]
    if not files:
        return set()
    result = subprocess.run(  # noqa: S603 (this interpreter, our own test files)
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *files],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    tests = {line for line in result.stdout.splitlines() if "::" in line}
    assert result.returncode == 0, f"pytest could not collect {files}:\n{result.stdout[-3000:]}"
    return tests


@pytest.fixture(scope="module")
def skills_map() -> list[Section]:
    return read_map(SKILLS.read_text(encoding="utf-8"))


def test_references_are_files_symbols_and_tests_but_not_commands_or_urls() -> None:
    sample = (
        "See `pkg/core/csv_io.py` and `pkg/core/csv_io.py::ImportRows` twice: "
        "`pkg/core/csv_io.py`, the `Makefile`, `docs/adr/`, `tests/js/format.test.mjs`,\n"
        "`tests/core/test_x.py::test_y`; not `make check`, `services.create_task`, `DEBUG`,\n"
        "`/api/docs` or `https://example.com/a.py`.\n"
        "```sh\ncat `fenced/file.py`\n```\n"
    )

    references = references_in(sample)

    assert references == [
        "pkg/core/csv_io.py",
        "pkg/core/csv_io.py::ImportRows",
        "Makefile",
        "docs/adr/",
        "tests/js/format.test.mjs",
        "tests/core/test_x.py::test_y",
    ]
    assert [ref for ref in references if is_test(ref)] == [
        "tests/js/format.test.mjs",
        "tests/core/test_x.py::test_y",
    ]


def test_a_missing_file_symbol_or_test_is_named() -> None:
    here = "tests/test_skills_map.py"
    script = "scripts/init_env.py"

    assert (
        unresolved("no/such/file.py", set()) == "no/such/file.py: no file or folder no/such/file.py"
    )
    assert unresolved(f"{script}::render_env", set()) is None
    assert unresolved("tests/contract.py::Store.recorded_queries", set()) is None
    assert (
        unresolved(f"{script}::nothing", set()) == f"{script}::nothing: {script} defines no nothing"
    )
    assert unresolved(f"{here}::test_gone", {f"{here}::test_other"}) == (
        f"{here}::test_gone: pytest collects no such test"
    )
    assert unresolved(f"{here}::test_param", {f"{here}::test_param[a]"}) is None


def test_headings_out_of_order_are_named() -> None:
    groups = [group for group, _skills in SKILL_GROUPS]
    sections = [Section(group, "") for group in groups]
    sections.insert(1, Section(groups[0], "CSS3"))
    sections.insert(2, Section(groups[0], "HTML5"))

    assert missing_headings(sections)[:2] == [
        f"## {groups[0]} / ### CSS3",
        f"## {groups[0]} / ### JavaScript",
    ]


def test_every_skill_has_its_heading_in_the_lists_order(skills_map: list[Section]) -> None:
    missing = missing_headings(skills_map)

    assert not missing, f"SKILLS.md lacks these headings, or has them out of order: {missing}"


def test_every_skill_names_its_code_and_its_tests(skills_map: list[Section]) -> None:
    bare = [
        f"## {section.group} / ### {section.skill}"
        for section in skills_map
        if section.skill and not (section.code and section.tests) and ADD_ML not in section.text
    ]

    assert not bare, f"these sections name no code, or no test, and no way to add them: {bare}"


def test_every_reference_in_the_map_exists(skills_map: list[Section]) -> None:
    references = list(dict.fromkeys(ref for section in skills_map for ref in section.references))
    collected = collected_tests([ref for ref in references if is_test(ref) and "::" in ref])
    problems = [problem for ref in references if (problem := unresolved(ref, collected))]

    assert not problems, "SKILLS.md names what does not exist:\n" + "\n".join(problems)
