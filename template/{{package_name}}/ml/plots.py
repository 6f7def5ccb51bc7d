"""Figures for the dashboard, written as PNG files, headless.

The figures are built with `matplotlib.figure.Figure` and drawn by the Agg canvas, never
through `pyplot`: no global figure state and no GUI backend, so this runs in a web worker
or a CI machine without a display, from any thread.
"""

from collections.abc import Mapping, Sequence
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .train import LearningCurve

CLASS_BALANCE_PNG = "class_balance.png"
CONFUSION_MATRIX_PNG = "confusion_matrix.png"
LEARNING_CURVE_PNG = "learning_curve.png"
DPI = 110


def _save(figure: Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    FigureCanvasAgg(figure)
    figure.savefig(path, format="png", dpi=DPI)
    return path


def plot_class_balance(counts: Mapping[str, int], path: Path) -> Path:
    """A bar per category: how many examples it has."""
    figure = Figure(figsize=(6, 3.6), layout="constrained")
    axes = figure.add_subplot()
    names = list(counts)
    bars = axes.bar(names, [counts[name] for name in names], color="#3b6ea8")
    axes.bar_label(bars, padding=2)
    axes.set_title("Examples per category")
    axes.set_ylabel("examples")
    axes.margins(y=0.12)
    axes.tick_params(axis="x", labelrotation=30)
    return _save(figure, path)


def plot_confusion_matrix(
    categories: Sequence[str], matrix: Sequence[Sequence[int]], path: Path
) -> Path:
    """Held-out examples by true (rows) and predicted (columns) category."""
    size = max(4.0, 0.7 * len(categories) + 2)
    figure = Figure(figsize=(size + 1, size), layout="constrained")
    axes = figure.add_subplot()
    image = axes.imshow(matrix, cmap="Blues")
    figure.colorbar(image, ax=axes, shrink=0.8)
    ticks = range(len(categories))
    axes.set_xticks(ticks, labels=list(categories), rotation=45, ha="right")
    axes.set_yticks(ticks, labels=list(categories))
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title("Confusion matrix (held-out split)")
    largest = max((max(row) for row in matrix), default=0)
    for row, values in enumerate(matrix):
        for column, value in enumerate(values):
            colour = "white" if value > largest / 2 else "black"
            axes.text(column, row, str(value), ha="center", va="center", color=colour)
    return _save(figure, path)


def plot_learning_curve(curve: LearningCurve, path: Path) -> Path:
    """Macro-F1 on the training folds and the validation folds as the data grows."""
    figure = Figure(figsize=(6, 3.8), layout="constrained")
    axes = figure.add_subplot()
    axes.plot(curve.train_sizes, curve.train_scores, "o-", label="training folds")
    axes.plot(curve.train_sizes, curve.validation_scores, "o-", label="validation folds")
    axes.set_ylim(0, 1.05)
    axes.set_xlabel("training examples")
    axes.set_ylabel("macro-F1")
    axes.set_title("Learning curve")
    axes.grid(alpha=0.3)
    axes.legend(loc="lower right")
    return _save(figure, path)
