"""`/api/ml/...`: category suggestions from the trained model, its metadata and figures.

Thin: the model, its file and the figures belong to the framework-agnostic `ml` package. A
missing or refused model file is a `ServiceUnavailable` (503) that names `make train`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Response, send_file
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag
from pydantic import BaseModel

from ..auth.api_auth import require_api_user
from ..core.errors import NotFound
from ..core.schemas.errors import ErrorEnvelope
from ..ml import paths
from ..ml.schemas import ModelInfo, PredictIn, PredictOut
from .errors import JsonAnswer

if TYPE_CHECKING:
    from ..ml.predict import Predictor

bp = APIBlueprint(
    "api_ml",
    __name__,
    url_prefix="/api/ml",
    abp_tags=[Tag(name="ml")],
    abp_security=[{"TokenAuth": []}, {"SessionAuth": []}],
    abp_responses={401: ErrorEnvelope, 403: ErrorEnvelope},
)
# Every route needs a user, checked before the body is validated.
bp.before_request(require_api_user)

#: The figures `make train` draws (`ml.plots.*_PNG`), by the name in their URL. Written out
#: rather than imported: `ml.plots` loads matplotlib, which every start-up would pay for.
FIGURES = frozenset({"class_balance", "confusion_matrix", "learning_curve"})
PNG_RESPONSE: dict[str, Any] = {
    "description": "The figure as a PNG image.",
    "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}},
}


class FigurePath(BaseModel):
    name: str


@bp.post(
    "/predict",
    responses={200: PredictOut, 400: ErrorEnvelope, 422: ErrorEnvelope, 503: ErrorEnvelope},
    summary="Suggest a category for a task's title and description",
)
def predict(body: PredictIn) -> JsonAnswer:
    return _predictor().predict(body).model_dump(mode="json"), 200


@bp.get(
    "/model",
    responses={200: ModelInfo, 503: ErrorEnvelope},
    summary="The model's metadata and metrics",
)
def model_info() -> JsonAnswer:
    return _predictor().info().model_dump(mode="json"), 200


@bp.get(
    "/figures/<name>.png",
    responses={200: PNG_RESPONSE, 404: ErrorEnvelope},
    summary="A figure of the last training run (class_balance, confusion_matrix, learning_curve)",
)
def figure(path: FigurePath) -> Response:
    file = paths.figures_dir() / f"{path.name}.png"
    if path.name not in FIGURES or not file.is_file():
        raise NotFound(f"No figure named {path.name!r}: run `make train` to draw the figures.")
    return send_file(file, mimetype="image/png", max_age=0)


def _predictor() -> Predictor:
    # Imported on first use, not with the app: scikit-learn takes seconds to import, and
    # every `flask` command and test app would wait for it.
    from ..ml.predict import default_predictor

    return default_predictor()
