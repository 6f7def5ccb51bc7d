"""Collect the training data: the seed set shipped here plus the project's own tasks.

tasks/ml_data.py turns the database's rows into `(title, description, category)` tuples and
passes them to `collect`; everything after that happens here: cleaning, deduplication,
dropping categories too small to learn, and a stratified split.
"""

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources

from sklearn.model_selection import train_test_split

#: The seed data set, shipped inside this package (see DATA_CARD.md beside it).
SEED_FILE = "seed_tasks.csv"
SEED_COLUMNS = ("title", "description", "category")
#: One seed for every random choice (split, folds, models), so a run can be repeated.
RANDOM_SEED = 42
TEST_SIZE = 0.2
#: A category needs this many examples to be learnt: fewer cannot be split and folded.
MIN_EXAMPLES_PER_CATEGORY = 10

_WHITESPACE = re.compile(r"\s+")

#: What a caller passes in: `(title, description, category)`, description and category may
#: be empty or None (such rows are cleaned away when they carry no category).
TaskRecord = tuple[str | None, str | None, str | None]


@dataclass(frozen=True)
class Example:
    """One labelled text, cleaned: no outer or repeated whitespace, category lower case."""

    title: str
    description: str
    category: str

    @property
    def text(self) -> str:
        """What the model reads: the title, then the description when there is one."""
        return f"{self.title}. {self.description}" if self.description else self.title

    @property
    def key(self) -> str:
        """Two examples with the same key are the same text, whatever their case."""
        return f"{self.title}\n{self.description}".casefold()


@dataclass(frozen=True)
class Dataset:
    """The cleaned, deduplicated examples and what was left out on the way."""

    examples: list[Example]
    seed_rows: int
    task_rows: int
    dropped_empty: int
    dropped_duplicates: int
    dropped_categories: dict[str, int] = field(default_factory=dict)

    @property
    def categories(self) -> list[str]:
        return sorted({example.category for example in self.examples})


@dataclass(frozen=True)
class Split:
    train: list[Example]
    test: list[Example]


def collapse(value: str | None) -> str:
    """Strip and collapse whitespace: `"  Buy\\n milk "` becomes `"Buy milk"`."""
    return _WHITESPACE.sub(" ", value or "").strip()


def clean(records: Iterable[TaskRecord]) -> Iterator[Example]:
    """Yield the records that can be learnt from, tidied; drop those without a title or a
    category (a task nobody categorised teaches nothing)."""
    for title, description, category in records:
        example = Example(collapse(title), collapse(description), collapse(category).lower())
        if example.title and example.category:
            yield example


def deduplicate(examples: Iterable[Example]) -> list[Example]:
    """Keep the first example of each text (case-insensitive), whatever its category.

    Keeping the first means the order of the sources decides a conflict: `collect` puts the
    project's own tasks before the seed set, so a user's labelling wins.
    """
    seen: set[str] = set()
    unique: list[Example] = []
    for example in examples:
        if example.key not in seen:
            seen.add(example.key)
            unique.append(example)
    return unique


def read_seed() -> list[TaskRecord]:
    """The rows of the shipped seed CSV, as read (cleaning comes later)."""
    text = resources.files(__package__).joinpath(SEED_FILE).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if tuple(reader.fieldnames or ()) != SEED_COLUMNS:
        raise ValueError(f"{SEED_FILE} must have the columns {','.join(SEED_COLUMNS)}")
    return [(row["title"], row["description"], row["category"]) for row in reader]


def collect(
    tasks: Iterable[TaskRecord] = (),
    *,
    include_seed: bool = True,
    min_examples: int = MIN_EXAMPLES_PER_CATEGORY,
) -> Dataset:
    """Merge the project's tasks with the seed set and clean the whole.

    Categories with fewer than `min_examples` examples are left out (and counted in
    `dropped_categories`): they could not be split and cross-validated.
    """
    task_rows = list(tasks)
    seed_rows = read_seed() if include_seed else []
    raw = [*task_rows, *seed_rows]
    cleaned = list(clean(raw))
    unique = deduplicate(cleaned)
    counts = Counter(example.category for example in unique)
    small = {name: count for name, count in sorted(counts.items()) if count < min_examples}
    return Dataset(
        examples=[example for example in unique if example.category not in small],
        seed_rows=len(seed_rows),
        task_rows=len(task_rows),
        dropped_empty=len(raw) - len(cleaned),
        dropped_duplicates=len(cleaned) - len(unique),
        dropped_categories=small,
    )


def split(
    examples: Sequence[Example], *, test_size: float = TEST_SIZE, seed: int = RANDOM_SEED
) -> Split:
    """A stratified split: each category keeps its share in both parts, the same every run."""
    labels = [example.category for example in examples]
    train, test = train_test_split(
        list(examples), test_size=test_size, random_state=seed, stratify=labels
    )
    return Split(train=list(train), test=list(test))


def fingerprint(examples: Iterable[Example]) -> str:
    """SHA-256 of the examples in order: the same data gives the same hash on any machine."""
    digest = hashlib.sha256()
    for example in examples:
        for value in (example.title, example.description, example.category):
            digest.update(value.encode("utf-8"))
            digest.update(b"\x1f")  # unit separator: ("ab", "c") differs from ("a", "bc")
        digest.update(b"\x1e")
    return digest.hexdigest()


def texts(examples: Iterable[Example]) -> list[str]:
    return [example.text for example in examples]


def labels(examples: Iterable[Example]) -> list[str]:
    return [example.category for example in examples]
