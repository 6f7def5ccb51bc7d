"""Where the model file and the reports live.

Defaults sit in the project folder (`models/`, `reports/`, both kept out of git); the
environment variables `ML_MODEL_PATH` and `ML_REPORTS_DIR` move them, e.g. onto a volume
in production.
"""

import os
from pathlib import Path

#: The project folder: the one that holds the package (`<project>/<package>/ml/paths.py`).
PROJECT_DIR = Path(__file__).resolve().parents[2]
MODEL_PATH_VARIABLE = "ML_MODEL_PATH"
REPORTS_DIR_VARIABLE = "ML_REPORTS_DIR"
DEFAULT_MODEL_PATH = PROJECT_DIR / "models" / "category_model.joblib"
DEFAULT_REPORTS_DIR = PROJECT_DIR / "reports"


def model_path() -> Path:
    """The model file: `$ML_MODEL_PATH`, or `<project>/models/category_model.joblib`."""
    return _from_environment(MODEL_PATH_VARIABLE, DEFAULT_MODEL_PATH)


def reports_dir() -> Path:
    """The reports folder: `$ML_REPORTS_DIR`, or `<project>/reports`."""
    return _from_environment(REPORTS_DIR_VARIABLE, DEFAULT_REPORTS_DIR)


def figures_dir() -> Path:
    """The figures folder, inside the reports folder: `<reports>/figures`."""
    return reports_dir() / "figures"


def _from_environment(variable: str, default: Path) -> Path:
    # Read on every call, not at import, so settings and tests can change it at run time.
    value = os.environ.get(variable, "").strip()
    return Path(value).expanduser() if value else default
