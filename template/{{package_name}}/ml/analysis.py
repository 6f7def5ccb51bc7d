"""Summaries of the data set with pandas, written as a JSON and a Markdown report.

The JSON is for programs (the dashboard, tests); the Markdown for people reading `reports/`.
"""

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .data import Example

REPORT_JSON = "data_report.json"
REPORT_MARKDOWN = "data_report.md"
TOP_TERMS = 8

_WORD = re.compile(r"[a-z][a-z'-]+")


def to_frame(examples: Sequence[Example]) -> pd.DataFrame:
    """One row per example: title, description, category and the model's text."""
    return pd.DataFrame(
        {
            "title": [example.title for example in examples],
            "description": [example.description for example in examples],
            "category": [example.category for example in examples],
            "text": [example.text for example in examples],
        }
    )


def summarise(examples: Sequence[Example], *, top_terms: int = TOP_TERMS) -> dict[str, Any]:
    """Class balance, text lengths and the most frequent terms of each category."""
    frame = to_frame(examples)
    if frame.empty:
        raise ValueError("there are no examples to summarise")
    counts = frame["category"].value_counts().sort_index()
    lengths = pd.DataFrame(
        {
            "category": frame["category"],
            "title_chars": frame["title"].str.len(),
            "description_chars": frame["description"].str.len(),
            "words": frame["text"].str.count(r"\S+"),
        }
    )
    return {
        "examples": len(frame),
        "categories": {str(name): int(count) for name, count in counts.items()},
        "shares": {
            str(name): round(float(count) / len(frame), 4) for name, count in counts.items()
        },
        "imbalance_ratio": round(float(counts.max()) / float(counts.min()), 3),
        "with_description": int((frame["description"] != "").sum()),
        "lengths": {
            column: _describe(lengths[column])
            for column in ("title_chars", "description_chars", "words")
        },
        "mean_words_by_category": {
            str(name): round(float(value), 1)
            for name, value in lengths.groupby("category")["words"].mean().items()
        },
        "top_terms": _top_terms(frame, top_terms),
    }


def _describe(values: "pd.Series[int]") -> dict[str, float]:
    return {
        "min": int(values.min()),
        "median": float(values.median()),
        "mean": round(float(values.mean()), 1),
        "max": int(values.max()),
    }


def _top_terms(frame: pd.DataFrame, limit: int) -> dict[str, list[list[Any]]]:
    # One row per (category, word), stop words out, then the commonest words per category.
    words = (
        frame.assign(word=frame["text"].str.lower().str.findall(_WORD))
        .explode("word")
        .dropna(subset=["word"])
    )
    words = words[~words["word"].isin(ENGLISH_STOP_WORDS)]
    counts = words.groupby(["category", "word"]).size().rename("count").reset_index()
    counts = counts.sort_values(["category", "count", "word"], ascending=[True, False, True])
    return {
        str(category): [
            [str(word), int(count)]
            for word, count in group[["word", "count"]].head(limit).itertuples(index=False)
        ]
        for category, group in counts.groupby("category")
    }


def to_markdown(summary: dict[str, Any]) -> str:
    """The summary as a short Markdown document."""
    total = summary["examples"]
    lines = [
        "# Training data report",
        "",
        f"{total} examples in {len(summary['categories'])} categories, "
        f"{summary['with_description']} with a description; the largest category is "
        f"{summary['imbalance_ratio']:.2f} times the smallest.",
        "",
        "## Class balance",
        "",
        "| category | examples | share |",
        "| --- | ---: | ---: |",
    ]
    for name, count in summary["categories"].items():
        lines.append(f"| {name} | {count} | {summary['shares'][name]:.1%} |")
    lines += ["", "## Text lengths", "", "| measure | min | median | mean | max |"]
    lines.append("| --- | ---: | ---: | ---: | ---: |")
    for measure, values in summary["lengths"].items():
        lines.append(
            f"| {measure} | {values['min']} | {values['median']:g} | {values['mean']:g} "
            f"| {values['max']} |"
        )
    lines += ["", "## Most frequent terms", "", "| category | terms (count) |", "| --- | --- |"]
    for name, terms in summary["top_terms"].items():
        lines.append(f"| {name} | {', '.join(f'{word} ({count})' for word, count in terms)} |")
    return "\n".join(lines) + "\n"


def write_report(summary: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    """Write `data_report.json` and `data_report.md` into `folder`; return both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    json_path, markdown_path = folder / REPORT_JSON, folder / REPORT_MARKDOWN
    json_path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", "utf-8")
    markdown_path.write_text(to_markdown(summary), "utf-8")
    return json_path, markdown_path
