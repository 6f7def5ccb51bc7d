"""SKILLS.md points at real files: every path it names exists in the project."""

import re
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SKILLS = PROJECT_ROOT / "SKILLS.md"
MIN_PATHS = 12

FILE_SUFFIXES = (
    ".cfg",
    ".css",
    ".csv",
    ".html",
    ".ini",
    ".js",
    ".json",
    ".md",
    ".py",
    ".toml",
    ".txt",
    ".yaml",
    ".yml",
)
FILE_NAMES = frozenset({"Makefile", ".gitignore", ".env.example"})

_FENCED_BLOCK = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
_CODE_SPAN = re.compile(r"`([^`\s]+)`")


def named_paths(markdown: str) -> list[str]:
    """The code spans of `markdown` that name a file or folder, in order, once each.

    A span is a path when it contains a `/` or looks like a file name; URL paths (`/api/...`)
    and full URLs are not files of the project. Fenced code blocks are skipped.
    """
    paths: list[str] = []
    for span in _CODE_SPAN.findall(_FENCED_BLOCK.sub("", markdown)):
        if span.startswith("/") or "://" in span:
            continue
        looks_like_path = "/" in span or span.endswith(FILE_SUFFIXES) or span in FILE_NAMES
        if looks_like_path and span not in paths:
            paths.append(span)
    return paths


def test_named_paths_finds_files_and_folders_only() -> None:
    sample = (
        "See `pkg/core/csv_io.py` and `pkg/core/csv_io.py` again, the `Makefile`, `docs/adr/`,\n"
        "`pyproject.toml` and `app.css`; not `make check`, `services.create_task`, `DEBUG`,\n"
        "`/api/docs` or `https://example.com/a.py`.\n"
        "```sh\ncat `fenced/file.py`\n```\n"
    )

    assert named_paths(sample) == [
        "pkg/core/csv_io.py",
        "Makefile",
        "docs/adr/",
        "pyproject.toml",
        "app.css",
    ]


def test_a_missing_path_is_reported() -> None:
    missing = [p for p in named_paths("`no/such/file.py`") if not (PROJECT_ROOT / p).exists()]

    assert missing == ["no/such/file.py"]


def test_skills_names_at_least_a_dozen_paths() -> None:
    assert len(named_paths(SKILLS.read_text(encoding="utf-8"))) >= MIN_PATHS


def test_every_path_in_skills_exists() -> None:
    paths = named_paths(SKILLS.read_text(encoding="utf-8"))
    missing = [path for path in paths if not (PROJECT_ROOT / path).exists()]

    assert not missing, f"SKILLS.md names paths that do not exist: {missing}"
