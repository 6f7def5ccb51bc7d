"""Train the category model: candidate pipelines, cross-validation, held-out evaluation.

Every candidate reads the same features, TF-IDF of words (stop words removed) and of
character 3-4-grams (robust to typos and word forms such as "paint"/"painting"), and
differs only in the classifier, so the comparison is about the model. Candidates are
compared by stratified k-fold cross-validation on the training split (macro-F1: every
category counts the same, whatever its size); the best is refitted on the whole training
split and evaluated once on the held-out split.
"""

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_score, learning_curve
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import FeatureUnion, Pipeline

from .data import RANDOM_SEED, Example, Split, labels, texts

CV_FOLDS = 5
LEARNING_CURVE_SIZES = (0.25, 0.5, 0.75, 1.0)
LEARNING_CURVE_FOLDS = 3

#: Receives one line of progress at a time (a CLI command passes its `print`).
Progress = Callable[[str], None]
#: Builds a fresh, unfitted pipeline for a seed.
CandidateFactory = Callable[[int], Pipeline]


def _quiet(_message: str) -> None:
    pass


def features() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(sublinear_tf=True, strip_accents="unicode", stop_words="english"),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(3, 4), min_df=2, sublinear_tf=True
                ),
            ),
        ]
    )


def linear_pipeline(seed: int = RANDOM_SEED) -> Pipeline:
    """The baseline: logistic regression, whose probabilities serve as confidences as they
    are. C=10 (weak regularisation) suits short texts with few words each; the saga solver
    fits these sparse features several times faster than the default lbfgs, to the same
    scores."""
    return Pipeline(
        [
            ("features", features()),
            (
                "classifier",
                LogisticRegression(C=10.0, solver="saga", max_iter=1000, random_state=seed),
            ),
        ]
    )


def mlp_pipeline(seed: int = RANDOM_SEED) -> Pipeline:
    """A small neural network: one hidden layer of 32 units on the same features.

    Sized for a few hundred examples: a larger layer only overfits them and slows training.
    """
    return Pipeline(
        [
            ("features", features()),
            (
                "classifier",
                MLPClassifier(
                    hidden_layer_sizes=(32,),
                    alpha=1e-3,
                    learning_rate_init=0.01,
                    max_iter=100,
                    random_state=seed,
                ),
            ),
        ]
    )


#: The candidates compared by default, by name.
CANDIDATES: dict[str, CandidateFactory] = {"linear": linear_pipeline, "mlp": mlp_pipeline}


@dataclass(frozen=True)
class CandidateScore:
    """A candidate's cross-validated macro-F1: its mean and spread over the folds."""

    name: str
    f1_macro_mean: float
    f1_macro_std: float
    seconds: float


@dataclass(frozen=True)
class LearningCurve:
    """Macro-F1 against the number of training examples (means over the folds)."""

    train_sizes: list[int]
    train_scores: list[float]
    validation_scores: list[float]


@dataclass
class TrainingResult:
    model: Pipeline
    algorithm: str
    cv: list[CandidateScore]
    accuracy: float
    f1_macro: float
    f1_by_category: dict[str, float]
    categories: list[str]
    confusion: list[list[int]]
    train_size: int
    test_size: int
    seconds: float
    learning_curve: LearningCurve | None = None

    def metrics(self) -> dict[str, Any]:
        """The numbers worth keeping with the model and showing on the dashboard."""
        return {
            "accuracy": self.accuracy,
            "f1_macro": self.f1_macro,
            "f1_by_category": self.f1_by_category,
            "cv": [
                {
                    "name": score.name,
                    "f1_macro_mean": score.f1_macro_mean,
                    "f1_macro_std": score.f1_macro_std,
                }
                for score in self.cv
            ],
            "train_size": self.train_size,
            "test_size": self.test_size,
        }


def folds_for(examples: Sequence[Example], wanted: int) -> int:
    """As many folds as wanted, but no more than the smallest category has examples."""
    smallest = min(np.unique(labels(examples), return_counts=True)[1])
    folds = min(wanted, int(smallest))
    if folds < 2:
        raise ValueError("every category needs at least two training examples")
    return folds


