"""Suggest a category for a task's text, with a model loaded once and shared.

A web process creates one `Predictor` (or uses `default_predictor()`) and calls it from any
thread. The model is loaded on first use and kept; when the file changes on disk (a new
`make train`), the next call loads the new one. A missing or refused file is a
`ServiceUnavailable` (503) that names the command to run, never a 500.
"""

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..core.errors import ValidationFailed, fields_from_pydantic
from . import paths, persistence
from .persistence import LoadedModel
from .schemas import ModelInfo, PredictIn, PredictOut


def validate_input(data: Mapping[str, Any] | PredictIn) -> PredictIn:
    """`PredictIn` from a request body; bad values are a `ValidationFailed` naming each
    field (`title`, `description`)."""
    if isinstance(data, PredictIn):
        return data
    try:
        return PredictIn.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(
            "The text cannot be categorised.", fields=fields_from_pydantic(exc)
        ) from None


def model_text(data: PredictIn) -> str:
    """The text the model reads, built as in training (`data.Example.text`)."""
    description = (data.description or "").strip()
    return f"{data.title}. {description}" if description else data.title


@dataclass(frozen=True)
class _FileState:
    """Enough of `stat()` to notice that the file was replaced or rewritten."""

    inode: int
    size: int
    modified_ns: int

    @classmethod
    def of(cls, path: Path) -> "_FileState | None":
        try:
            stat = path.stat()
        except OSError:
            return None
        return cls(inode=stat.st_ino, size=stat.st_size, modified_ns=stat.st_mtime_ns)


class Predictor:
    """The model behind `POST /api/ml/predict` and `GET /api/ml/model`."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._loaded: LoadedModel | None = None
        self._state: _FileState | None = None

    @property
    def path(self) -> Path:
        """The model file: the one given, else `ML_MODEL_PATH` or the default."""
        return self._path if self._path is not None else paths.model_path()

    def model(self) -> LoadedModel:
        """The loaded model, loading it first when it is not loaded or the file changed."""
        path = self.path
        state = _FileState.of(path)
        loaded = self._loaded
        if loaded is not None and state is not None and state == self._state:
            return loaded  # the common case takes no lock: one stat() and a comparison
        with self._lock:
            state = _FileState.of(path)
            if self._loaded is None or state is None or state != self._state:
                # A missing or refused file raises here and leaves nothing cached, so
                # the next call tries again (after `make train`, say).
                self._loaded, self._state = None, None
                self._loaded, self._state = persistence.load(path), state
            return self._loaded

    def info(self) -> ModelInfo:
        """The metadata and metrics of the current model."""
        return self.model().info

    def predict(self, data: Mapping[str, Any] | PredictIn) -> PredictOut:
        """The most likely category and its probability."""
        text = model_text(validate_input(data))
        loaded = self.model()
        probabilities = loaded.model.predict_proba([text])[0]
        best = int(probabilities.argmax())
        return PredictOut(
            category=str(loaded.model.classes_[best]),
            confidence=min(1.0, max(0.0, float(probabilities[best]))),
            model_version=loaded.info.version,
        )

    def reset(self) -> None:
        """Forget the loaded model; the next call loads the file again."""
        with self._lock:
            self._loaded, self._state = None, None


@cache
def default_predictor() -> Predictor:
    """The process-wide predictor for the configured model file."""
    return Predictor()
