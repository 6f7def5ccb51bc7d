"""The model file: the fitted pipeline with its metadata, checked again when loaded.

One file, three parts, so that it is written atomically and read cheaply:

1. a first line naming the format, `task-category-model 1`;
2. a line of JSON, the `ModelInfo` metadata (version, creation time, metrics, the SHA-256 of
   the training data and of part 3, the scikit-learn and Python versions);
3. the pipeline as joblib wrote it.

`read_info` reads parts 1 and 2 only, for `GET /api/ml/model`. `load` also checks, before
unpickling anything, that part 3 still has the hash recorded in part 2 and that it was
written by the running scikit-learn's major.minor release. See
docs/adr/0004-joblib-for-the-model-file.md for why joblib and why major.minor.
"""

import datetime
import hashlib
import io
import os
import platform
import re
import tempfile
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import sklearn
from pydantic import ValidationError
from sklearn.exceptions import InconsistentVersionWarning
from sklearn.pipeline import Pipeline

from ..core.errors import ServiceUnavailable
from .schemas import ModelInfo, ModelMetrics

FORMAT_LINE = b"task-category-model 1\n"
#: The command that (re)trains the model, named in every error a missing or refused file
#: gives.
TRAIN_COMMAND = "make train"

_RELEASE = re.compile(r"(\d+)\.(\d+)")


class ModelMissing(ServiceUnavailable):
    """No model has been trained yet (or `ML_MODEL_PATH` points elsewhere)."""


class ModelRefused(ServiceUnavailable):
    """A model file exists but cannot be trusted or used: retraining replaces it."""


@dataclass(frozen=True)
class LoadedModel:
    model: Pipeline
    info: ModelInfo


def save(
    model: Pipeline,
    path: Path,
    *,
    algorithm: str,
    metrics: ModelMetrics | Mapping[str, Any],
    data_sha256: str,
    created_at: datetime.datetime | None = None,
) -> ModelInfo:
    """Write the model file (atomically: readers see the old file or the new one)."""
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=3)
    payload = buffer.getvalue()
    model_sha256 = hashlib.sha256(payload).hexdigest()
    created = (created_at or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC)
    # Stored as ISO 8601 with milliseconds: keep no more, so the loaded info equals this one.
    created = created.replace(microsecond=created.microsecond // 1000 * 1000)
    info = ModelInfo(
        version=f"{created:%Y%m%d-%H%M%S}-{model_sha256[:7]}",
        created_at=created,
        algorithm=algorithm,
        categories=[str(name) for name in model.classes_],
        metrics=ModelMetrics.model_validate(metrics),
        data_sha256=data_sha256,
        model_sha256=model_sha256,
        sklearn_version=sklearn.__version__,
        python_version=platform.python_version(),
    )
    header = FORMAT_LINE + info.model_dump_json().encode("utf-8") + b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(header)
            file.write(payload)
        # mkstemp creates the file for its owner only; a web server may run as another user.
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return info


def read_info(path: Path) -> ModelInfo:
    """The metadata of the model file, without loading the model."""
    with _open(path) as file:
        return _read_header(file, path)


def load(path: Path) -> LoadedModel:
    """Load the model after checking its metadata; refuse a file that fails a check."""
    with _open(path) as file:
        info = _read_header(file, path)
        _check_versions(info, path)
        payload = file.read()
    if hashlib.sha256(payload).hexdigest() != info.model_sha256:
        raise _refused(path, "its content does not match the hash recorded in it")
    with warnings.catch_warnings():
        # Same major.minor, other patch release: accepted on purpose (see the ADR).
        warnings.simplefilter("ignore", InconsistentVersionWarning)
        model = joblib.load(io.BytesIO(payload))
    if not isinstance(model, Pipeline):
        raise _refused(path, "it does not hold a scikit-learn pipeline")
    return LoadedModel(model=model, info=info)


def same_release(saved: str, running: str) -> bool:
    """True when both versions share major and minor: `1.6.1` and `1.6.0`, not `1.7.0`."""
    saved_release, running_release = _RELEASE.match(saved), _RELEASE.match(running)
    return (
        saved_release is not None
        and running_release is not None
        and saved_release.groups() == running_release.groups()
    )


def _open(path: Path) -> io.BufferedReader:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise ModelMissing(
            f"No model has been trained yet: run `{TRAIN_COMMAND}` to train one."
        ) from None
    except OSError as exc:
        raise _refused(path, f"it cannot be read ({exc.strerror})") from None


def _read_header(file: io.BufferedReader, path: Path) -> ModelInfo:
    if file.readline() != FORMAT_LINE:
        raise _refused(path, "it is not a model file of this project")
    try:
        return ModelInfo.model_validate_json(file.readline())
    except ValidationError:
        raise _refused(path, "its metadata cannot be read") from None


def _check_versions(info: ModelInfo, path: Path) -> None:
    if not same_release(info.sklearn_version, sklearn.__version__):
        raise _refused(
            path,
            f"it was written by scikit-learn {info.sklearn_version} and this is "
            f"scikit-learn {sklearn.__version__}",
        )


def _refused(path: Path, reason: str) -> ModelRefused:
    # The message reaches API clients: it names the file, not the server's folders.
    return ModelRefused(
        f"The model file {path.name} cannot be used: {reason}. "
        f"Run `{TRAIN_COMMAND}` to train a new one."
    )