def compare(
    train: Sequence[Example],
    *,
    candidates: Mapping[str, CandidateFactory] = CANDIDATES,
    folds: int = CV_FOLDS,
    seed: int = RANDOM_SEED,
    progress: Progress = _quiet,
) -> list[CandidateScore]:
    """Cross-validate each candidate on the training split; best first."""
    splitter = StratifiedKFold(n_splits=folds_for(train, folds), shuffle=True, random_state=seed)
    x, y = texts(train), labels(train)
    scores: list[CandidateScore] = []
    for name, factory in candidates.items():
        progress(f"Cross-validating {name} ({splitter.n_splits} folds)...")
        started = time.perf_counter()
        fold_scores = cross_val_score(factory(seed), x, y, cv=splitter, scoring="f1_macro")
        score = CandidateScore(
            name=name,
            f1_macro_mean=float(np.mean(fold_scores)),
            f1_macro_std=float(np.std(fold_scores)),
            seconds=time.perf_counter() - started,
        )
        progress(
            f"  {name}: macro-F1 {score.f1_macro_mean:.3f} ± {score.f1_macro_std:.3f}"
            f" ({score.seconds:.1f} s)"
        )
        scores.append(score)
    # Ties go to the earlier candidate: the simpler baseline is listed first.
    return sorted(scores, key=lambda score: -score.f1_macro_mean)


def train(
    split: Split,
    *,
    candidates: Mapping[str, CandidateFactory] = CANDIDATES,
    folds: int = CV_FOLDS,
    seed: int = RANDOM_SEED,
    with_learning_curve: bool = True,
    progress: Progress = _quiet,
) -> TrainingResult:
    """Compare the candidates, refit the best on the training split, evaluate it on the
    held-out split."""
    started = time.perf_counter()
    progress(f"Training on {len(split.train)} examples, holding out {len(split.test)}.")
    cv = compare(split.train, candidates=candidates, folds=folds, seed=seed, progress=progress)
    best = cv[0].name
    progress(f"Refitting {best} on the whole training split...")
    model = candidates[best](seed)
    model.fit(texts(split.train), labels(split.train))

    predicted = model.predict(texts(split.test))
    truth = labels(split.test)
    categories = [str(name) for name in model.classes_]
    per_category = f1_score(truth, predicted, labels=categories, average=None, zero_division=0)
    result = TrainingResult(
        model=model,
        algorithm=best,
        cv=cv,
        accuracy=float(accuracy_score(truth, predicted)),
        f1_macro=float(f1_score(truth, predicted, average="macro", zero_division=0)),
        f1_by_category={
            name: float(value) for name, value in zip(categories, per_category, strict=True)
        },
        categories=categories,
        confusion=confusion_matrix(truth, predicted, labels=categories).tolist(),
        train_size=len(split.train),
        test_size=len(split.test),
        seconds=0.0,
    )
    progress(f"Held-out: accuracy {result.accuracy:.3f}, macro-F1 {result.f1_macro:.3f}.")
    if with_learning_curve:
        progress("Computing the learning curve...")
        result.learning_curve = compute_learning_curve(
            candidates[best](seed), split.train, seed=seed
        )
    result.seconds = time.perf_counter() - started
    progress(f"Trained in {result.seconds:.1f} s.")
    return result


def compute_learning_curve(
    model: Pipeline,
    train: Sequence[Example],
    *,
    sizes: Sequence[float] = LEARNING_CURVE_SIZES,
    folds: int = LEARNING_CURVE_FOLDS,
    seed: int = RANDOM_SEED,
) -> LearningCurve:
    """How the cross-validated score grows with data: still rising means more tasks help."""
    splitter = StratifiedKFold(n_splits=folds_for(train, folds), shuffle=True, random_state=seed)
    sizes_used, train_scores, validation_scores = learning_curve(
        model,
        texts(train),
        labels(train),
        train_sizes=list(sizes),
        cv=splitter,
        scoring="f1_macro",
        shuffle=True,
        random_state=seed,
    )[:3]
    return LearningCurve(
        train_sizes=[int(size) for size in sizes_used],
        train_scores=[float(score) for score in np.mean(train_scores, axis=1)],
        validation_scores=[float(score) for score in np.mean(validation_scores, axis=1)],
    )
