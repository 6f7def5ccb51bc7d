"""The whole training run in one call: what `make train` and the CLI commands do.

collect → report → split → train → figures → model file. The caller only turns its
task rows into `(title, description, category)` tuples (tasks/ml_data.py) and passes them in.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import analysis, data, paths, persistence, plots
from .schemas import ModelInfo
from .train import CANDIDATES, Progress, TrainingResult, train


@dataclass(frozen=True)
class TrainingRun:
    """What a run produced: the model's metadata, the result and the files written."""

    info: ModelInfo
    result: TrainingResult
    model_path: Path
    files: list[Path] = field(default_factory=list)


def train_model(
    tasks: Iterable[data.TaskRecord] = (),
    *,
    model_path: Path | None = None,
    reports_dir: Path | None = None,
    include_seed: bool = True,
    progress: Progress = print,
) -> TrainingRun:
    """Train on the seed set plus `tasks`, write the reports and figures, save the model."""
    model_path = model_path or paths.model_path()
    reports_dir = reports_dir or paths.reports_dir()
    figures_dir = reports_dir / "figures"

    dataset = data.collect(tasks, include_seed=include_seed)
    progress(
        f"Collected {len(dataset.examples)} examples in {len(dataset.categories)} categories "
        f"({dataset.seed_rows} seed rows, {dataset.task_rows} tasks; left out "
        f"{dataset.dropped_empty} without title or category, "
        f"{dataset.dropped_duplicates} duplicates)."
    )
    for name, count in dataset.dropped_categories.items():
        progress(
            f"Left out category {name!r}: {count} examples, "
            f"fewer than {data.MIN_EXAMPLES_PER_CATEGORY}."
        )
    if len(dataset.categories) < 2:
        raise ValueError("training needs at least two categories with enough examples")

    summary = analysis.summarise(dataset.examples)
    files = list(analysis.write_report(summary, reports_dir))
    files.append(
        plots.plot_class_balance(summary["categories"], figures_dir / plots.CLASS_BALANCE_PNG)
    )

    split = data.split(dataset.examples)
    result = train(split, candidates=CANDIDATES, progress=progress)
    files.append(
        plots.plot_confusion_matrix(
            result.categories, result.confusion, figures_dir / plots.CONFUSION_MATRIX_PNG
        )
    )
    if result.learning_curve is not None:
        files.append(
            plots.plot_learning_curve(result.learning_curve, figures_dir / plots.LEARNING_CURVE_PNG)
        )

    info = persistence.save(
        result.model,
        model_path,
        algorithm=result.algorithm,
        metrics=result.metrics(),
        data_sha256=data.fingerprint(dataset.examples),
    )
    progress(f"Saved model {info.version} ({result.algorithm}) to {model_path}.")
    return TrainingRun(info=info, result=result, model_path=model_path, files=files)
