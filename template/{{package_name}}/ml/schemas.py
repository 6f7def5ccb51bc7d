"""Typed bodies of the ML endpoints and the model file's metadata (pydantic v2).

`POST /api/ml/predict` takes `PredictIn` and answers `PredictOut`; `GET /api/ml/model`
answers `ModelInfo`, which is also the metadata stored in the model file.
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ..core.schemas.fields import Timestamp
from ..core.schemas.tasks import Description, Title

Fraction = Annotated[float, Field(ge=0, le=1)]


class PredictIn(BaseModel):
    """The text to categorise, validated like a task's: a title of 1 to 200 characters
    (surrounding whitespace removed), an optional description of up to 5000."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    description: Description | None = None


class PredictOut(BaseModel):
    category: str
    confidence: Fraction = Field(description="The model's probability for this category.")
    model_version: str


class CandidateMetrics(BaseModel):
    """One candidate's cross-validated macro-F1 on the training split."""

    name: str
    f1_macro_mean: Fraction
    f1_macro_std: float = Field(ge=0)


class ModelMetrics(BaseModel):
    """How the model did on the held-out split, and how the candidates compared."""

    accuracy: Fraction
    f1_macro: Fraction
    f1_by_category: dict[str, Fraction]
    cv: list[CandidateMetrics]
    train_size: int = Field(ge=0)
    test_size: int = Field(ge=0)


class ModelInfo(BaseModel):
    """What is known about a trained model, without loading it."""

    version: str
    created_at: Timestamp
    algorithm: str
    categories: list[str]
    metrics: ModelMetrics
    data_sha256: str = Field(description="SHA-256 of the training data, in order.")
    model_sha256: str = Field(description="SHA-256 of the serialised model in the file.")
    sklearn_version: str
    python_version: str
